package dev.dualgrad.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.DiagonalOptions;
import dev.dualgrad.tensor.RollOptions;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 20's indexing and shape ops against plain loops (the primal reference of
 * {@link PrimalReferenceTest#everyRegisteredOpHasAReference()} for these methods), einsum against a
 * brute-force sum over every assignment of its letters and against the explicit composition of
 * matmul, trace, transpose and so on, and the edge cases: negative indices, offsets and shifts, size 0,
 * rank 0, indices out of range, repeated indices whose VJP accumulates, malformed subscripts.
 */
class IndexingReferenceTest {
    /** The registry methods whose primal reference is here. */
    static final Set<String> METHODS = Set.of("takeAlongAxis", "scatterAdd", "indexSelect", "flip", "roll", "tile", "tril", "triu", "diagonal",
            "diag", "trace", "outer", "einsum");

    private static Tensor random(long seed, int... shape) {
        return TensorRandom.seed(seed).normal(shape);
    }

    private static int mod(int i, int n) {
        return ((i % n) + n) % n;
    }

    @Test
    void takeAlongAxisPicksPositionByPositionWithNegativeIndicesAndBroadcasting() {
        Tensor x = random(1, 3, 4);
        int[][] k = {{3, -1}, {0, 0}, {-4, 2}};
        Tensor idx = Tensor.of(new double[] {3, -1, 0, 0, -4, 2}, 3, 2);
        Tensor y = x.takeAlongAxis(idx, 1);
        assertArrayEquals(new int[] {3, 2}, y.shape());
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) assertEquals(x.get(i, mod(k[i][j], 4)), y.get(i, j), 0);
        // along axis 0, with x [1, 4]... broadcast: index [2, 4] against x [3, 1] gives [2, 4], x's column repeated
        Tensor col = random(2, 3, 1), i0 = Tensor.of(new double[] {0, 1, 2, -1, -3, -2, 1, 0}, 2, 4);
        Tensor z = col.takeAlongAxis(i0, 0);
        assertArrayEquals(new int[] {2, 4}, z.shape());
        for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) assertEquals(col.get(mod((int) i0.get(i, j), 3), 0), z.get(i, j), 0);
        // the index broadcast against x: index [1, 2] on x [3, 4] along axis 1 is x[:, [1, -1]]
        Tensor b = x.takeAlongAxis(Tensor.of(new double[] {1, -1}, 1, 2), -1);
        for (int i = 0; i < 3; i++) assertArrayEquals(new double[] {x.get(i, 1), x.get(i, 3)}, new double[] {b.get(i, 0), b.get(i, 1)}, 0);
    }

    @Test
    void repeatedIndicesAccumulateInTheVjpAndInScatterAdd() {
        Tensor x = random(3, 2, 3), w = random(4, 2, 4);
        Tensor idx = Tensor.of(new double[] {1, 1, -2, 0, 2, 2, 2, -1}, 2, 4);
        Tensor g = Diff.grad(z -> z.takeAlongAxis(idx, 1).mul(w).sum(), x);
        double[][] want = new double[2][3];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) want[i][mod((int) idx.get(i, j), 3)] += w.get(i, j);
        for (int i = 0; i < 2; i++) for (int c = 0; c < 3; c++) assertEquals(want[i][c], g.get(i, c), 1e-15);
        assertEquals(w.get(1, 0) + w.get(1, 1) + w.get(1, 2) + w.get(1, 3), g.get(1, 2), 1e-15); // row 1: 2, 2, 2 and −1 all hit column 2
        Tensor s = x.scatterAdd(idx, w, 1);
        for (int i = 0; i < 2; i++) for (int c = 0; c < 3; c++) assertEquals(x.get(i, c) + want[i][c], s.get(i, c), 1e-15);
        // and scatterAdd's VJP w.r.t. the values gathers: ∂/∂v Σ u ⊙ scatterAdd(x, idx, v) = takeAlongAxis(u, idx)
        Tensor u = random(5, 2, 3);
        Tensor gv = Diff.grad(v -> x.scatterAdd(idx, v, 1).mul(u).sum(), w);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) assertEquals(u.get(i, mod((int) idx.get(i, j), 3)), gv.get(i, j), 0);
    }

    @Test
    void indexSelectAndFlipAgainstLoops() {
        Tensor x = random(6, 3, 2, 4);
        int[] k = {2, -1, 0, 2};
        Tensor s = x.indexSelect(k, 0), t = x.indexSelect(new int[] {-4, 3}, -1), f = x.flip(0, -1), e = x.indexSelect(new int[0], 1);
        assertArrayEquals(new int[] {3, 0, 4}, e.shape());
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) for (int c = 0; c < 4; c++) {
            assertEquals(x.get(2 - i, j, 3 - c), f.get(i, j, c), 0);
            if (c < 2) assertEquals(x.get(i, j, c == 0 ? 0 : 3), t.get(i, j, c), 0);
        }
        for (int q = 0; q < 4; q++) for (int j = 0; j < 2; j++) for (int c = 0; c < 4; c++) assertEquals(x.get(mod(k[q], 3), j, c), s.get(q, j, c), 0);
    }

    @Test
    void rollShiftsCyclicallyWithNegativeAndRepeatedShifts() {
        Tensor x = random(7, 3, 4);
        Tensor r = x.roll(RollOptions.shifts(1, -5).axes(0, -1)), flat = x.roll(RollOptions.shifts(-13)), twice = x.roll(RollOptions.shifts(2, -1).axes(1, 1));
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) {
            assertEquals(x.get(i, j), r.get(mod(i + 1, 3), mod(j - 5, 4)), 0);
            int f = i * 4 + j, g = mod(f - 13, 12);
            assertEquals(x.get(i, j), flat.get(g / 4, g % 4), 0);
            assertEquals(x.get(i, j), twice.get(i, mod(j + 1, 4)), 0);
        }
        assertArrayEquals(new double[] {3, 1, 2}, Tensor.vector(1, 2, 3).roll(RollOptions.shifts(1).axes(0)).toArray(), 0);
        assertArrayEquals(new double[] {2, 3, 1}, Tensor.vector(1, 2, 3).roll(RollOptions.shifts(-1)).toArray(), 0);
        assertEquals(4.0, Tensor.scalar(4).roll(RollOptions.shifts(3)).item(), 0);           // 0-d, flattened
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).roll(RollOptions.shifts(2, 1).axes(0, 1)).shape());
    }

    @Test
    void tileIsNumpysTile() {
        Tensor x = random(8, 2, 3);
        Tensor t = x.tile(2, 1, 3), v = Tensor.vector(1, 2, 3).tile(2, 2), s = Tensor.scalar(5).tile(2), z = x.tile(0, 2);
        assertArrayEquals(new int[] {2, 2, 9}, t.shape());
        for (int a = 0; a < 2; a++) for (int i = 0; i < 2; i++) for (int j = 0; j < 9; j++) assertEquals(x.get(i, j % 3), t.get(a, i, j), 0);
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}, v.toArray(), 0);
        assertArrayEquals(new int[] {2, 6}, v.shape());
        assertArrayEquals(new double[] {5, 5}, s.toArray(), 0);
        assertArrayEquals(new int[] {0, 6}, z.shape());
        Tensor g = Diff.grad(y -> y.tile(3, 2).sum(), x);                                        // six copies of every element
        for (double d : g.toArray()) assertEquals(6, d, 0);
    }

    @Test
    void trianglesDiagonalsAndTraceAgainstLoops() {
        Tensor x = random(9, 2, 3, 4);
        for (int k = -3; k <= 4; k++) {
            Tensor lo = x.tril(k), up = x.triu(k), dg = x.diagonal(DiagonalOptions.defaults().offset(k));
            int len = Math.max(0, k >= 0 ? Math.min(3, 4 - k) : Math.min(3 + k, 4));
            assertArrayEquals(new int[] {2, len}, dg.shape(), "offset " + k);
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) {
                    assertEquals(j - i <= k ? x.get(b, i, j) : 0, lo.get(b, i, j), 0);
                    assertEquals(j - i >= k ? x.get(b, i, j) : 0, up.get(b, i, j), 0);
                }
                for (int t = 0; t < len; t++) assertEquals(x.get(b, t + Math.max(0, -k), t + Math.max(0, k)), dg.get(b, t), 0);
            }
        }
        // rows on axis 2 (4), columns on axis 0 (2), offset −1: y[j, t] = x[t, j, t + 1], of length min(4 − 1, 2)
        Tensor d = x.diagonal(DiagonalOptions.defaults().offset(-1).axes(2, 0));
        assertArrayEquals(new int[] {3, 2}, d.shape());
        for (int j = 0; j < 3; j++) for (int t = 0; t < 2; t++) assertEquals(x.get(t, j, t + 1), d.get(j, t), 0);
        Tensor sq = random(10, 2, 3, 3), tr = sq.trace();
        for (int b = 0; b < 2; b++) assertEquals(sq.get(b, 0, 0) + sq.get(b, 1, 1) + sq.get(b, 2, 2), tr.get(b), 1e-15);
        assertEquals(0.0, Tensor.zeros(0, 3).trace().item(), 0);
        Tensor v = random(11, 2, 3);
        for (int k = -2; k <= 2; k++) {
            Tensor m = v.diag(k);
            int n = 3 + Math.abs(k);
            assertArrayEquals(new int[] {2, n, n}, m.shape());
            for (int b = 0; b < 2; b++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
                int t = i - Math.max(0, -k);
                assertEquals(j - i == k ? v.get(b, t) : 0, m.get(b, i, j), 0);
            }
        }
        assertArrayEquals(new int[] {2, 2}, Tensor.zeros(0).diag(2).shape());
    }

    @Test
    void outerAgainstLoops() {
        Tensor a = random(12, 3), b = random(13, 4), o = a.outer(b);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) assertEquals(a.get(i) * b.get(j), o.get(i, j), 0);
        throwsWith(IllegalArgumentException.class, () -> a.reshape(3, 1).outer(b), "outer", "two vectors");
    }

    // ------------------------------------------------------------------ einsum

    /** einsum by brute force: every assignment of the letters, explicit output, no '...'. */
    static Tensor bruteForce(String subscripts, Tensor... xs) {
        String[] io = subscripts.split("->", -1);
        String[] terms = io[0].split(",", -1);
        String out = io[1];
        Map<Character, Integer> size = new HashMap<>();
        for (int t = 0; t < terms.length; t++) for (int a = 0; a < terms[t].length(); a++) size.put(terms[t].charAt(a), xs[t].dim(a));
        Character[] letters = size.keySet().toArray(new Character[0]);
        int[] outShape = new int[out.length()];
        for (int a = 0; a < outShape.length; a++) outShape[a] = size.get(out.charAt(a));
        double[] y = new double[Arrays.stream(outShape).reduce(1, (p, q) -> p * q)];
        int total = 1;
        for (Character c : letters) total *= size.get(c);
        Map<Character, Integer> at = new HashMap<>();
        for (int f = 0; f < total; f++) {
            int r = f;
            for (Character c : letters) {
                at.put(c, r % size.get(c));
                r /= size.get(c);
            }
            double p = 1;
            for (int t = 0; t < terms.length; t++) {
                int[] i = new int[terms[t].length()];
                for (int a = 0; a < i.length; a++) i[a] = at.get(terms[t].charAt(a));
                p *= xs[t].get(i);
            }
            int o = 0;
            for (int a = 0; a < outShape.length; a++) o = o * outShape[a] + at.get(out.charAt(a));
            y[o] += p;
        }
        return Tensor.of(y, outShape);
    }

    private static void same(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        double[] w = want.toArray(), g = got.toArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], 1e-13 * (1 + Math.abs(w[i])), what + ": element " + i);
    }

    @Test
    void einsumAgainstTheExplicitCompositionAndBruteForce() {
        Tensor a = random(20, 2, 3), b = random(21, 3, 4), ba = random(22, 5, 2, 3), bb = random(23, 5, 3, 4), sq = random(24, 3, 3);
        Tensor u = random(25, 2), v = random(26, 3), bsq = random(27, 5, 3, 3);
        Object[][] table = {
            {"ij,jk->ik", new Tensor[] {a, b}, a.matmul(b)},                                   // matrix product
            {"bij,bjk->bik", new Tensor[] {ba, bb}, ba.matmul(bb)},                            // batch product
            {"ii->", new Tensor[] {sq}, sq.trace()},                                           // trace
            {"i,j->ij", new Tensor[] {u, v}, u.outer(v)},                                      // outer
            {"i,ij,j->", new Tensor[] {u, a, v}, u.matmul(a).matmul(v)},                       // bilinear form uᵀ A v
            {"ij->ji", new Tensor[] {a}, a.transpose()},                                       // transposition
            {"ii->i", new Tensor[] {sq}, sq.diagonal()},                                       // diagonal extraction
            {"ij->", new Tensor[] {a}, a.sum()},                                               // sum over all
            {"bii->b", new Tensor[] {bsq}, bsq.trace()},                                       // batched trace
            {"ij,kj->ik", new Tensor[] {a, b.transpose()}, a.matmul(b)},                       // a product with a transposed operand
            {"ij,ij->", new Tensor[] {a, a}, a.mul(a).sum()},                                  // Frobenius inner product, one operand twice
            {"ik,kj->ji", new Tensor[] {a, b}, a.matmul(b).transpose()},
            {"bij->bj", new Tensor[] {ba}, ba.sum(1)},
            {"ij,jk,kl->il", new Tensor[] {a, b, random(28, 4, 2)}, a.matmul(b).matmul(random(28, 4, 2))},
        };
        for (Object[] row : table) {
            String s = (String) row[0];
            Tensor[] ops = (Tensor[]) row[1];
            Tensor got = Tensor.einsum(s, ops);
            same((Tensor) row[2], got, s);
            same(bruteForce(s, ops), got, s + " (brute force)");
        }
        // a letter three times, a diagonal kept with another operand, an uppercase letter: against brute force only
        Tensor cube = random(29, 3, 3, 3);
        for (Object[] row : new Object[][] {{"iii->i", new Tensor[] {cube}}, {"iij,jk->ki", new Tensor[] {cube, random(30, 3, 2)}},
                {"iJ,Jk->ik", new Tensor[] {a, b}}, {"ji,jk->ik", new Tensor[] {a.transpose(), b}}, {"ij,ij->ij", new Tensor[] {a, a}}, {"->", new Tensor[] {Tensor.scalar(2.5)}},
                {",i->i", new Tensor[] {Tensor.scalar(2), v}}}) {
            same(bruteForce((String) row[0], (Tensor[]) row[1]), Tensor.einsum((String) row[0], (Tensor[]) row[1]), (String) row[0]);
        }
    }

    @Test
    void einsumImplicitOutputAndEllipsisAreNumpys() {
        Tensor a = random(31, 2, 3), b = random(32, 3, 4);
        same(a.matmul(b), Tensor.einsum("ij,jk", a, b), "ij,jk");                    // i and k once, in order
        same(a.matmul(b), Tensor.einsum("kj,ji", b.transpose(), a.transpose()), "kj,ji"); // the output is "ik": letters sorted
        same(Tensor.einsum("ij->ji", a), Tensor.einsum("ji", a), "ji");              // implicit output "ij": a transpose
        same(a.transpose().matmul(a).trace().reshape(), Tensor.einsum("ij,ij", a, a), "ij,ij"); // nothing once: a scalar
        Tensor x = random(33, 2, 1, 2, 3), y = random(34, 3, 3, 2);                 // '...' broadcasts [2, 1] against [3]
        Tensor e = Tensor.einsum("...ij,...jk", x, y), m = x.matmul(y);
        same(m, e, "...ij,...jk");
        same(m, Tensor.einsum("...ij,...jk->...ik", x, y), "explicit ...");
        Tensor p = random(35, 4, 2, 3), q = random(36, 4, 3, 2);
        same(p.matmul(q).sum(0), Tensor.einsum("bij,bjk->ik", p, q), "a batch summed");
        assertArrayEquals(new int[] {4, 2}, Tensor.einsum("ij...,j", random(37, 2, 3, 4), random(38, 3)).shape()); // '...' first, then i
        assertArrayEquals(new int[] {3, 2}, Tensor.einsum("bA", a).shape());                                      // uppercase first: "Ab"
    }

    @Test
    void einsumOnSizeZeroAndZeroDimensionalOperands() {
        Tensor e = Tensor.einsum("ij,jk->ik", Tensor.ones(2, 0), Tensor.ones(0, 4));
        assertArrayEquals(new int[] {2, 4}, e.shape());
        for (double d : e.toArray()) assertEquals(0, d, 0);                           // an empty sum is 0
        assertArrayEquals(new int[] {0, 4}, Tensor.einsum("ij,jk->ik", Tensor.ones(0, 3), Tensor.ones(3, 4)).shape());
        assertEquals(6.0, Tensor.einsum(",->", Tensor.scalar(2), Tensor.scalar(3)).item(), 0);
        Tensor g = Diff.grad(z -> Tensor.einsum("ij,jk->", z, Tensor.ones(0, 2)), Tensor.ones(3, 0));
        assertArrayEquals(new int[] {3, 0}, g.shape());
    }

    private static void throwsWith(Class<? extends Throwable> type, Executable call, String... parts) {
        Throwable e = assertThrows(type, call);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks «" + p + "»: " + e.getMessage());
    }

    @Test
    void malformedSubscriptsAreRefusedByName() {
        Tensor a = random(40, 2, 3), b = random(41, 3, 4);
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ij,jk->ik", a), "einsum", "2 operands", "1 operand was given");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ij->ij", a, b), "einsum", "1 operand", "2 operands were given");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ijk,jk->i", a, b), "einsum", "operand 0", "rank 2", "name 3 axes");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ij,ik->jk", a, b), "einsum", "letter 'i'", "size 2", "size 3");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ii->i", a), "einsum", "letter 'i'", "size 2", "size 3");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("i1,jk->ik", a, b), "einsum", "bad character '1'");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ij;jk->ik", a, b), "einsum", "bad character ';'");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("i.j->i", a), "einsum", "bad character '.'");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("......->", a), "einsum", "bad character '.'");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ij,jk->iz", a, b), "einsum", "output letter 'z'", "no operand");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ij,jk->ii", a, b), "einsum", "output letter 'i'", "twice");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ij->i->j", a), "einsum", "more than one '->'");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("ij->i,j", a), "einsum", "one term");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("...j->j", random(42, 2, 2, 3)), "einsum", "'...' axes must appear");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("...ij,...jk", random(43, 2, 2, 3), random(44, 3, 3, 4)), "einsum", "do not broadcast");
        throwsWith(IllegalArgumentException.class, () -> Tensor.einsum("i->i"), "einsum", "at least one operand");
        throwsWith(NullPointerException.class, () -> Tensor.einsum(null, a), "einsum", "subscripts is null");
        throwsWith(NullPointerException.class, () -> Tensor.einsum("i,j", a, null), "einsum", "operands[1] is null");
    }

    @Test
    void badIndicesOffsetsAndAxesAreRefusedByName() {
        Tensor x = random(50, 2, 3);
        throwsWith(IndexOutOfBoundsException.class, () -> x.takeAlongAxis(Tensor.of(new double[] {0, 3}, 1, 2), 1), "takeAlongAxis", "= 3",
                "out of range for axis 1 of size 3", "-3..2");
        throwsWith(IndexOutOfBoundsException.class, () -> x.takeAlongAxis(Tensor.of(new double[] {-4}, 1, 1), 1), "takeAlongAxis", "= -4");
        throwsWith(IllegalArgumentException.class, () -> x.takeAlongAxis(Tensor.of(new double[] {0.5}, 1, 1), 1), "takeAlongAxis", "0.5", "not an integer");
        throwsWith(IllegalArgumentException.class, () -> x.takeAlongAxis(Tensor.of(new double[] {Double.NaN}, 1, 1), 1), "takeAlongAxis", "NaN");
        throwsWith(IllegalArgumentException.class, () -> x.takeAlongAxis(Tensor.vector(0, 1), 1), "takeAlongAxis", "same rank");
        throwsWith(IllegalArgumentException.class, () -> x.takeAlongAxis(Tensor.zeros(3, 1), 1), "takeAlongAxis", "does not broadcast");
        throwsWith(IllegalArgumentException.class, () -> x.takeAlongAxis(Tensor.zeros(2, 1), 2), "takeAlongAxis", "axis 2 is out of range");
        throwsWith(IllegalArgumentException.class, () -> Diff.grad(i -> x.takeAlongAxis(i, 1).sum(), Tensor.zeros(2, 1)), "takeAlongAxis", "constant");
        throwsWith(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 0).takeAlongAxis(Tensor.zeros(2, 1), 1), "takeAlongAxis", "the axis is empty");
        throwsWith(IndexOutOfBoundsException.class, () -> x.scatterAdd(Tensor.of(new double[] {0, 3}, 2, 1), Tensor.ones(2, 1), 1), "scatterAdd", "= 3");
        throwsWith(IllegalArgumentException.class, () -> x.scatterAdd(Tensor.zeros(2, 1), Tensor.ones(2, 2), 1), "scatterAdd", "one shape");
        throwsWith(IllegalArgumentException.class, () -> x.scatterAdd(Tensor.zeros(1, 1), Tensor.ones(1, 1), 1), "scatterAdd", "must match x");
        throwsWith(IndexOutOfBoundsException.class, () -> x.indexSelect(new int[] {1, 2}, 0), "indexSelect", "index[1] = 2", "size 2");
        throwsWith(IndexOutOfBoundsException.class, () -> x.indexSelect(new int[] {-3}, 0), "indexSelect", "index[0] = -3");
        throwsWith(IllegalArgumentException.class, () -> x.flip(), "flip", "at least one axis");
        throwsWith(IllegalArgumentException.class, () -> x.flip(1, -1), "flip", "twice");
        throwsWith(IllegalArgumentException.class, () -> x.roll(RollOptions.shifts(1, 2)), "roll", "2 shifts");
        throwsWith(IllegalArgumentException.class, () -> RollOptions.shifts(1, 2).axes(0), "RollOptions.axes", "1 axes for 2 shifts");
        throwsWith(IllegalArgumentException.class, () -> x.roll(RollOptions.shifts(1).axes(2)), "roll", "axis 2");
        throwsWith(IllegalArgumentException.class, () -> x.tile(2, -1), "tile", "reps[1] = -1");
        throwsWith(IllegalArgumentException.class, () -> Tensor.vector(1, 2).tril(), "tril", "[2]");
        throwsWith(IllegalArgumentException.class, () -> Tensor.vector(1, 2).triu(-1), "triu", "[2]");
        throwsWith(IllegalArgumentException.class, () -> Tensor.vector(1, 2).trace(), "trace");
        throwsWith(IllegalArgumentException.class, () -> Tensor.vector(1, 2).diagonal(), "diagonal", "rank ≥ 2");
        throwsWith(IllegalArgumentException.class, () -> x.diagonal(DiagonalOptions.defaults().axes(1, -1)), "diagonal", "both axis 1");
        throwsWith(IllegalArgumentException.class, () -> Tensor.scalar(1).diag(), "diag", "0-d");
        throwsWith(NullPointerException.class, () -> x.roll(null), "roll", "options is null");
        throwsWith(NullPointerException.class, () -> x.takeAlongAxis(null, 0), "takeAlongAxis", "index is null");
        // offsets past the matrix are fine: an empty diagonal, an all-zero or a whole triangle
        assertArrayEquals(new int[] {0}, x.diagonal(DiagonalOptions.defaults().offset(Integer.MAX_VALUE)).shape());
        assertArrayEquals(new int[] {0}, x.diagonal(DiagonalOptions.defaults().offset(Integer.MIN_VALUE)).shape());
        assertArrayEquals(x.toArray(), x.tril(Integer.MAX_VALUE).toArray(), 0);
        for (double d : x.triu(Integer.MAX_VALUE).toArray()) assertEquals(0, d, 0);
        throwsWith(IllegalArgumentException.class, () -> Tensor.vector(1).diag(Integer.MAX_VALUE), "diag", "2³¹ − 1");
    }

    /** The ops on size-0 and 0-d inputs where that is meaningful, primal and gradient. */
    @Test
    void sizeZeroInputs() {
        Tensor e = Tensor.zeros(0, 3);
        for (Function<Tensor, Tensor> f : java.util.List.<Function<Tensor, Tensor>>of(t -> t.flip(0), t -> t.roll(RollOptions.shifts(1)),
                t -> t.roll(RollOptions.shifts(1).axes(1)), Tensor::tril, Tensor::triu, t -> t.indexSelect(new int[] {2, 0}, 1))) {
            assertEquals(0, f.apply(e).size());
            assertArrayEquals(new int[] {0, 3}, Diff.grad(z -> f.apply(z).sum(), e).shape());
        }
        assertArrayEquals(new int[] {0}, e.diagonal().shape());
        assertArrayEquals(new int[] {0, 0}, Tensor.zeros(0).diag().shape());
        assertArrayEquals(new int[] {0, 2}, e.takeAlongAxis(Tensor.zeros(0, 2), 1).shape());
    }
}
