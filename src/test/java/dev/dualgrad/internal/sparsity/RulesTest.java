package dev.dualgrad.internal.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.Functional;
import dev.dualgrad.ops.CustomOp;
import dev.dualgrad.tensor.Linalg;
import dev.dualgrad.tensor.NormOptions;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TriangularSolveOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sparsity rules of the primitives beyond the elementwise and shape ops, each on a small case whose
 * pattern is written out by hand, and each checked against the dense Jacobian at a random point: every
 * nonzero of ∂f/∂x must lie in the detected pattern (a rule may be denser than the matrix, never sparser).
 */
class RulesTest {
    private static final Random RNG = new Random(13);

    /** Values in [0.5, 1.5): away from 0, where nothing is accidentally zero. */
    static Tensor point(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 0.5 + RNG.nextDouble();
        return Tensor.of(v, shape);
    }

    /** The detected pattern equals {@code want} (when given) and contains the dense Jacobian's nonzeros at x. */
    static void check(TensorFunction f, Tensor x, int[][] want) {
        int[][] rows = Detection.jacobianRows("test", f, x);
        if (want != null) {
            assertEquals(want.length, rows.length, "rows");
            for (int i = 0; i < want.length; i++) assertArrayEquals(want[i], rows[i], "row " + i + ": " + Arrays.toString(rows[i]));
        }
        double[] j = Diff.jacobian(f, x).toArray();
        int n = x.size();
        assertEquals(rows.length * n, j.length);
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < n; c++) {
                if (j[i * n + c] != 0) {
                    assertTrue(Arrays.binarySearch(rows[i], c) >= 0,
                            "∂y[" + i + "]/∂x[" + c + "] = " + j[i * n + c] + " is not in the pattern " + Arrays.toString(rows[i]));
                }
            }
        }
    }

    /** The detected Hessian pattern (traced through the VJP rules) contains the dense Hessian's nonzeros at x. */
    static int[][] checkHessian(TensorFunction f, Tensor x) {
        int[][] rows = Detection.hessianRows("test", f, x);
        double[] h = Diff.hessian(f, x).toArray();
        int n = x.size();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < n; c++) {
                if (h[i * n + c] != 0) {
                    assertTrue(Arrays.binarySearch(rows[i], c) >= 0,
                            "∂²f/∂x[" + i + "]∂x[" + c + "] = " + h[i * n + c] + " is not in the pattern " + Arrays.toString(rows[i]));
                }
            }
        }
        return rows;
    }

    /** {@code count} copies of one row. */
    static int[][] times(int count, int... row) {
        int[][] r = new int[count][];
        Arrays.fill(r, row);
        return r;
    }

    static int[][] concat(int[][]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(int[][]::new);
    }

    static final int[] E = {};

    // ------------------------------------------------------------------ scans

    @Test
    void cumsumOfAVectorIsLowerTriangular() {
        check(z -> z.cumsum(0), point(4), new int[][] {{0}, {0, 1}, {0, 1, 2}, {0, 1, 2, 3}});
    }

    @Test
    void cumsumAlongTheFirstAxisRunsDownEachColumn() {
        check(z -> z.cumsum(0), point(3, 2), new int[][] {{0}, {1}, {0, 2}, {1, 3}, {0, 2, 4}, {1, 3, 5}});
    }

    @Test
    void cumprodAndLogcumsumexpAreLowerTriangular() {
        int[][] lower = {{0}, {0, 1}, {0, 1, 2}};
        check(z -> z.cumprod(0), point(3), lower);
        check(z -> z.logcumsumexp(0), point(3), lower);
        // along the last axis of a matrix: rows do not mix
        check(z -> z.cumprod(1), point(2, 2), new int[][] {{0}, {0, 1}, {2}, {2, 3}});
    }

    @Test
    void reversedScansInTheRulesAreTracedToo() {
        // the VJP of cumsum is a reversed cumsum and prod's rules use reversed linear scans: the Hessian
        // patterns go through them; ∂²/∂xᵢ∂xⱼ Σ (cumsum x)² = Σ_k≥max(i,j) 2 is dense, as is prod's off the diagonal
        int[][] h = Detection.hessianRows("test", z -> z.cumsum(0).square().sum(), point(3));
        for (int[] r : h) assertArrayEquals(new int[] {0, 1, 2}, r);
        // prod's gradient is the product of the others, P_i = (forward scan of x_0..x_{i−1})·(reversed scan of
        // x_{i+1}..): ∂²Π/∂xᵢ∂xⱼ ≠ 0 exactly for j ≠ i, and the prefix and suffix patterns give exactly that
        int[][] hp = checkHessian(z -> z.prod(), point(4));
        assertArrayEquals(new int[][] {{1, 2, 3}, {0, 2, 3}, {0, 1, 3}, {0, 1, 2}}, hp);
    }

    // ------------------------------------------------------------------ reductions

    @Test
    void sumOverAnAxisGroupsItsRowsOrColumns() {
        check(z -> z.sum(1), point(2, 3), new int[][] {{0, 1, 2}, {3, 4, 5}});
        check(z -> z.sum(0, true), point(2, 3), new int[][] {{0, 3}, {1, 4}, {2, 5}});
        check(z -> z.sum(), point(2, 2), new int[][] {{0, 1, 2, 3}});
        check(z -> z.sum(new int[] {0, 2}, false), point(2, 2, 2), new int[][] {{0, 1, 4, 5}, {2, 3, 6, 7}});
    }

    @Test
    void maxProdAndNormReduceLikeSum() {
        check(z -> z.max(0), point(2, 3), new int[][] {{0, 3}, {1, 4}, {2, 5}});
        check(z -> z.prod(0), point(2, 2), new int[][] {{0, 2}, {1, 3}});
        check(z -> z.norm(new int[] {1}), point(2, 2), new int[][] {{0, 1}, {2, 3}});
        check(z -> z.norm(new int[] {1}, NormOptions.defaults().keepDims(true)), point(2, 2), new int[][] {{0, 1}, {2, 3}});
    }

    @Test
    void logsumexpReducesAndTheSoftmaxesSpreadTheGroupBack() {
        check(z -> z.logsumexp(1), point(2, 3), new int[][] {{0, 1, 2}, {3, 4, 5}});
        check(z -> z.softmax(0), point(2, 2), new int[][] {{0, 2}, {1, 3}, {0, 2}, {1, 3}});
        check(z -> z.logSoftmax(1), point(2, 2), new int[][] {{0, 1}, {0, 1}, {2, 3}, {2, 3}});
    }

    // ------------------------------------------------------------------ matmul

    @Test
    void matmulWithOnlyBTracedDependsOnBsColumns() {
        Tensor a = point(2, 3);
        // out[i, j] = Σ_k a[i, k]·b[k, j]: column j of b, {j, 2 + j, 4 + j}
        check(b -> a.matmul(b.reshape(3, 2)), point(6), new int[][] {{0, 2, 4}, {1, 3, 5}, {0, 2, 4}, {1, 3, 5}});
    }

    @Test
    void matmulWithOnlyATracedDependsOnAsRows() {
        Tensor b = point(3, 2);
        check(a -> a.reshape(2, 3).matmul(b), point(6), new int[][] {{0, 1, 2}, {0, 1, 2}, {3, 4, 5}, {3, 4, 5}});
        // Aᵀ·B with A [3, 2] stored: row i of Aᵀ is column i of A, {i, 2 + i, 4 + i}
        check(a -> a.reshape(3, 2).matmul(b, true, false), point(6), new int[][] {{0, 2, 4}, {0, 2, 4}, {1, 3, 5}, {1, 3, 5}});
    }

    @Test
    void matmulWithBothTracedIsTheUnionOfARowAndAColumn() {
        // z = [A (2×2) flat, B (2×2) flat]: out[i, j] = {2i, 2i + 1} ∪ {4 + j, 6 + j}
        TensorFunction f = z -> z.slice(0, 0, 4).reshape(2, 2).matmul(z.slice(0, 4, 8).reshape(2, 2));
        check(f, point(8), new int[][] {{0, 1, 4, 6}, {0, 1, 5, 7}, {2, 3, 4, 6}, {2, 3, 5, 7}});
        // B transposed: column j of Bᵀ is row j of B, {4 + 2j, 5 + 2j}
        TensorFunction g = z -> z.slice(0, 0, 4).reshape(2, 2).matmul(z.slice(0, 4, 8).reshape(2, 2), false, true);
        check(g, point(8), new int[][] {{0, 1, 4, 5}, {0, 1, 6, 7}, {2, 3, 4, 5}, {2, 3, 6, 7}});
    }

    @Test
    void matmulOfVectorsAndBatches() {
        Tensor m = point(3, 2);
        check(v -> v.matmul(m), point(3), new int[][] {{0, 1, 2}, {0, 1, 2}});
        Tensor w = point(3);
        check(a -> a.reshape(2, 3).matmul(w), point(6), new int[][] {{0, 1, 2}, {3, 4, 5}});
        // A [2, 1, 2] (two batch entries) against one B [2, 2]: entry q reads only its own row {2q, 2q + 1}
        Tensor b = point(2, 2);
        check(a -> a.reshape(2, 1, 2).matmul(b), point(4), new int[][] {{0, 1}, {0, 1}, {2, 3}, {2, 3}});
        // one A [1, 2] against B [2, 2, 1] traced: entry q reads column 0 of its own B, {2q, 2q + 1}
        Tensor a1 = point(1, 2);
        check(bz -> a1.matmul(bz.reshape(2, 2, 1)), point(4), new int[][] {{0, 1}, {2, 3}});
    }

    // ------------------------------------------------------------------ layer norm

    @Test
    void layerNormDependsOnTheWholeRow() {
        check(z -> Functional.layerNorm(z.reshape(2, 3), new int[] {3}), point(6), concat(times(3, 0, 1, 2), times(3, 3, 4, 5)));
    }

    @Test
    void layerNormWithAffineAddsTheMatchingWeightAndBias() {
        // z = [x (2×2) flat, w (2), b (2)]: out[r, j] = {2r, 2r + 1} ∪ {4 + j} ∪ {6 + j}
        TensorFunction f = z -> Functional.layerNorm(z.slice(0, 0, 4).reshape(2, 2), new int[] {2}, z.slice(0, 4, 6), z.slice(0, 6, 8));
        check(f, point(8), new int[][] {{0, 1, 4, 6}, {0, 1, 5, 7}, {2, 3, 4, 6}, {2, 3, 5, 7}});
        // x a constant: only the weights and biases
        Tensor x = point(2, 2);
        TensorFunction g = z -> Functional.layerNorm(x, new int[] {2}, z.slice(0, 0, 2), z.slice(0, 2, 4));
        check(g, point(4), new int[][] {{0, 2}, {1, 3}, {0, 2}, {1, 3}});
    }

    // ------------------------------------------------------------------ gathers and scatters

    @Test
    void gathersSelectOneElementEach() {
        check(z -> z.indexSelect(new int[] {2, 0, 2}, 0), point(4), new int[][] {{2}, {0}, {2}});
        check(z -> z.flip(0), point(3), new int[][] {{2}, {1}, {0}});
        check(z -> z.reshape(2, 3).takeAlongAxis(Tensor.of(new double[] {2, 0}, 2, 1), 1), point(6), new int[][] {{2}, {3}});
    }

    @Test
    void scatterAddSumsWhatLandsOnOnePosition() {
        // z = [x (3), values (2)], both values added at position 0: out[0] = {0, 3, 4}
        TensorFunction f = z -> z.slice(0, 0, 3).scatterAdd(Tensor.vector(0, 0), z.slice(0, 3, 5), 0);
        check(f, point(5), new int[][] {{0, 3, 4}, {1}, {2}});
        // x a constant: a position no value lands on depends on nothing
        TensorFunction g = v -> Tensor.zeros(3).scatterAdd(Tensor.vector(2, 0), v, 0);
        check(g, point(2), new int[][] {{1}, E, {0}});
    }

    @Test
    void pickAndScatterByClass() {
        check(z -> z.reshape(2, 3).pick(new int[] {2, 0}), point(6), new int[][] {{2}, {3}});
        // scatter [2] into [2, 3]: row n holds x[n] at class i_n, constant zeros elsewhere
        check(z -> z.scatter(new int[] {1, 0}, 3), point(2), new int[][] {E, {0}, E, {1}, E, E});
        // a batch prefix: pick from [2, 2, 2], one index per row of the second axis
        check(z -> z.reshape(2, 2, 2).pick(new int[] {1, 0}), point(8), new int[][] {{1}, {2}, {5}, {6}});
    }

    // ------------------------------------------------------------------ custom ops

    static CustomOp.Builder timesTwoPlus() {
        return CustomOp.builder("timesTwoPlus").arity(2)
                .primal(x -> x[0].mul(2).add(x[1]))
                .jvp((x, y, dx) -> dx[0].mul(2).add(dx[1]))
                .vjp((x, y, gy) -> new Tensor[] {gy.mul(2), gy.sum(0, true)});
    }

    @Test
    void aCustomOpIsDenseUnlessDeclaredElementwise() {
        // y = 2·a + b with a [3] and b [1] broadcast; z = [a, b]
        CustomOp dense = timesTwoPlus().build(), elementwise = timesTwoPlus().elementwise().build();
        check(z -> dense.apply(z.slice(0, 0, 3), z.slice(0, 3, 4)), point(4), times(3, 0, 1, 2, 3));
        check(z -> elementwise.apply(z.slice(0, 0, 3), z.slice(0, 3, 4)), point(4), new int[][] {{0, 3}, {1, 3}, {2, 3}});
        CustomOp linear = CustomOp.linear("negate").arity(1).primal(x -> x[0].neg()).adjoint((gy, s) -> new Tensor[] {gy.neg()}).elementwise().build();
        check(z -> linear.apply(z), point(2), new int[][] {{0}, {1}});
        // a declaration that does not fit the output's shape is refused, not trusted
        CustomOp wrong = CustomOp.builder("total").arity(1).primal(x -> x[0].sum()).jvp((x, y, dx) -> dx[0].sum())
                .vjp((x, y, gy) -> new Tensor[] {gy.broadcastTo(x[0].shape())}).elementwise().build();
        assertThrows(IllegalStateException.class, () -> Detection.jacobianRows("test", z -> wrong.apply(z), point(3)));
    }

    // ------------------------------------------------------------------ linear algebra

    /** A batch of symmetric positive-definite matrices [count, n, n], flattened: M·Mᵀ + n·I. */
    static Tensor spd(int count, int n) {
        double[] v = new double[count * n * n];
        for (int q = 0; q < count; q++) {
            double[] m = point(n, n).toArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = i == j ? n : 0;
                    for (int k = 0; k < n; k++) s += m[i * n + k] * m[j * n + k];
                    v[(q * n + i) * n + j] = s;
                }
            }
        }
        return Tensor.vector(v);
    }

    /** For batch entries of n×n matrices: the flat indices of entry q's lower triangle, row-major. */
    static int[] lower(int q, int n) {
        return java.util.stream.IntStream.range(0, n * n).filter(e -> e % n <= e / n).map(e -> q * n * n + e).toArray();
    }

    static int[] block(int q, int size) {
        return java.util.stream.IntStream.range(q * size, (q + 1) * size).toArray();
    }

    @Test
    void batchedCholeskyIsBlockDiagonalOnTheLowerTriangles() {
        // [2, 3, 3]: L[q, i, j] (j ≤ i) reads the lower triangle of A[q] only; above the diagonal: constants
        int[][] want = new int[18][];
        for (int e = 0; e < 18; e++) {
            int q = e / 9, i = e % 9 / 3, j = e % 3;
            want[e] = j <= i ? lower(q, 3) : E;
        }
        check(z -> Linalg.cholesky(z.reshape(2, 3, 3)), spd(2, 3), want);
    }

    @Test
    void inverseAndDeterminantsAreDenseWithinEachBatchMatrix() {
        check(z -> Linalg.inv(z.reshape(2, 2, 2)), spd(2, 2), concat(times(4, block(0, 4)), times(4, block(1, 4))));
        check(z -> Linalg.det(z.reshape(2, 2, 2)), spd(2, 2), new int[][] {block(0, 4), block(1, 4)});
        check(z -> Linalg.slogdet(z.reshape(2, 2, 2)).logAbsDet(), spd(2, 2), new int[][] {block(0, 4), block(1, 4)});
        check(z -> Linalg.slogdet(z.reshape(2, 2, 2)).sign(), spd(2, 2), new int[][] {E, E});
    }

    @Test
    void eighReadsTheLowerTriangleOfEachBatchMatrix() {
        check(z -> Linalg.eigh(z.reshape(2, 2, 2)).eigenvalues(), spd(2, 2), concat(times(2, lower(0, 2)), times(2, lower(1, 2))));
        check(z -> Linalg.eigh(z.reshape(2, 2, 2)).eigenvectors(), spd(2, 2), concat(times(4, lower(0, 2)), times(4, lower(1, 2))));
    }

    @Test
    void solveReadsAllOfAAndOneColumnOfB() {
        // z = [A (2×2) flat, B (2×2) flat]: X[i, j] = {0, 1, 2, 3} ∪ {4 + j, 6 + j}
        Tensor x = Tensor.vector(Arrays.copyOf(spd(1, 2).toArray(), 8));
        double[] v = x.toArray();
        for (int e = 4; e < 8; e++) v[e] = 0.5 + RNG.nextDouble();
        Tensor at = Tensor.vector(v);
        TensorFunction f = z -> Linalg.solve(z.slice(0, 0, 4).reshape(2, 2), z.slice(0, 4, 8).reshape(2, 2));
        check(f, at, new int[][] {{0, 1, 2, 3, 4, 6}, {0, 1, 2, 3, 5, 7}, {0, 1, 2, 3, 4, 6}, {0, 1, 2, 3, 5, 7}});
        // lower triangular, forward substitution: row 0 of X reads A[0, 0] = {0} and B's row 0; row 1 the lower
        // triangle {0, 2, 3} and B's rows 0 and 1
        TensorFunction l = z -> Linalg.triangularSolve(z.slice(0, 0, 4).reshape(2, 2), z.slice(0, 4, 8).reshape(2, 2));
        check(l, at, new int[][] {{0, 4}, {0, 5}, {0, 2, 3, 4, 6}, {0, 2, 3, 5, 7}});
        // upper, backward substitution: row 1 first, reading A[1, 1] = {3} and B's row 1
        TensorFunction up = z -> Linalg.triangularSolve(z.slice(0, 0, 4).reshape(2, 2), z.slice(0, 4, 8).reshape(2, 2),
                TriangularSolveOptions.upper());
        check(up, at, new int[][] {{0, 1, 3, 4, 6}, {0, 1, 3, 5, 7}, {3, 6}, {3, 7}});
        // Uᵀ with a unit diagonal: op(A) is lower, forward; its only entry read is A[0, 1] = {1}, in row 1
        TensorFunction u = z -> Linalg.triangularSolve(z.slice(0, 0, 4).reshape(2, 2), z.slice(0, 4, 8).reshape(2, 2),
                TriangularSolveOptions.upper().transposed().unitDiagonal());
        check(u, at, new int[][] {{4}, {5}, {1, 4, 6}, {1, 5, 7}});
        // Lᵀ: op(A) is upper, backward; row 1 reads op(A)[1, 1] = A[1, 1] = {3}, row 0 also A[1, 0] and A[0, 0]
        TensorFunction lt = z -> Linalg.triangularSolve(z.slice(0, 0, 4).reshape(2, 2), z.slice(0, 4, 8).reshape(2, 2),
                TriangularSolveOptions.lower().transposed());
        check(lt, at, new int[][] {{0, 2, 3, 4, 6}, {0, 2, 3, 5, 7}, {3, 6}, {3, 7}});
    }

    @Test
    void aLargerTriangularSolveIsLowerTriangularInB() {
        // L [4, 4] constant, b [4] traced: x = L⁻¹·b, ∂xᵢ/∂bⱼ ≠ 0 only for j ≤ i
        double[] lv = new double[16];
        for (int i = 0; i < 4; i++) for (int j = 0; j <= i; j++) lv[i * 4 + j] = i == j ? 2 + i : 0.5 + 0.1 * j;
        Tensor lm = Tensor.of(lv, 4, 4);
        check(b -> Linalg.triangularSolve(lm, b.reshape(4, 1)), point(4), new int[][] {{0}, {0, 1}, {0, 1, 2}, {0, 1, 2, 3}});
    }

    @Test
    void hessiansThroughTheRulesStayBlockDiagonalByBatchEntry() {
        // each scalar is a sum over two batch entries: no second derivative couples entry 0 with entry 1
        TensorFunction[] fs = {
            z -> Linalg.slogdet(z.reshape(2, 2, 2)).logAbsDet().sum(),
            z -> Linalg.cholesky(z.reshape(2, 2, 2)).square().sum(),
            z -> Linalg.inv(z.reshape(2, 2, 2)).sum(),
            z -> Linalg.eigh(z.reshape(2, 2, 2)).eigenvalues().square().sum(),
            z -> Linalg.solve(z.reshape(2, 2, 2), Tensor.ones(2, 1)).sum(),
            z -> Linalg.triangularSolve(z.reshape(2, 2, 2), Tensor.ones(2, 2)).square().sum(),
            z -> Linalg.triangularSolve(z.reshape(2, 2, 2), Tensor.ones(2, 2), TriangularSolveOptions.upper().transposed()).square().sum(),
            z -> z.reshape(2, 4).softmax(1).square().sum(),
            z -> Functional.layerNorm(z.reshape(2, 4), new int[] {4}).pow(3.0).sum(),
            z -> z.reshape(2, 4).logcumsumexp(1).sum(),
            z -> z.reshape(2, 4).prod(1).sum(),
            z -> z.reshape(2, 2, 2).matmul(z.reshape(2, 2, 2)).sum(),
        };
        for (TensorFunction f : fs) {
            int[][] rows = checkHessian(f, spd(2, 2));
            for (int i = 0; i < 8; i++) for (int j : rows[i]) assertEquals(i / 4, j / 4, "∂²f/∂x" + i + "∂x" + j + " couples two batch entries");
        }
        // a cumsum chain couples everything, a plain sum of squares nothing off the diagonal
        assertArrayEquals(new int[] {0, 1, 2}, checkHessian(z -> z.cumsum(0).exp().sum(), point(3))[0]);
        assertArrayEquals(new int[] {1}, checkHessian(z -> z.square().sum(0), point(3))[1]);
    }

    @Test
    void solveBroadcastsOneAOverABatchOfB() {
        // A [2, 2] traced against a constant B [2, 2, 1]: every entry of the two solutions reads all of A
        Tensor b = point(2, 2, 1);
        check(z -> Linalg.solve(z.reshape(2, 2), b), spd(1, 2), times(4, 0, 1, 2, 3));
        // a batch of A [2, 2, 2] against one traced-constant B: entry q reads its own A
        Tensor b1 = point(2, 1);
        check(z -> Linalg.solve(z.reshape(2, 2, 2), b1), spd(2, 2), new int[][] {block(0, 4), block(0, 4), block(1, 4), block(1, 4)});
    }
}
