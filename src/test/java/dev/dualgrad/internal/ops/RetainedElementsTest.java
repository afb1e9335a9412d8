package dev.dualgrad.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.Pullback;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What a tape keeps for its sweep ({@link Pullback#retainedElements()}): exactly the values the
 * recorded VJP rules declared they read ({@link Primitive#vjpReads()}), each array once; a watched
 * input only when a rule reads it. The expected counts are worked out by hand from each rule's
 * formula (see the comment of each entry), not taken from the declarations. An under-declaration is
 * caught elsewhere: the rule then reads a shape-only stand-in, which throws, and the conformance suite
 * runs every rule; an over-declaration only costs memory, and this table is what catches it.
 */
class RetainedElementsTest {
    private record Case(int[][] shapes, long kept) {}

    private static int[][] s(int[]... shapes) {
        return shapes;
    }

    private static int[] d(int... dims) {
        return dims;
    }

    /** Unary ops run on [2, 3] (6 elements), binary ones on a [2, 1] and b [1, 3] (so y is [2, 3]). */
    private static final int[][] U = s(d(2, 3)), B = s(d(2, 1), d(1, 3));
    private static final Map<String, Case> EXPECTED = new LinkedHashMap<>();

    private static void expect(String op, int[][] shapes, long kept) {
        if (EXPECTED.put(op, new Case(shapes, kept)) != null) throw new IllegalStateException("twice: " + op);
    }

    static {
        // ---- elementwise unary, x̄ = ȳ ⊙ f′: f′ reads x, y or neither
        expect("neg", U, 0);          // f′ = −1
        expect("exp", U, 6);          // f′ = y
        expect("log", U, 6);          // 1/x
        expect("log1p", U, 6);        // 1/(1+x)
        expect("sqrt", U, 6);         // 1/(2y)
        expect("square", U, 6);       // 2x
        expect("abs", U, 6);          // sign x
        expect("sin", U, 6);          // cos x
        expect("cos", U, 6);          // −sin x
        expect("tanh", U, 6);         // 1 − y²
        expect("sigmoid", U, 6);      // y(1 − y)
        expect("relu", U, 6);         // [y > 0]
        expect("softplus", U, 6);     // sigmoid x
        expect("reciprocal", U, 12);  // 1/x = div(1, x) with 1 a constant: b̄ = −ȳ·y/b reads x and y
        expect("pow(x, 3)", U, 6);    // 3x²
        expect("pow(x, 2)", U, 6);    // 2x
        expect("pow(x, 0.5)", U, 6);  // 0.5·x^−0.5
        expect("pow(x, -1.5)", U, 6); // −1.5·x^−2.5
        expect("pow(x, 0)", U, 0);    // 0
        expect("clamp(x, -0.5, 0.7)", U, 6); // [lo ≤ x ≤ hi]
        // ---- elementwise binary, a [2, 1] (2), b [1, 3] (3), y [2, 3] (6)
        expect("add", B, 0);
        expect("sub", B, 0);
        expect("mul", B, 2 + 3);          // ā = ȳ·b, b̄ = ȳ·a
        expect("mulStrongZero", B, 2 + 3);
        expect("div", B, 3 + 6);          // ā = ȳ/b, b̄ = −ȳ·y/b: b and y, never a
        expect("pow", B, 2 + 3 + 6);      // ā = ȳ·b·a^(b−1), b̄ = ȳ·y·ln a
        expect("maximum", B, 2 + 3 + 6);  // masks [a > b], [a = b], NaN where y is
        expect("minimum", B, 2 + 3 + 6);
        expect("add(x, 1.5)", U, 0);
        expect("sub(x, 1.5)", U, 0);
        expect("mul(x, -2.5)", U, 1);     // x̄ = ȳ·(−2.5) reads the scalar, not x
        expect("div(x, 4)", U, 1);        // x̄ = ȳ/4
        expect("rsub(1.5, x)", U, 0);     // 1.5 − x: x̄ = −ȳ reads nothing
        expect("rdiv(-2, x)", U, 12);     // −2/x = div(−2, x): as reciprocal, x̄ = −ȳ·y/x reads x and y
        // ---- reductions on [2, 3]; mean is sum then a division by the count (a scalar constant, read)
        expect("sum()", U, 0);
        expect("sum(axis=-1)", U, 0);
        expect("sum(axis=0, keepDims)", U, 0);
        expect("sum(axes=[0,1])", U, 0);
        expect("mean()", U, 1);
        expect("mean(axis=1)", U, 1);
        expect("mean(axis=-1, keepDims)", U, 1);
        expect("mean(axes=[0,-1], keepDims)", U, 1);
        expect("max()", U, 6 + 1);                   // weights [x = y]: x and y
        expect("max(axis=-1)", U, 6 + 2);
        expect("max(axis=0, keepDims)", U, 6 + 3);
        expect("max(axes=[0,1])", U, 6 + 1);
        expect("logsumexp(axis=-1)", U, 6);          // softmax(x): x only, not the rounded y
        expect("logsumexp(axis=0, keepDims)", U, 6);
        expect("softmax(axis=-1)", U, 6);            // y ⊙ (ȳ − Σ ȳ ⊙ y)
        expect("softmax(axis=0)", U, 6);
        expect("logSoftmax(axis=-1)", U, 6);         // ȳ − eʸ Σ ȳ
        expect("logSoftmax(axis=1)", U, 6);
        // ---- matmul: Ā reads B, B̄ reads A, C is not kept
        expect("matmul", s(d(2, 3), d(3, 4)), 6 + 12);
        expect("matmul(A, Bᵀ)", s(d(2, 3), d(4, 3)), 6 + 12);
        expect("matmul(Aᵀ, B)", s(d(3, 2), d(3, 4)), 6 + 12);
        expect("matmul(Aᵀ, Bᵀ)", s(d(3, 2), d(4, 3)), 6 + 12);
        // ---- shape and indexing ops are linear and read shapes only
        expect("reshape([3,2])", s(d(2, 3)), 0);
        expect("reshape([2,-1])", s(d(6)), 0);
        expect("flatten", s(d(2, 3)), 0);
        expect("unsqueeze(-1)", U, 0);
        expect("squeeze(1)", s(d(3, 1)), 0);
        expect("permute(2,0,1)", s(d(2, 3, 4)), 0);
        expect("transpose()", s(d(2, 3)), 0);
        expect("transpose(0,2)", s(d(2, 3, 4)), 0);
        expect("broadcastTo([2,3])", s(d(2, 1)), 0);
        expect("slice(0, 1, 3)", s(d(4, 3)), 0);
        expect("slice(-1, 0, 2)", s(d(2, 3)), 0);
        expect("slice(0, -3, -1)", s(d(4, 3)), 0);
        expect("slice(-1, -2)", s(d(2, 3)), 0);
        expect("pad(1, 1, 2)", s(d(2, 3)), 0);
        expect("select(1, 2)", s(d(3, 4)), 0);
        expect("select(0, -1)", s(d(3, 2)), 0);
        expect("at(2)", s(d(3)), 0);                   // a flat view and a select: linear, shapes only
        expect("at(1, 0, 1)", s(d(2, 3, 2)), 0);
        expect("concat(0, a, b)", s(d(2, 3), d(1, 3)), 0);
        expect("concat(-1, a, b, c)", s(d(2, 1), d(2, 2), d(2, 1)), 0);
        expect("stack(0, a, b)", s(d(2, 2), d(2, 2)), 0);
        expect("stack(-1, a, b)", s(d(2, 2), d(2, 2)), 0);
        expect("where(mask, a, b)", s(d(2, 3), d(2, 3)), 0);
        expect("pick([1,0,3])", s(d(3, 4)), 0);
        expect("scatter([1,0,3], 4)", s(d(3)), 0);
        // ---- issue 20's elementwise functions: f′ reads x or y (6); binary ones a (2), b (3), y (6)
        for (String op : new String[] {"asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log2", "log10", "erf", "erfc",
            "lgamma", "lgamma(x in (-1, 0))", "digamma", "digamma(x in (-1, 0))", "logSigmoid", "gelu", "geluTanh", "silu", "elu",
            "elu(x, 0.5)", "leakyRelu", "leakyRelu(x, 0.2)"}) {
            expect(op, U, 6);         // f′ of x alone (ψ, ψ⁽¹⁾, σ(−x), Φ + xφ, the masks [x > 0], …)
        }
        expect("tan", U, 6);          // 1 + y²
        expect("expm1", U, 6);        // y + 1
        expect("atan2", B, 2 + 3);    // ā = ȳ·b/h², b̄ = −ȳ·a/h² with h = hypot(a, b): a and b, not y
        expect("hypot", B, 2 + 3 + 6); // ā = ȳ·a/y, b̄ = ȳ·b/y
        expect("logaddexp", B, 2 + 3); // σ(a − b), σ(b − a)
        // ---- losses, as compositions (logits [3, 4])
        // logSoftmax keeps y (12); pick, neg, sum keep nothing; the mean's division keeps its scalar (1)
        expect("crossEntropy(int targets)", s(d(3, 4)), 12 + 1);
        // logSoftmax y (12); ·rowWeight keeps rowWeight [3]; ·w keeps w [4]; ·(1 − ε) and ·(ε/C) their
        // scalars (1 + 1); where's mask is the primitive's own constant; the mean's division (1)
        expect("crossEntropy(weights, ignore 0, smoothing 0.1)", s(d(3, 4)), 12 + 3 + 4 + 1 + 1 + 1);
        expect("crossEntropy(reduction none)", s(d(3, 4)), 12);
        // [2, 4, 3] permuted and reshaped (nothing kept) to [6, 4] rows; logSoftmax y (24); SUM
        expect("crossEntropy(logits [N,C,d])", s(d(2, 4, 3)), 24);
        // lsm y (12); p·0.8 its scalar (1); target·lsm both (target is new, 12; lsm counted once); ·weight
        // the weight [4]; mean's division (1)
        expect("crossEntropy(soft targets)", s(d(3, 4), d(3, 4)), 12 + 1 + 12 + 4 + 1);
        expect("nll", s(d(3, 4)), 1); // pick, neg, sum: nothing; the mean's division: its scalar
        // p (log), log p (clamp), 1 − p (log), log(1 − p) (clamp), y and clamp(log p) (their product),
        // 1 − y and clamp(log(1 − p)) (theirs): 8 arrays of 3; the mean's division (1)
        expect("bce", s(d(3), d(3)), 8 * 3 + 1);
        // softplus(z) reads z; y·z reads y and z (counted once); sub nothing; mean (1)
        expect("bceWithLogits", s(d(3), d(3)), 3 + 3 + 1);
        // (1 − y)·softplus(z): z, 1 − y, softplus(z); q·y with q constant: q [2]; (q·y)·softplus(−z):
        // −z, q·y, softplus(−z); SUM: 6 arrays of 4 and q
        expect("bceWithLogits(posWeight)", s(d(2, 2), d(2, 2)), 6 * 4 + 2);
        expect("mse", s(d(3), d(3)), 3 + 1); // (x − y)² reads x − y; the mean's division (1)
        // ---- networks: x [3] as [1, 3] (a reshape sharing x's array) · Wᵀ keeps x (3) and W (12)
        expect("Linear(3→4)(x; W, b)", s(d(3), d(4, 3), d(4)), 3 + 12);
        // x [2,3]·W1ᵀ: x (6), W1 (12); tanh's y [2, 4] (8), which is also the second product's A;
        // W2 (8); the bias adds nothing
        expect("Mlp(3-4-2 tanh)(x; W1, b1, W2, b2)", s(d(2, 3), d(4, 3), d(4), d(2, 4), d(2)), 6 + 12 + 8 + 8);
        // x (6), W1 (12); softplus reads its input z1 (8), the second product its output (8) and W2 (8);
        // logSoftmax of [2, 2] keeps y (4); the mean's division (1)
        expect("crossEntropy(Mlp(3-4-2 softplus)(x; params))", s(d(2, 3), d(4, 3), d(4), d(2, 4), d(2)), 6 + 12 + 8 + 8 + 8 + 4 + 1);
        // ---- issue 20's indexing and shape ops: gathers and scatter-adds by a map, where with a constant mask, sums: shapes only
        for (String op : new String[] {"takeAlongAxis(idx [[2,2],[0,-1]], axis=-1)", "indexSelect([1,-1], axis=-1)", "flip(0)", "flip(-1, 0)",
                "roll(shifts [2,-1], axes [-1,0])", "roll(shifts [-4], flattened)", "tile([2,1,3])", "tile([2])"}) expect(op, U, 0);
        expect("takeAlongAxis(idx [[1,-1,0,1]], axis=0)", s(d(3, 4)), 0);
        expect("scatterAdd(idx [[0,2,0],[1,1,-1]], v, axis=1)", s(d(2, 3), d(2, 3)), 0); // x + scatter-add(v): add reads nothing
        expect("indexSelect([2,0,-1,2], axis=0)", s(d(3, 2)), 0);
        expect("roll(shifts [1], axes [0])", s(d(3)), 0);
        for (String op : new String[] {"tril()", "tril(-1)", "triu()", "triu(1)", "diagonal()", "diagonal(offset 1)", "trace()"}) expect(op, s(d(3, 3)), 0);
        expect("diagonal(offset -1, axes 2, 0)", s(d(2, 3, 4)), 0);
        for (String op : new String[] {"diag()", "diag(2)", "diag(-1)"}) expect(op, s(d(3)), 0);
        expect("outer", s(d(3), d(2)), 3 + 2);                              // a [3, 1] · b [1, 3]: mul reads both
        // einsum: what its matmul (or broadcast mul) reads, each operand after its permute/reshape; diagonals, sums, permutes nothing
        expect("einsum(ij,jk->ik)", s(d(2, 3), d(3, 4)), 6 + 12);
        expect("einsum(ij,kj->ik)", s(d(2, 3), d(4, 3)), 6 + 12);          // B read transposed in place: the operands, not copies
        expect("einsum(ji,jk->ik)", s(d(3, 2), d(3, 4)), 6 + 12);
        expect("einsum(bij,bjk->bik)", s(d(2, 2, 3), d(2, 3, 2)), 12 + 12);
        expect("einsum(ii->)", s(d(3, 3)), 0);
        expect("einsum(ii->i)", s(d(3, 3)), 0);
        expect("einsum(i,j->ij)", s(d(3), d(2)), 3 + 2);                    // nothing contracted: a broadcast mul
        expect("einsum(i,ij,j->)", s(d(2), d(2, 3), d(3)), 2 + 6 + 3 + 3);  // [1,2]·[2,3], then its [1,3]·[3,1]
        expect("einsum(ij->ji)", s(d(2, 3)), 0);
        expect("einsum(ij->)", s(d(2, 3)), 0);
        expect("einsum(ij,ij->i)", s(d(2, 3), d(2, 3)), 6 + 6);             // [2,1,3]·[2,3,1]
        expect("einsum(...ij,...jk)", s(d(2, 1, 2, 3), d(3, 3, 2)), 36 + 18); // A broadcast to [2,3,2,3] and permuted (36), B (18)
        expect("einsum(bii,bj->bji)", s(d(2, 3, 3), d(2, 2)), 6 + 4);       // the diagonal [2,3] · b [2,2], broadcast
        // ---- issue 20's reductions on [2, 3]
        expect("min()", U, 6 + 1);                   // max(−x): −x and y; the negations keep nothing
        expect("min(axis=-1)", U, 6 + 2);
        expect("min(axis=0, keepDims)", U, 6 + 3);
        expect("min(axes=[0,1])", U, 6 + 1);
        expect("prod()", U, 6);                      // Π of the others, from x
        expect("prod(axis=-1)", U, 6);
        expect("prod(axis=0, keepDims)", U, 6);
        expect("prod(axes=[0,-1])", U, 6);
        // x/N keeps its scalar (1); d = x − mean keeps nothing; d² keeps d (6); ÷ max(0, N − c) its scalar (1)
        expect("var()", U, 1 + 6 + 1);
        expect("var(axes=[-1])", U, 1 + 6 + 1);
        expect("var(axes=[0,1], correction 0, keepDims)", U, 1 + 6 + 1);
        expect("var(correction 2)", U, 1 + 6 + 1);
        expect("std()", U, 8 + 1);                   // the variance's 8 and sqrt's output
        expect("std(axes=[-1])", U, 8 + 2);
        expect("std(correction 0, keepDims)", U, 8 + 1);
        expect("norm()", U, 6 + 1);                  // w = x / y: x and y
        expect("norm(axes=[-1])", U, 6 + 2);
        expect("norm(axes=[0,1], keepDims)", U, 6 + 1);
        expect("norm(p=1, axes=[-1])", U, 6);        // abs keeps x; sum nothing
        expect("norm(p=∞)", s(d(2, 2)), 4 + 4 + 1);  // abs keeps x; max keeps |x| and y
        expect("cumsum(axis=-1)", U, 0);             // linear
        expect("cumsum(axis=0)", U, 0);
        expect("cumprod(axis=-1)", U, 6 + 6);        // scan([x₀, 0, …], x): ā reads b = x, b̄ reads b and h = y
        expect("cumprod(axis=1)", U, 6 + 6);
        expect("logcumsumexp(axis=-1)", U, 6 + 6);   // E = e^{x − y} and B from y
        expect("logcumsumexp(axis=0)", U, 6 + 6);
        // ---- layers: layerNorm recomputes n and σ from x; with the affine map x̄ reads w too, w̄ x, b̄ nothing
        expect("layerNorm([3])", U, 6);
        expect("layerNorm([3], weight, bias)", s(d(2, 3), d(3), d(3)), 6 + 3);
        expect("layerNorm([3,2], weight, bias, eps 0.1)", s(d(2, 3, 2), d(3, 2), d(3, 2)), 12 + 6);
        expect("LayerNorm(3)(x; weight, bias)", s(d(2, 3), d(3), d(3)), 6 + 3);
        expect("dropout(p=0.4, seed 5)", U, 6);      // x ⊙ (constant mask/(1 − p)): the mask
        // ---- issue 20's linear algebra, M [3, 3] (9), B [3, 2] (6); M ± c·I adds a constant: nothing kept
        // solves: Ā reads A and X, B̄ reads A: A (9) and X (6)
        int[][] m3b = s(d(3, 3), d(3, 2));
        expect("solve(M + 7I, B)", m3b, 9 + 6);
        expect("solve(M - 7I, B)", m3b, 9 + 6);
        expect("triangularSolve(M + 4I, B)", m3b, 9 + 6);
        expect("triangularSolve(M + 4I, B, upper)", m3b, 9 + 6);
        expect("triangularSolve(M + 4I, B, lower transposed)", m3b, 9 + 6);
        expect("triangularSolve(M, B, upper transposed unit)", m3b, 1 + 9 + 6); // M·0.3 keeps its scalar
        expect("cholesky(M·Mᵀ + nI)", s(d(3, 3)), 9 + 9);                  // M·Mᵀ: M once; cholesky: L only
        expect("cholesky(M + 8I) (lower triangle read)", s(d(3, 3)), 9);
        expect("choleskySolve(B, M + 4I)", m3b, 9 + 6 + 6);                 // two solves: L once, Y and X
        expect("choleskySolve(B, cholesky(M·Mᵀ + nI))", m3b, 9 + 9 + 6 + 6); // M, L, Y, X
        expect("inv(M + 7I)", s(d(3, 3)), 9);                               // Y only: Ā = −Yᵀ·Ȳ·Yᵀ
        expect("det(M + 7I)", s(d(3, 3)), 9 + 1);                           // A (for A⁻ᵀ) and y
        expect("det(M - 7I)", s(d(3, 3)), 9 + 1);
        expect("slogdet(M + 7I).logAbsDet", s(d(3, 3)), 9);                 // A only; the sign is a constant
        expect("slogdet(M - 7I).logAbsDet", s(d(3, 3)), 9);
        expect("eigh(M + Mᵀ).eigenvalues", s(d(3, 3)), 12);                 // the packed output [4, 3]: λ and V
        expect("eigh(M + Mᵀ): V·diag(1..n)·Vᵀ", s(d(3, 3)), 12 + 3 + 9 + 9); // eigh; V·w keeps w; the product V·w and V
        expect("eigh(M) (lower triangle read): eigenvalues, V ⊙ V", s(d(3, 3)), 12 + 9); // eigh; V ⊙ V keeps V once
    }

    @TestFactory
    Stream<DynamicTest> everyRegistryOpKeepsExactlyWhatItsRulesRead() {
        List<DynamicTest> tests = new ArrayList<>();
        TreeSet<String> registered = new TreeSet<>();
        for (OpSpec spec : OpRegistry.all()) {
            registered.add(spec.name());
            tests.add(DynamicTest.dynamicTest(spec.name(), () -> {
                Case c = EXPECTED.get(spec.name());
                if (c == null) fail("no retained count is pinned for registry op " + spec.name() + ": add it to EXPECTED");
                Tensor[] xs = Conformance.inputs(spec, c.shapes(), 1);
                dev.dualgrad.transforms.MultiTensorFunction f = spec::apply;
                Pullback p = Diff.vjp(f, xs);
                assertEquals(c.kept(), p.retainedElements(), spec.name() + " at " + Arrays.deepToString(c.shapes()));
                p.applyAll(Tensor.ones(p.value().shape())); // the sweep runs on what was kept
            }));
        }
        tests.add(DynamicTest.dynamicTest("no stale entries", () -> {
            TreeSet<String> stale = new TreeSet<>(EXPECTED.keySet());
            stale.removeAll(registered);
            assertTrue(stale.isEmpty(), "pinned but not in the registry: " + stale);
        }));
        return tests.stream();
    }

    @Test
    void aProductSummedOverAThousandElementsKeepsItsTwoFactorsOnly() {
        Tensor x = TensorRandom.seed(1).normal(1000), w = TensorRandom.seed(2).normal(1000);
        Pullback p = Diff.vjp(xs -> xs[0].mul(xs[1]).sum(), x, w);
        // mul's rule reads x (for w̄) and w (for x̄); not the product; sum reads nothing
        assertEquals(2000, p.retainedElements());
        Tensor[] g = p.applyAll(Tensor.scalar(1)).toArray();
        assertTrue(Arrays.equals(Tensors.buffer(w), Tensors.buffer(g[0])) && Arrays.equals(Tensors.buffer(x), Tensors.buffer(g[1])));
        // with w a constant, only x̄ = ȳ·w is asked for: w is kept, x is not
        assertEquals(1000, Diff.vjp(z -> z.mul(w).sum(), x).retainedElements());
    }

    /** A cotangent nobody asks for reads nothing: with one argument constant the tape keeps less. */
    @Test
    void withOneArgumentConstantOnlyTheOtherCotangentsReadsAreKept() {
        Tensor a = TensorRandom.seed(3).uniform(0.5, 2, 2, 1), b = TensorRandom.seed(4).uniform(0.5, 2, 1, 3); // y [2, 3]
        assertEquals(3, keptWithOnlyArgument(0, Tensor::mul, a, b));       // ā = ȳ·b
        assertEquals(2, keptWithOnlyArgument(1, Tensor::mul, a, b));       // b̄ = ȳ·a
        assertEquals(3, keptWithOnlyArgument(0, Tensor::div, a, b));       // ā = ȳ/b
        assertEquals(3 + 6, keptWithOnlyArgument(1, Tensor::div, a, b));   // b̄ = −ȳ·y/b
        assertEquals(2 + 3, keptWithOnlyArgument(0, Tensor::pow, a, b));   // ȳ·b·a^(b−1)
        assertEquals(2 + 3 + 6, keptWithOnlyArgument(1, Tensor::pow, a, b)); // ȳ·y·ln a
        assertEquals(0, keptWithOnlyArgument(1, Tensor::add, a, b));
        Tensor m = TensorRandom.seed(5).normal(2, 3), n = TensorRandom.seed(6).normal(3, 4);
        assertEquals(12, keptWithOnlyArgument(0, Tensor::matmul, m, n));  // Ā = C̄·Bᵀ
        assertEquals(6, keptWithOnlyArgument(1, Tensor::matmul, m, n));   // B̄ = Aᵀ·C̄
        // and the gradients are those with both arguments watched
        Tensor[] both = Diff.grad(xs -> xs[0].pow(xs[1]).sum(), a, b).toArray();
        Tensor gb = Diff.grad(z -> a.pow(z).sum(), b);
        assertTrue(Arrays.equals(Tensors.buffer(both[1]), Tensors.buffer(gb)));
    }

    private interface Bin {
        Tensor apply(Tensor a, Tensor b);
    }

    private static long keptWithOnlyArgument(int i, Bin f, Tensor a, Tensor b) {
        Pullback p = i == 0 ? Diff.vjp(z -> f.apply(z, b), a) : Diff.vjp(z -> f.apply(a, z), b);
        p.apply(Tensor.ones(p.value().shape()));
        return p.retainedElements();
    }

    /** The layer of MutationGapsTest's former check: x·Wᵀ + bias then tanh, W and bias constants. */
    @Test
    void aTanhLayerKeepsItsWeightAndItsActivation() {
        Tensor x = TensorRandom.seed(3).normal(8, 5), w = TensorRandom.seed(4).normal(6, 5), bias = TensorRandom.seed(5).normal(6);
        Pullback p = Diff.vjp(z -> z.matmul(w, false, true).add(bias).tanh().sum(), x);
        // x̄ = C̄·W reads W (30); the add nothing; tanh its output [8, 6] (48); not x, not the product
        assertEquals(30 + 48, p.retainedElements());
    }

    /** A rule that reads a value it declared it does not read meets a stand-in, and the sweep throws. */
    @Test
    void anUnderDeclaredReadThrowsInTheSweep() {
        Primitive square = new Primitive() {
            public String name() { return "underDeclaredSquare"; }
            public Tensor eval(Tensor[] x) { return x[0].square(); }
            public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) { return dx[0] == null ? null : dx[0].mul(x[0].mul(2)); }
            public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) { return new Tensor[] {gy.mul(x[0].mul(2))}; }
            public Reads vjpReads() { return Reads.NOTHING; } // wrong: the rule reads x
        };
        Pullback p = Diff.vjp(z -> Dispatch.apply(square, z).sum(), Tensor.vector(1, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.apply(Tensor.scalar(1)));
        assertTrue(e.getMessage().contains("shape-only stand-in"), e.getMessage());
    }

    @Test
    void readsDeclarationsCombine() {
        boolean[] first = {true, false}, second = {false, true}, both = {true, true};
        Primitive.Reads mul = Primitive.Reads.perCotangent(Primitive.Reads.inputs(1), Primitive.Reads.inputs(0));
        assertTrue(mul.readsInput(1, first) && !mul.readsInput(0, first) && mul.readsInput(0, second) && !mul.readsInput(1, second));
        assertTrue(mul.readsInput(0, both) && mul.readsInput(1, both) && !mul.readsOutput(both));
        Primitive.Reads div = Primitive.Reads.perCotangent(Primitive.Reads.inputs(1), Primitive.Reads.inputs(1).andOutput());
        assertTrue(!div.readsOutput(first) && div.readsOutput(second));
        Primitive.Reads all = Primitive.Reads.allInputs().andOutput();
        assertTrue(all.readsInput(40, first) && all.readsInput(70, first) && all.readsOutput(first));
        assertTrue(!Primitive.Reads.NOTHING.readsInput(0, both) && !Primitive.Reads.NOTHING.readsOutput(both));
        assertEquals("input 0, 2 and output", Primitive.Reads.inputs(0, 2).andOutput().toString());
        assertTrue(Primitive.Reads.inputs(70).readsInput(70, first) && !Primitive.Reads.inputs(70).readsInput(69, first));
        assertThrows(IllegalArgumentException.class, () -> Primitive.Reads.inputs(-1));
        assertThrows(IllegalArgumentException.class, () -> Primitive.Reads.perCotangent(mul));
    }
}
