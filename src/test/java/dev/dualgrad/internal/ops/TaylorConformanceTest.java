package dev.dualgrad.internal.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.Jet;
import dev.dualgrad.transforms.LaplacianOptions;
import dev.dualgrad.transforms.LaplacianResult;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 18's registry-driven tests of the Taylor and forward-Laplacian rules: every registered op, on
 * every one of its sample shapes, with all its tensor arguments perturbed at once (packed into one vector
 * z, as {@link SparsityOracle#unpacked} does). The references never run a Taylor or Laplacian rule:
 * nested {@code Diff.jvp} (plain forward mode), {@code Diff.jacobian} and {@code Diff.hessian}.
 *
 * <ol>
 *   <li><b>Directional series.</b> For K = 1..4, the pass of order K along a random v gives, for every
 *       k ≤ K, Dᵏf(z)[v, …, v] equal to k nested {@code Diff.jvp} calls along v, to 1e-8 of the largest
 *       reference element (per order).</li>
 *   <li><b>K = 1 is jvp, bitwise.</b></li>
 *   <li><b>A general input curve.</b> {@code Diff.jet} with four random input derivatives (so the second
 *       and higher input coefficients are nonzero at the op itself, which a directional series never
 *       gives a single op) equals the nested JVPs in t of t ↦ f(z + Σ tᵏ/k!·dₖ) at t = 0.</li>
 *   <li><b>Forward Laplacian.</b> For s = ⟨w, f⟩ (random w): Δs = tr(Diff.hessian(s)); the Laplacian of
 *       vector f has Jacobian = Diff.jacobian(f), value f(z), and ⟨w, Δf⟩ = tr(∇²s). The same again through a
 *       nonlinear mixing pre-map z ↦ z + (z − z₀)M + ½(z − z₀)² (exactly z₀ at z₀, so the op sees the same
 *       point), so that the op receives a non-identity Jacobian and a nonzero incoming Laplacian row; and
 *       chunked passes (one direction each) give the same Laplacian to rounding.</li>
 * </ol>
 *
 * <p>Every check of a case runs on its own, and a failing case reports all its failing checks with the
 * inputs. Ops at kinks are kept off them by the registry's domains (as in {@link OpConformanceTest}); the
 * registry holds no integer-valued tensor arguments (indices and targets are baked into the specs).</p>
 */
class TaylorConformanceTest {
    static final int MAX_K = 4;
    /** Relative to the largest reference element of the same order (or of the Hessian's diagonal). */
    static final double RTOL = 1e-8, ATOL = 1e-12, ROUNDING = 1e-11;

    /** One case: the op on one shape tuple, as a function of one packed vector. */
    record Case(OpSpec spec, int[][] shapes, Tensor[] xs, Tensor z, TensorFunction f, long seed) {
        String describe() {
            StringBuilder sb = new StringBuilder(spec.name()).append(" at shapes ").append(Arrays.deepToString(shapes)).append(", seed ").append(seed);
            for (Tensor x : xs) sb.append("\n  input ").append(x);
            return sb.toString();
        }
    }

    static Case at(OpSpec spec, int[][] shapes, long seed) {
        Tensor[] xs = Conformance.inputs(spec, shapes, seed);
        return new Case(spec, shapes, xs, SparsityOracle.pack(xs), SparsityOracle.unpacked(spec, shapes), seed);
    }

    @TestFactory
    Stream<DynamicTest> everyOpOnEverySampleShape() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            for (int[][] shapes : spec.shapes()) {
                tests.add(DynamicTest.dynamicTest(spec.name() + " " + Arrays.deepToString(shapes), () -> runAll(at(spec, shapes, 1))));
            }
        }
        return tests.stream();
    }

    /** The registry is not empty and this test sees every op: a guard against a silently empty factory. */
    @Test
    void theRegistryIsCovered() {
        int cases = 0;
        for (OpSpec spec : OpRegistry.all()) cases += spec.shapes().size();
        assertTrue(OpRegistry.all().size() > 150 && cases > 350, "registry: " + OpRegistry.all().size() + " specs, " + cases + " cases");
    }

    /**
     * The constant-valued ops ({@link OpRegistry#CONSTANT_OPS}): alone, their series and Laplacian pass are
     * exactly zero; times a smooth function of the same input, the series is nested forward mode's and the
     * Laplacian the Hessian trace. argmax and argmin return int[] (never traced): they are used as the
     * {@code pick} index of a smooth function.
     */
    @TestFactory
    Stream<DynamicTest> constantOpsCarryNoSeries() {
        java.util.Map<String, java.util.function.UnaryOperator<Tensor>> ops = new java.util.TreeMap<>();
        Tensor c = Tensor.of(new double[] {0.3, -0.2, 1.1, 0.05, -1.4, 0.6}, 2, 3);
        ops.put("gt", z -> z.gt(c).add(z.gt(0.1)));
        ops.put("ge", z -> z.ge(c).add(z.ge(0.1)));
        ops.put("lt", z -> z.lt(c).add(z.lt(0.1)));
        ops.put("le", z -> z.le(c).add(z.le(0.1)));
        ops.put("eq", z -> z.eq(c).add(z.eq(z)));
        ops.put("sign", Tensor::sign);
        ops.put("detach", Tensor::detach);
        ops.put("floor", Tensor::floor);
        ops.put("ceil", Tensor::ceil);
        ops.put("round", Tensor::round);
        ops.put("trunc", Tensor::trunc);
        ops.put("argmax", z -> z.sin().pick(z.argmax()).unsqueeze(-1).broadcastTo(2, 3));
        ops.put("argmin", z -> z.cos().pick(z.argmin()).unsqueeze(-1).broadcastTo(2, 3));
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("every constant op is here", () -> assertTrue(ops.keySet().containsAll(OpRegistry.CONSTANT_OPS),
                "constant ops without a case in this test: " + OpRegistry.CONSTANT_OPS.stream().filter(k -> !ops.containsKey(k)).toList())));
        Tensor x = Tensor.of(new double[] {1.7, -0.6, 0.35, 2.4, -1.25, 0.8}, 2, 3), v = TensorRandom.seed(4).normal(2, 3);
        for (var e : ops.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                boolean pure = !e.getKey().startsWith("arg");
                TensorFunction g = z -> e.getValue().apply(z);
                if (pure) {
                    Jet j = Diff.directionalDerivative(g, x, v, TaylorOptions.order(3));
                    Tensor zero = Tensor.zeros(g.apply(x).shape());
                    for (int k = 1; k <= 3; k++) bitwise(e.getKey() + " alone: derivative " + k + " is exactly 0", zero, j.derivative(k).add(0.0));
                    LaplacianResult r = Diff.laplacian(g, x);
                    close(e.getKey() + " alone: Laplacian 0", zero, r.laplacian(), 0);
                    close(e.getKey() + " alone: Jacobian 0", Tensor.zeros(Shape.concat(zero.shape(), x.shape())), r.jacobian(), 0);
                }
                TensorFunction f = z -> g.apply(z).mul(z.sin()).add(g.apply(z).square());
                Jet j = Diff.directionalDerivative(f, x, v, TaylorOptions.order(3));
                for (int k = 1; k <= 3; k++) close(e.getKey() + " times sin: derivative " + k, nestedJvp(f, x, v, k), j.derivative(k), RTOL);
                TensorFunction s = z -> f.apply(z).sum();
                double trace = Diff.hessian(s, x).reshape(6, 6).trace().item();
                scalarClose(e.getKey() + " times sin: Laplacian vs Hessian trace", trace, Diff.laplacian(s, x).laplacian().item(), Math.abs(trace));
            }));
        }
        return tests.stream();
    }

    // ------------------------------------------------------------------ the checks

    record Check(String name, Runnable body) {}

    static List<Check> checks(Case c) {
        List<Check> l = new ArrayList<>();
        l.add(new Check("directional series K = 1..4 vs nested jvp", () -> directionalSeries(c)));
        l.add(new Check("K = 1 equals jvp bitwise", () -> firstOrderIsJvp(c)));
        l.add(new Check("jet of a general input curve vs nested jvp in t", () -> generalCurve(c)));
        l.add(new Check("forward Laplacian vs Hessian trace and Jacobian", () -> laplacian(c, false)));
        l.add(new Check("forward Laplacian through a nonlinear mixing pre-map vs Hessian trace and Jacobian", () -> laplacian(c, true)));
        return l;
    }

    static void runAll(Case c) {
        StringBuilder failed = new StringBuilder();
        for (Check k : checks(c)) {
            try {
                k.body.run();
            } catch (Throwable t) {
                failed.append("FAILED ").append(k.name).append(": ").append(t instanceof AssertionError ? t.getMessage() : t.toString()).append('\n');
            }
        }
        if (failed.length() > 0) fail(failed + c.describe());
    }

    /** k nested JVPs along v: Dᵏf(x)[v, …, v]. */
    static Tensor nestedJvp(TensorFunction f, Tensor x, Tensor v, int k) {
        TensorFunction g = f;
        for (int i = 0; i < k; i++) {
            TensorFunction inner = g;
            g = y -> Diff.jvp(inner, y, v).tangent();
        }
        return g.apply(x);
    }

    static Tensor direction(Case c, long salt) {
        return TensorRandom.seed(c.seed * 7919 + salt).normal(c.z.shape());
    }

    static void directionalSeries(Case c) {
        Tensor v = direction(c, 1);
        Tensor[] ref = new Tensor[MAX_K + 1];
        for (int k = 1; k <= MAX_K; k++) ref[k] = nestedJvp(c.f, c.z, v, k);
        Tensor y = c.f.apply(c.z);
        for (int order = 1; order <= MAX_K; order++) {
            Jet j = Diff.directionalDerivative(c.f, c.z, v, TaylorOptions.order(order));
            if (j.order() != order) fail("a pass of order " + order + " returned a jet of order " + j.order());
            close("order-" + order + " pass: value", y, j.value(), ROUNDING);
            for (int k = 1; k <= order; k++) close("order-" + order + " pass: derivative " + k, ref[k], j.derivative(k), RTOL);
        }
    }

    static void firstOrderIsJvp(Case c) {
        Tensor v = direction(c, 1);
        Tensor t = Diff.jvp(c.f, c.z, v).tangent();
        Jet j = Diff.directionalDerivative(c.f, c.z, v, TaylorOptions.order(1));
        bitwise("derivative 1 of the order-1 pass vs jvp", t, j.derivative(1));
        Jet g = Diff.jet(c.f, c.z, new Tensor[] {v});
        bitwise("jet with one input derivative vs jvp", t, g.derivative(1));
    }

    static void generalCurve(Case c) {
        Tensor[] d = new Tensor[MAX_K];
        for (int k = 0; k < MAX_K; k++) d[k] = direction(c, 10 + k).mul(k == 0 ? 1 : 0.5);
        double[] fact = {1, 1, 2, 6, 24};
        TensorFunction curve = t -> {
            Tensor x = c.z;
            Tensor tk = t;
            for (int k = 1; k <= MAX_K; k++) {
                x = x.add(d[k - 1].mul(tk.div(fact[k])));
                if (k < MAX_K) tk = tk.mul(t);
            }
            return c.f.apply(x);
        };
        Tensor t0 = Tensor.scalar(0), one = Tensor.scalar(1);
        Jet j = Diff.jet(c.f, c.z, d);
        for (int k = 1; k <= MAX_K; k++) close("jet derivative " + k, nestedJvp(curve, t0, one, k), j.derivative(k), RTOL);
        // the same curve given only its first two derivatives and order 4 (the rest zero)
        Tensor[] d2 = {d[0], d[1]};
        TensorFunction curve2 = t -> c.f.apply(c.z.add(d[0].mul(t)).add(d[1].mul(t.square().div(2))));
        Jet j2 = Diff.jet(c.f, c.z, d2, TaylorOptions.order(MAX_K));
        for (int k = 1; k <= MAX_K; k++) close("jet(order 4) of a quadratic curve: derivative " + k, nestedJvp(curve2, t0, one, k), j2.derivative(k), RTOL);
    }

    /** z ↦ z + (z − z₀)M + ½(z − z₀)²: z₀ at z₀, Jacobian I + Mᵀ, second derivatives on the diagonal. */
    static TensorFunction preMap(Case c) {
        int n = c.z.size();
        Tensor m = TensorRandom.seed(c.seed * 31 + 5).normal(n, n).mul(0.4 / Math.sqrt(n));
        Tensor z0 = c.z;
        return z -> {
            Tensor dz = z.sub(z0);
            return z.add(dz.matmul(m)).add(dz.square().mul(0.5));
        };
    }

    static void laplacian(Case c, boolean mapped) {
        TensorFunction pre = mapped ? preMap(c) : z -> z;
        TensorFunction f = z -> c.f.apply(pre.apply(z));
        Tensor y = c.f.apply(c.z);
        Tensor w = TensorRandom.seed(c.seed * 17 + 3).normal(y.shape());
        TensorFunction s = z -> f.apply(z).mul(w).sum();
        int n = c.z.size();
        double[] h = Tensors.buffer(Diff.hessian(s, c.z));
        double trace = 0, scale = 0;
        for (int i = 0; i < n; i++) {
            trace += h[i * n + i];
            scale += Math.abs(h[i * n + i]);
        }
        LaplacianResult rs = Diff.laplacian(s, c.z);
        scalarClose("Δ⟨w, f⟩ vs tr(∇²⟨w, f⟩)", trace, rs.laplacian().item(), scale);
        close("Jacobian part of the Laplacian of ⟨w, f⟩ vs Diff.grad", Diff.grad(s, c.z), rs.jacobian(), 1e-10);
        LaplacianResult r = Diff.laplacian(f, c.z);
        close("value of the Laplacian of f", y, r.value(), ROUNDING);
        close("Jacobian of the Laplacian of f vs Diff.jacobian", Diff.jacobian(f, c.z), r.jacobian(), 1e-10);
        if (!Arrays.equals(r.laplacian().shape(), y.shape())) {
            fail("the Laplacian has shape " + Shape.str(r.laplacian().shape()) + ", f(z) " + Shape.str(y.shape()));
        }
        double[] lap = Tensors.buffer(r.laplacian()), wd = Tensors.buffer(w);
        double contracted = 0, cs = scale;
        for (int o = 0; o < lap.length; o++) {
            contracted += wd[o] * lap[o];
            cs += Math.abs(wd[o] * lap[o]);
        }
        scalarClose("⟨w, Δf⟩ (the Laplacian of vector f, one per output element) vs tr(∇²⟨w, f⟩)", trace, contracted, cs);
        if (mapped) {
            LaplacianResult r1 = Diff.laplacian(f, c.z, LaplacianOptions.defaults().chunkSize(1));
            close("Laplacian at chunk size 1 vs all directions in one pass", r.laplacian(), r1.laplacian(), ROUNDING);
            close("Jacobian at chunk size 1 vs all directions in one pass", r.jacobian(), r1.jacobian(), ROUNDING);
        }
    }

    // ------------------------------------------------------------------ comparisons

    static void close(String what, Tensor expected, Tensor actual, double rtol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Shape.str(actual.shape()) + " but expected " + Shape.str(expected.shape()));
        }
        double[] e = Tensors.buffer(expected), a = Tensors.buffer(actual);
        double max = 0;
        for (double x : e) max = Math.max(max, Math.abs(x));
        double tol = rtol * max + ATOL;
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.17g but the reference gives %.17g (tolerance %.3g = %.0e·max|ref| + %.0e)",
                        what, i, a[i], e[i], tol, rtol, ATOL));
            }
        }
    }

    static void scalarClose(String what, double expected, double actual, double scale) {
        double tol = RTOL * Math.max(scale, Math.abs(expected)) + ATOL;
        if (!(Math.abs(expected - actual) <= tol)) {
            fail(String.format(Locale.ROOT, "%s: %.17g but the reference gives %.17g (tolerance %.3g)", what, actual, expected, tol));
        }
    }

    static void bitwise(String what, Tensor expected, Tensor actual) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Shape.str(actual.shape()) + " but expected " + Shape.str(expected.shape()));
        }
        double[] e = Tensors.buffer(expected), a = Tensors.buffer(actual);
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToRawLongBits(e[i]) != Double.doubleToRawLongBits(a[i])) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.17g but jvp gives %.17g (not bitwise equal)", what, i, a[i], e[i]));
            }
        }
    }
}
