package dev.dualgrad.internal.ops;

import static dev.dualgrad.internal.ops.SparsityOracle.count;
import static dev.dualgrad.internal.ops.SparsityOracle.matrix;
import static dev.dualgrad.internal.ops.SparsityOracle.missing;
import static dev.dualgrad.internal.ops.SparsityOracle.nonzeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.sparsity.Detection;
import dev.dualgrad.tensor.RollOptions;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 13's sparsity tests, driven by the registry and independent of the sparsity code: every
 * reference pattern here is either the nonzeros of the dense Jacobian or Hessian (plain forward and
 * reverse mode, which never run a sparsity rule) or written from the shapes by the test itself.
 *
 * <ul>
 *   <li>Containment, every op and sample shape: each nonzero of J, and of the Hessians of ⟨w, f⟩ and
 *       ⟨w, sin f⟩, at three points of the op's domain, lies in the detected pattern; and the pattern is
 *       the same at the three points (it is global).</li>
 *   <li>Tightness, for the elementwise, shape and indexing ops: detected == expected, where the expected
 *       Jacobian pattern is the diagonal (unary), NumPy broadcasting (binary) or the union of the dense
 *       Jacobian's nonzeros over three points (copy maps), and the expected Hessian pattern of ⟨w, sin f⟩
 *       is the union over output elements o of rowₒ × rowₒ.</li>
 *   <li>Random compositions of 3–5 registry ops on a vector, and the extremes (size 0, rank 0, constant
 *       functions, null, detection nested in transforms).</li>
 * </ul>
 *
 * <p>Every registry op must be in exactly one class below, so that a new op is classified when it is added.</p>
 */
class SparsityConformanceTest {
    /** Elementwise methods taking one traced argument (binary methods with a constant count here when arity is 1). */
    static final Set<String> ELEMENTWISE_UNARY = Set.of("neg", "exp", "log", "log1p", "sqrt", "square", "abs", "sin", "cos", "tanh",
            "sigmoid", "relu", "softplus", "reciprocal", "pow", "clamp", "add", "sub", "mul", "div", "rsub", "rdiv", "tan", "asin", "acos",
            "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "expm1", "log2", "log10", "erf", "erfc", "lgamma", "digamma", "logSigmoid",
            "gelu", "geluTanh", "silu", "elu", "leakyRelu");
    /** Elementwise methods over broadcast arguments (where: the mask is a constant, a and b broadcast to the output). */
    static final Set<String> ELEMENTWISE_BINARY = Set.of("add", "sub", "mul", "mulStrongZero", "div", "pow", "maximum", "minimum", "atan2",
            "hypot", "logaddexp", "where");
    /** Copy maps (each output element a copy, sum or product of elements at fixed places): the dense J's nonzeros are the pattern. */
    static final Set<String> SHAPE_INDEXING = Set.of("reshape", "flatten", "unsqueeze", "squeeze", "permute", "transpose", "broadcastTo",
            "slice", "pad", "select", "at", "concat", "stack", "pick", "scatter", "takeAlongAxis", "scatterAdd", "indexSelect", "flip", "roll",
            "tile", "tril", "triu", "diagonal", "diag", "outer");
    /** Reductions, scans, matmul, einsum, linear algebra, losses, layers and networks: containment only. */
    static final Set<String> CONTAINMENT_ONLY = Set.of("sum", "mean", "max", "min", "logsumexp", "softmax", "logSoftmax", "matmul", "prod",
            "var", "std", "norm", "cumsum", "cumprod", "logcumsumexp", "layerNorm", "LayerNorm", "dropout", "trace", "einsum", "crossEntropy",
            "nll", "bce", "bceWithLogits", "mse", "Linear", "Mlp", "solve", "triangularSolve", "cholesky", "choleskySolve", "inv", "det",
            "slogdet", "eigh");

    static final long[] SEEDS = {1, 2, 3};

    enum Kind { UNARY, BINARY, COPY, CONTAINMENT }

    /** The class of a spec, by its method name (and arity for the elementwise methods that are both). */
    static Kind kind(OpSpec spec) {
        String m = spec.method();
        if (spec.arity() == 1 && ELEMENTWISE_UNARY.contains(m)) return Kind.UNARY;
        if (spec.arity() >= 2 && ELEMENTWISE_BINARY.contains(m)) return Kind.BINARY;
        if (SHAPE_INDEXING.contains(m)) return Kind.COPY;
        if (CONTAINMENT_ONLY.contains(m)) return Kind.CONTAINMENT;
        return null;
    }

    @Test
    void everyRegistryOpIsClassified() {
        Set<String> unclassified = new TreeSet<>();
        for (OpSpec spec : OpRegistry.all()) if (kind(spec) == null) unclassified.add(spec.name() + " (method " + spec.method() + ", arity " + spec.arity() + ")");
        assertTrue(unclassified.isEmpty(), "registry ops in none of the sparsity classes of this test; add each to one of the lists: " + unclassified);
    }

    static String label(OpSpec spec, int[][] shapes) {
        return spec.name() + " " + Arrays.deepToString(shapes);
    }

    // ------------------------------------------------------------------ 1. containment

    @TestFactory
    Stream<DynamicTest> containmentForEveryOpAndShape() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            for (int[][] shapes : spec.shapes()) {
                tests.add(DynamicTest.dynamicTest(label(spec, shapes), () -> containment(spec, shapes)));
            }
        }
        return tests.stream();
    }

    /** The scalarisations whose Hessians are checked: ⟨w, f⟩ (the op's own second derivatives) and ⟨w, sin f⟩ (plus the outer products of its rows). */
    static TensorFunction weighted(TensorFunction f, Tensor w, boolean sine) {
        return z -> {
            Tensor y = f.apply(z);
            return (sine ? y.sin() : y).mul(w).sum();
        };
    }

    static void containment(OpSpec spec, int[][] shapes) {
        String what = label(spec, shapes);
        TensorFunction f = SparsityOracle.unpacked(spec, shapes);
        int[][] firstJ = null, firstH1 = null, firstH2 = null;
        for (long seed : SEEDS) {
            Tensor z = SparsityOracle.pack(Conformance.inputs(spec, shapes, seed));
            int n = z.size();
            Tensor y = f.apply(z);
            int m = y.size();
            String at = what + " at seed " + seed;
            int[][] jr = Detection.jacobianRows(spec.name(), f, z);
            boolean[][] jp = matrix(at + " (Jacobian)", jr, m, n);
            List<String> miss = missing(nonzeros(SparsityOracle.denseJacobian(f, z), m, n), jp);
            assertTrue(miss.isEmpty(), at + ": nonzeros of the dense Jacobian outside the detected pattern (output, input): " + miss);
            Tensor w = TensorRandom.seed(seed + 77).normal(y.shape());
            int[][][] hr = new int[2][][];
            for (int s = 0; s < 2; s++) {
                TensorFunction g = weighted(f, w, s == 1);
                String which = at + (s == 0 ? " (Hessian of ⟨w, f⟩)" : " (Hessian of ⟨w, sin f⟩)");
                hr[s] = Detection.hessianRows(spec.name(), g, z);
                boolean[][] hp = matrix(which, hr[s], n, n);
                List<String> hm = missing(nonzeros(Diff.hessian(g, z).toArray(), n, n), hp);
                assertTrue(hm.isEmpty(), which + ": nonzeros of the dense Hessian outside the detected pattern: " + hm);
            }
            if (firstJ == null) {
                firstJ = jr;
                firstH1 = hr[0];
                firstH2 = hr[1];
            } else { // global: the same whatever the point (no registry op branches on values in a way detection sees)
                assertTrue(Arrays.deepEquals(firstJ, jr), at + ": the detected Jacobian pattern differs from the one at seed " + SEEDS[0]);
                assertTrue(Arrays.deepEquals(firstH1, hr[0]), at + ": the detected Hessian pattern of ⟨w, f⟩ differs from the one at seed " + SEEDS[0]);
                assertTrue(Arrays.deepEquals(firstH2, hr[1]), at + ": the detected Hessian pattern of ⟨w, sin f⟩ differs from the one at seed " + SEEDS[0]);
            }
        }
    }

    // ------------------------------------------------------------------ 2. tightness

    @TestFactory
    Stream<DynamicTest> tightnessForElementwiseShapeAndIndexingOps() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            Kind k = kind(spec);
            if (k == null || k == Kind.CONTAINMENT) continue;
            for (int[][] shapes : spec.shapes()) {
                tests.add(DynamicTest.dynamicTest(k + " " + label(spec, shapes), () -> tightness(spec, shapes, k)));
            }
        }
        return tests.stream();
    }

    static void tightness(OpSpec spec, int[][] shapes, Kind k) {
        String what = label(spec, shapes);
        TensorFunction f = SparsityOracle.unpacked(spec, shapes);
        Tensor z = SparsityOracle.pack(Conformance.inputs(spec, shapes, SEEDS[0]));
        Tensor y = f.apply(z);
        int m = y.size(), n = z.size();
        boolean[][] expected;
        switch (k) {
            case UNARY:
                assertArrayEquals(shapes[0], y.shape(), what + ": an elementwise op keeps its argument's shape");
                expected = SparsityOracle.diagonal(n);
                break;
            case BINARY:
                expected = SparsityOracle.broadcast(y.shape(), shapes);
                break;
            default: // a copy map: its Jacobian's entries are fixed nonzero constants (or products of independent random values)
                expected = new boolean[m][n];
                for (long seed : SEEDS) {
                    Tensor zs = SparsityOracle.pack(Conformance.inputs(spec, shapes, seed));
                    SparsityOracle.orInto(expected, nonzeros(SparsityOracle.denseJacobian(f, zs), m, n));
                }
        }
        boolean[][] detected = matrix(what, Detection.jacobianRows(spec.name(), f, z), m, n);
        List<String> extra = missing(detected, expected), lacking = missing(expected, detected);
        assertTrue(extra.isEmpty() && lacking.isEmpty(), what + ": detected Jacobian pattern (" + count(detected) + " entries) ≠ expected ("
                + count(expected) + "); detected but not expected: " + extra + "; expected but not detected: " + lacking);
        Tensor w = TensorRandom.seed(91).normal(y.shape());
        boolean[][] hExpected = SparsityOracle.outerUnion(expected, n);
        boolean[][] hDetected = matrix(what + " (Hessian)", Detection.hessianRows(spec.name(), weighted(f, w, true), z), n, n);
        List<String> hExtra = missing(hDetected, hExpected), hLacking = missing(hExpected, hDetected);
        assertTrue(hExtra.isEmpty() && hLacking.isEmpty(), what + ": detected Hessian pattern of ⟨w, sin f⟩ (" + count(hDetected) + " entries) ≠ expected ("
                + count(hExpected) + "); detected but not expected: " + hExtra + "; expected but not detected: " + hLacking);
    }

    // ------------------------------------------------------------------ 3. random compositions

    /** One step of a composition on a vector, named for the failure message. */
    record Step(String name, UnaryOperator<Tensor> f) {}

    /** Registry specs of one class that take REAL arguments without kinks or extra conditions (so any value of a composition is admitted). */
    static List<OpSpec> pool(Kind k) {
        List<OpSpec> r = new ArrayList<>();
        for (OpSpec s : OpRegistry.all()) {
            if (kind(s) != k || s.kinks().length > 0 || s.method().equals("where")) continue;
            boolean real = true;
            for (Domain d : s.domains()) real &= d == Domain.REAL;
            if (real) r.add(s);
        }
        return r;
    }

    /** A random step: a registry unary op, a registry binary op against a rearranged copy, a scalar of it or a constant, or a shape op. */
    static Step randomStep(Random rnd, List<OpSpec> unary, List<OpSpec> binary, int n) {
        int kind = rnd.nextInt(3);
        if (kind == 0) {
            OpSpec s = unary.get(rnd.nextInt(unary.size()));
            return new Step(s.name(), h -> s.apply(h));
        }
        if (kind == 1) {
            OpSpec s = binary.get(rnd.nextInt(binary.size()));
            int partner = rnd.nextInt(4), pick = rnd.nextInt(Math.max(1, n));
            switch (partner) {
                case 0: return new Step(s.name() + "(h, flip h)", h -> s.apply(h, h.flip(0)));
                case 1: return new Step(s.name() + "(roll h, h)", h -> s.apply(h.roll(RollOptions.shifts(2)), h));
                case 2: return new Step(s.name() + "(h, h[" + pick + "])", h -> s.apply(h, h.select(0, pick % h.size())));
                default: return new Step(s.name() + "(h, constant)", h -> s.apply(h, constant(h.size())));
            }
        }
        switch (rnd.nextInt(8)) {
            case 0: return new Step("flip", h -> h.flip(0));
            case 1: return new Step("roll(-1)", h -> h.roll(RollOptions.shifts(-1)));
            case 2: return new Step("slice(0, 1, n)", h -> h.size() > 1 ? h.slice(0, 1, h.size()) : h);
            case 3: return new Step("pad(0, 1, 2)", h -> h.pad(0, 1, 2));
            case 4: return new Step("concat(h, h[0:2])", h -> Tensor.concat(0, h, h.slice(0, 0, Math.min(2, h.size()))));
            case 5: return new Step("indexSelect([last, 0, mid, 0])", h -> h.indexSelect(new int[] {h.size() - 1, 0, h.size() / 2, 0}, 0));
            case 6: return new Step("reshape(2, -1).transpose().flatten()", h -> h.size() % 2 == 0 ? h.reshape(2, -1).transpose().flatten() : h.flip(0));
            default: return new Step("outer(h, h[0:2]).flatten()", h -> h.outer(h.slice(0, 0, Math.min(2, h.size()))).flatten());
        }
    }

    /** A constant operand (no pattern) of the given length, values in [0.5, 1.4]. */
    static Tensor constant(int n) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = 0.5 + ((7 * i + 3) % 10) / 10.0;
        return Tensor.of(c, n);
    }

    static boolean finite(double[] a) {
        for (double v : a) if (!Double.isFinite(v)) return false;
        return true;
    }

    @TestFactory
    Stream<DynamicTest> randomCompositionsOfRegistryOps() {
        List<OpSpec> unary = pool(Kind.UNARY), binary = pool(Kind.BINARY);
        List<DynamicTest> tests = new ArrayList<>();
        for (int c = 0; c < 60; c++) {
            Random rnd = new Random(1000 + c);
            int n = 2 + rnd.nextInt(5), depth = 3 + rnd.nextInt(3);
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < depth; i++) steps.add(randomStep(rnd, unary, binary, n));
            long seed = c;
            String name = "composition " + c + " on R^" + n + ": " + steps.stream().map(Step::name).reduce((a, b) -> a + " ∘ " + b).orElse("");
            tests.add(DynamicTest.dynamicTest(name, () -> composition(name, steps, n, seed)));
        }
        return tests.stream();
    }

    static void composition(String name, List<Step> steps, int n, long seed) {
        TensorFunction f = z -> {
            Tensor h = z;
            for (Step s : steps) {
                h = s.f().apply(h);
                if (h.size() > 16) h = h.slice(0, 0, 16); // keep the dense Hessians small
            }
            return h;
        };
        Tensor z = TensorRandom.seed(seed).uniform(-1.5, 1.5, n);
        Tensor y = f.apply(z);
        double[] jac = SparsityOracle.denseJacobian(f, z);
        org.junit.jupiter.api.Assumptions.assumeTrue(finite(y.toArray()) && finite(jac), "values overflow at this point: " + name);
        int m = y.size();
        List<String> miss = missing(nonzeros(jac, m, n), matrix(name, Detection.jacobianRows("composition", f, z), m, n));
        assertTrue(miss.isEmpty(), name + ": nonzeros of the dense Jacobian outside the detected pattern: " + miss + "\n  at " + z);
        sameValues(name + ": sparse Jacobian", jac, Diff.sparseJacobian(f, z));
        Tensor w = TensorRandom.seed(seed + 5).normal(y.shape());
        for (boolean sine : new boolean[] {false, true}) {
            TensorFunction g = weighted(f, w, sine);
            double[] h = Diff.hessian(g, z).toArray();
            if (!finite(h)) continue;
            List<String> hm = missing(nonzeros(h, n, n), matrix(name, Detection.hessianRows("composition", g, z), n, n));
            assertTrue(hm.isEmpty(), name + (sine ? " (⟨w, sin f⟩)" : " (⟨w, f⟩)") + ": nonzeros of the dense Hessian outside the detected pattern: " + hm + "\n  at " + z);
            sameValues(name + (sine ? " (⟨w, sin f⟩)" : " (⟨w, f⟩)") + ": sparse Hessian", h, Diff.sparseHessian(g, z));
        }
    }

    /** The sparse result equals the dense matrix entry for entry, to rounding in the last bits (the compressed products add structural zeros). */
    static void sameValues(String name, double[] dense, dev.dualgrad.sparse.SparseMatrix sparse) {
        int n = sparse.columns();
        assertEquals(dense.length, sparse.rows() * n, name + ": size");
        for (int k = 0; k < dense.length; k++) {
            double want = dense[k], got = sparse.get(k / n, k % n);
            assertTrue(Math.abs(want - got) <= 1e-14 * Math.max(1, Math.abs(want)), name + ": entry (" + k / n + ", " + k % n + ") is " + got + ", dense " + want);
        }
    }

    // ------------------------------------------------------------------ 4. extremes

    static Tensor rosenbrock(Tensor z) {
        int n = z.size();
        Tensor a = z.slice(0, 1, n), b = z.slice(0, 0, n - 1);
        return a.sub(b.square()).square().mul(100).add(Tensor.scalar(1).sub(b).square()).sum();
    }

    /** Rows {i-1, i, i+1} ∩ [0, n): written by hand. */
    static int[][] tridiagonal(int n) {
        int[][] r = new int[n][];
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - 1), hi = Math.min(n - 1, i + 1);
            r[i] = new int[hi - lo + 1];
            for (int j = lo; j <= hi; j++) r[i][j - lo] = j;
        }
        return r;
    }

    static int[][] band(int n) { // row i of z[1:] - z[:-1] times anything elementwise: {i, i+1}
        int[][] r = new int[n - 1][];
        for (int i = 0; i < n - 1; i++) r[i] = new int[] {i, i + 1};
        return r;
    }

    static final Tensor X5 = Tensor.vector(0.3, -0.7, 1.1, 0.4, -1.3);

    @Test
    void sizeZeroInputHasAPatternWithNoRowsOrColumns() {
        Tensor empty = Tensor.zeros(0);
        assertEquals(0, Detection.jacobianRows("size 0", Tensor::exp, empty).length);
        int[][] sum = Detection.jacobianRows("size 0", Tensor::sum, empty);
        assertEquals(1, sum.length, "the sum of nothing is one element");
        assertEquals(0, sum[0].length, "depending on nothing");
        assertEquals(0, Detection.hessianRows("size 0", z -> z.square().sum(), empty).length);
        assertEquals(0, Detection.jacobianRows("size 0 matrix", z -> z.reshape(0, 3).transpose(), Tensor.zeros(0)).length);
    }

    @Test
    void rankZeroInput() {
        Tensor x = Tensor.scalar(0.4);
        assertTrue(Arrays.deepEquals(new int[][] {{0}}, Detection.jacobianRows("rank 0", z -> z.sin().mul(z), x)));
        assertTrue(Arrays.deepEquals(new int[][] {{0}}, Detection.hessianRows("rank 0", z -> z.sin().mul(z), x)));
        assertTrue(Arrays.deepEquals(new int[][] {{}}, Detection.hessianRows("rank 0, linear", z -> z.mul(3), x)));
        int[][] b = Detection.jacobianRows("rank 0 broadcast", z -> z.broadcastTo(2, 2).add(Tensor.ones(2, 2)), x);
        assertTrue(Arrays.deepEquals(new int[][] {{0}, {0}, {0}, {0}}, b), Arrays.deepToString(b));
    }

    @Test
    void aFunctionIgnoringItsInputHasAnEmptyPattern() {
        int[][] j = Detection.jacobianRows("constant", z -> Tensor.vector(1, 2, 3).exp(), X5);
        assertTrue(Arrays.deepEquals(new int[][] {{}, {}, {}}, j), Arrays.deepToString(j));
        int[][] shapeOnly = Detection.jacobianRows("shape only", z -> Tensor.zeros(z.shape()).add(1), X5);
        for (int[] r : shapeOnly) assertEquals(0, r.length, Arrays.deepToString(shapeOnly));
        int[][] h = Detection.hessianRows("constant", z -> Tensor.vector(1, 2).square().sum(), X5);
        assertEquals(5, h.length);
        for (int[] r : h) assertEquals(0, r.length, Arrays.deepToString(h));
        int[][] times0 = Detection.jacobianRows("x·0 (a constant zero is still a dependency, globally)", z -> z.mul(0), X5);
        assertEquals(5, times0.length);
    }

    @Test
    void aFunctionReturningNullIsRefused() {
        IllegalArgumentException j = assertThrows(IllegalArgumentException.class, () -> Detection.jacobianRows("nullop", z -> null, X5));
        assertTrue(j.getMessage().contains("nullop"), j.getMessage());
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> Detection.hessianRows("nullop", z -> null, X5));
        assertTrue(h.getMessage().contains("nullop"), h.getMessage());
        // the level is closed after the failure: a detection afterwards works as usual
        assertTrue(Arrays.deepEquals(tridiagonal(5), Detection.hessianRows("after", SparsityConformanceTest::rosenbrock, X5)));
    }

    @Test
    void detectionInsideAnOuterGradient() {
        int n = X5.size();
        int[][][] seen = new int[3][][];
        Tensor g = Diff.grad(x -> {
            // the inner function closes over the outer traced x: a constant for detection
            seen[0] = Detection.jacobianRows("nested J", z -> z.slice(0, 1, n).sub(z.slice(0, 0, n - 1)).mul(x.slice(0, 1, n).exp()), x);
            seen[1] = Detection.hessianRows("nested H", SparsityConformanceTest::rosenbrock, x);
            seen[2] = Detection.jacobianRows("nested J of x·x", z -> z.mul(x).mul(z), x);
            return x.sin().sum();
        }, X5);
        assertTrue(Arrays.deepEquals(band(n), seen[0]), "Jacobian pattern detected inside grad: " + Arrays.deepToString(seen[0]));
        assertTrue(Arrays.deepEquals(tridiagonal(n), seen[1]), "Hessian pattern detected inside grad: " + Arrays.deepToString(seen[1]));
        assertTrue(Arrays.deepEquals(SparsityOracle.diagonalRows(n), seen[2]), "diagonal detected inside grad: " + Arrays.deepToString(seen[2]));
        double[] cos = X5.cos().toArray(), got = g.toArray();
        assertArrayEquals(cos, got, 1e-15, "the outer gradient is unaffected by the detections inside it");
    }

    @Test
    void detectionInsideAnOuterJvpAndHessian() {
        int n = X5.size();
        int[][][] seen = new int[2][][];
        Tensor t = Diff.jvp(x -> {
            seen[0] = Detection.jacobianRows("nested in jvp", z -> z.slice(0, 1, n).mul(z.slice(0, 0, n - 1)), x);
            return x.square();
        }, X5, Tensor.ones(n)).tangent();
        assertTrue(Arrays.deepEquals(band(n), seen[0]), Arrays.deepToString(seen[0]));
        assertArrayEquals(X5.mul(2).toArray(), t.toArray(), 1e-15);
        Tensor h = Diff.hessian(x -> {
            seen[1] = Detection.hessianRows("nested in hessian", SparsityConformanceTest::rosenbrock, x);
            return x.square().sum();
        }, X5);
        assertTrue(Arrays.deepEquals(tridiagonal(n), seen[1]), Arrays.deepToString(seen[1]));
        double[] hv = h.toArray();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(i == j ? 2.0 : 0.0, hv[i * n + j], 1e-14);
    }

    @Test
    void transformsInsideDetection() {
        int n = X5.size();
        // the Hessian pattern of Rosenbrock as the Jacobian pattern of its gradient, by the public transform
        int[][] viaGrad = Detection.jacobianRows("grad inside", z -> Diff.grad(SparsityConformanceTest::rosenbrock, z), X5);
        assertTrue(Arrays.deepEquals(tridiagonal(n), viaGrad), Arrays.deepToString(viaGrad));
        int[][] viaJvp = Detection.jacobianRows("jvp inside", z -> Diff.jvp(u -> u.sin().mul(u), z, Tensor.ones(n)).tangent(), X5);
        assertTrue(Arrays.deepEquals(SparsityOracle.diagonalRows(n), viaJvp), Arrays.deepToString(viaJvp));
        int[][] viaHvp = Detection.jacobianRows("hvp inside", z -> Diff.hvp(SparsityConformanceTest::rosenbrock, z, Tensor.ones(n)), X5);
        // (H·1)ᵢ = Hᵢ,ᵢ₋₁ + Hᵢᵢ + Hᵢ,ᵢ₊₁ with Hᵢ,ᵢ₋₁ = −400zᵢ₋₁, Hᵢᵢ = 1200zᵢ² − 400zᵢ₊₁ + 202 (i < n−1) and H₍ₙ₋₁₎₍ₙ₋₁₎ = 200, a
        // constant: the last row depends on z₍ₙ₋₂₎ alone, the others on their tridiagonal band
        int[][] hv = tridiagonal(n);
        hv[n - 1] = new int[] {n - 2};
        assertTrue(Arrays.deepEquals(hv, viaHvp), Arrays.deepToString(viaHvp));
    }
}
