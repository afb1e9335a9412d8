package dev.dualgrad.taylor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.internal.ops.RandomPrograms;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.Jet;
import dev.dualgrad.transforms.LaplacianOptions;
import dev.dualgrad.transforms.LaplacianResult;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 18's properties of Taylor mode and the forward Laplacian, each against an independent route:
 * Commons Math's {@link DerivativeStructure} (scalar functions to order 8), {@code Diff.hessian} (plain
 * forward over reverse), nested {@code Diff.jvp}, central finite differences and closed forms.
 * The registry-driven per-op tests are in {@code internal.ops.TaylorConformanceTest}.
 */
class TaylorPropertiesTest {
    static final double DS_RTOL = 1e-9, RTOL = 1e-8, ATOL = 1e-12;

    // ------------------------------------------------------------------ 1. scalar functions against DerivativeStructure, K = 1..8

    /** A scalar function as dualgrad ops and as DerivativeStructure operations, with points inside its domain. */
    record Scalar(String name, UnaryOperator<Tensor> f, UnaryOperator<DerivativeStructure> ds, double... points) {}

    static final double[] REAL = {-1.7, -0.6, 0.05, 0.4, 1.3, 2.2};
    static final double[] POSITIVE = {0.3, 0.9, 1.7, 3.1};

    /** erf through erf′ = 2/√π·exp(−x²): a structure of erf′ to order 8 gives erf⁽ᵏ⁾ = (erf′)⁽ᵏ⁻¹⁾ for k ≥ 1. */
    static final String ERF = "erf";

    static List<Scalar> scalars() {
        List<Scalar> l = new ArrayList<>();
        l.add(new Scalar("exp", Tensor::exp, DerivativeStructure::exp, REAL));
        l.add(new Scalar("log", Tensor::log, DerivativeStructure::log, POSITIVE));
        l.add(new Scalar("log1p", Tensor::log1p, DerivativeStructure::log1p, -0.7, -0.2, 0.3, 1.9));
        l.add(new Scalar("sin", Tensor::sin, DerivativeStructure::sin, REAL));
        l.add(new Scalar("cos", Tensor::cos, DerivativeStructure::cos, REAL));
        l.add(new Scalar("tan", Tensor::tan, DerivativeStructure::tan, -1.2, -0.4, 0.3, 1.1));
        l.add(new Scalar("tanh", Tensor::tanh, DerivativeStructure::tanh, REAL));
        l.add(new Scalar("sigmoid", Tensor::sigmoid, x -> x.negate().exp().add(1).reciprocal(), REAL));
        l.add(new Scalar("softplus", Tensor::softplus, x -> x.exp().log1p(), REAL));
        l.add(new Scalar("sqrt", Tensor::sqrt, DerivativeStructure::sqrt, POSITIVE));
        l.add(new Scalar("pow(x, 2.5)", x -> x.pow(2.5), x -> x.pow(2.5), POSITIVE));
        l.add(new Scalar("pow(x, -1.5)", x -> x.pow(-1.5), x -> x.pow(-1.5), POSITIVE));
        l.add(new Scalar("atan", Tensor::atan, DerivativeStructure::atan, REAL));
        l.add(new Scalar("asinh", Tensor::asinh, DerivativeStructure::asinh, REAL));
        l.add(new Scalar("sinh", Tensor::sinh, DerivativeStructure::sinh, REAL));
        l.add(new Scalar("cosh", Tensor::cosh, DerivativeStructure::cosh, REAL));
        l.add(new Scalar("expm1", Tensor::expm1, DerivativeStructure::expm1, REAL));
        l.add(new Scalar("asin", Tensor::asin, DerivativeStructure::asin, -0.8, -0.3, 0.2, 0.7));
        l.add(new Scalar("atanh", Tensor::atanh, DerivativeStructure::atanh, -0.8, -0.3, 0.2, 0.7));
        l.add(new Scalar("reciprocal", Tensor::reciprocal, DerivativeStructure::reciprocal, -1.7, -0.6, 0.4, 2.2));
        l.add(new Scalar(ERF, Tensor::erf, null, REAL));
        // compositions
        l.add(new Scalar("exp(sin(x))", x -> x.sin().exp(), x -> x.sin().exp(), REAL));
        l.add(new Scalar("log(1 + x²)·tanh(x)", x -> x.square().add(1).log().mul(x.tanh()), x -> x.multiply(x).add(1).log().multiply(x.tanh()), REAL));
        l.add(new Scalar("sigmoid(x)·cos(2x) / (1 + x²)", x -> x.sigmoid().mul(x.mul(2).cos()).div(x.square().add(1)),
                x -> x.negate().exp().add(1).reciprocal().multiply(x.multiply(2).cos()).divide(x.multiply(x).add(1)), REAL));
        l.add(new Scalar("sqrt(1 + exp(x))", x -> x.exp().add(1).sqrt(), x -> x.exp().add(1).sqrt(), REAL));
        l.add(new Scalar("pow(softplus(x), 2.5)", x -> x.softplus().pow(2.5), x -> x.exp().log1p().pow(2.5), REAL));
        l.add(new Scalar("atan(3·tanh(x)) − asinh(x²)", x -> x.tanh().mul(3).atan().sub(x.square().asinh()),
                x -> x.tanh().multiply(3).atan().subtract(x.multiply(x).asinh()), REAL));
        l.add(new Scalar("tan(sin(x))·x", x -> x.sin().tan().mul(x), x -> x.sin().tan().multiply(x), REAL));
        l.add(new Scalar("x^x = exp(x·log x)", x -> x.pow(x), x -> x.multiply(x.log()).exp(), POSITIVE));
        return l;
    }

    /** f⁽ᵏ⁾(x) for k = 0..8 by DerivativeStructure; erf by its derivative's structure. */
    static double[] dsDerivatives(Scalar s, double x) {
        double[] d = new double[9];
        if (s.name.equals(ERF)) {
            DerivativeStructure t = new DerivativeStructure(1, 8, 0, x);
            DerivativeStructure g = t.multiply(t).negate().exp().multiply(2 / Math.sqrt(Math.PI));
            d[0] = org.apache.commons.math3.special.Erf.erf(x);
            for (int k = 1; k <= 8; k++) d[k] = g.getPartialDerivative(k - 1);
            return d;
        }
        DerivativeStructure y = s.ds.apply(new DerivativeStructure(1, 8, 0, x));
        for (int k = 0; k <= 8; k++) d[k] = y.getPartialDerivative(k);
        return d;
    }

    /**
     * The tolerance of f⁽ᵏ⁾: relative to |f⁽ᵏ⁾| and, so that a derivative crossing zero is not held to an
     * absolute 1e-18, to the size of its neighbours f⁽ᵏ⁻¹⁾ and f⁽ᵏ⁺¹⁾ (clipped at order 8).
     */
    static double dsTolerance(double[] d, int k) {
        double s = Math.abs(d[k]);
        s = Math.max(s, 0.1 * Math.abs(d[k - 1]));
        if (k < 8) s = Math.max(s, 0.1 * Math.abs(d[k + 1]));
        return DS_RTOL * Math.max(s, 1e-3);
    }

    @Test
    void scalarFunctionsMatchDerivativeStructureToOrder8() {
        List<String> failures = new ArrayList<>();
        for (Scalar s : scalars()) {
            Tensor x = Tensor.vector(s.points);
            double[][] ref = new double[s.points.length][];
            for (int i = 0; i < s.points.length; i++) ref[i] = dsDerivatives(s, s.points[i]);
            for (int order : new int[] {1, 2, 3, 5, 8}) { // a pass of every order K, not only the highest: the rules must not depend on K
                Jet j = Diff.directionalDerivative(z -> s.f.apply(z), x, Tensor.ones(s.points.length), TaylorOptions.order(order));
                for (int i = 0; i < s.points.length; i++) {
                    if (Math.abs(j.value().get(i) - ref[i][0]) > 1e-14 * Math.max(1, Math.abs(ref[i][0]))) {
                        failures.add(s.name + " at " + s.points[i] + ", K = " + order + ": value " + j.value().get(i) + " vs " + ref[i][0]);
                    }
                    for (int k = 1; k <= order; k++) {
                        double a = j.derivative(k).get(i);
                        if (!(Math.abs(a - ref[i][k]) <= dsTolerance(ref[i], k))) {
                            failures.add(String.format(Locale.ROOT, "%s at x = %s, K = %d: derivative %d is %.17g, DerivativeStructure %.17g (tolerance %.3g)",
                                    s.name, s.points[i], order, k, a, ref[i][k], dsTolerance(ref[i], k)));
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " derivatives differ from DerivativeStructure:\n" + String.join("\n", failures));
    }

    /**
     * A curved input, x(t) = x₀ + 0.7t + 0.3t² − 0.2t³ + 0.05t⁵ (derivatives 0.7, 0.6, −1.2, 0, 6 at t = 0):
     * {@code Diff.jet} against the structure of f(x(t)) in t, to order 8 (input derivatives 6..8 zero).
     */
    @Test
    void jetOfACurvedInputMatchesDerivativeStructure() {
        List<String> failures = new ArrayList<>();
        Tensor[] inDerivatives = new Tensor[5];
        double[] c = {0.7, 0.6, -1.2, 0, 6};
        for (Scalar s : scalars()) {
            int m = s.points.length;
            for (int k = 0; k < 5; k++) inDerivatives[k] = Tensor.full(c[k], m);
            Jet j = Diff.jet(z -> s.f.apply(z), Tensor.vector(s.points), inDerivatives, TaylorOptions.order(8));
            for (int i = 0; i < m; i++) {
                if (s.name.equals(ERF)) continue; // no erf in DerivativeStructure: its composition with a curve is not at hand
                DerivativeStructure t = new DerivativeStructure(1, 8, 0, 0.0);
                DerivativeStructure xt = t.multiply(0.7).add(t.pow(2).multiply(0.3)).subtract(t.pow(3).multiply(0.2)).add(t.pow(5).multiply(0.05)).add(s.points[i]);
                DerivativeStructure y = s.ds.apply(xt);
                double[] ref = new double[9];
                for (int k = 0; k <= 8; k++) ref[k] = y.getPartialDerivative(k);
                for (int k = 1; k <= 8; k++) {
                    double a = j.derivative(k).get(i);
                    if (!(Math.abs(a - ref[k]) <= dsTolerance(ref, k))) {
                        failures.add(String.format(Locale.ROOT, "%s at x₀ = %s: d^%d/dt^%d is %.17g, DerivativeStructure %.17g", s.name, s.points[i], k, k, a, ref[k]));
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " derivatives differ:\n" + String.join("\n", failures));
    }

    /** exp and sin at 0 to order K: every derivative of exp is 1 (normalised coefficients 1/k!), sin's cycle 0, 1, 0, −1. */
    static void expAndSinToOrder(int order) {
        Jet j = Diff.directionalDerivative(Tensor::exp, Tensor.scalar(0), Tensor.scalar(1), TaylorOptions.order(order));
        assertEquals(order, j.order());
        for (int k = 1; k <= order; k++) assertEquals(1, j.derivative(k).item(), 1e-9, "exp⁽" + k + "⁾(0)");
        Jet s = Diff.directionalDerivative(Tensor::sin, Tensor.scalar(0), Tensor.scalar(1), TaylorOptions.order(order));
        double[] cycle = {0, 1, 0, -1};
        for (int k = 1; k <= order; k++) assertEquals(cycle[k % 4], s.derivative(k).item(), 1e-9, "sin⁽" + k + "⁾(0)");
    }

    @Test
    void order12Works() {
        expAndSinToOrder(12);
    }

    /** The documented maximum order, for two ops with O(K²) recurrences (a hang is a failure: 60 s at most). */
    @Test
    @Timeout(60)
    void theHighestOrderWorks() {
        expAndSinToOrder(TaylorOptions.MAX_ORDER);
    }

    /**
     * Ops whose Taylor rule is the generic one must reach high orders too (TaylorOptions promises a cost
     * growing like K²): cumprod and solve at K = 24 against closed forms. With z(t) = z + t·(1, 1):
     * cumprod(z) = (z₀, z₀z₁) has derivatives (1, z₀ + z₁), (0, 2), then 0; solve(zzᵀ + 3I, z) = z/(3 + z·z)
     * (Sherman–Morrison), whose series DerivativeStructure gives.
     */
    @Test
    @Timeout(60)
    void opsWithTheGenericRuleReachHighOrders() {
        int order = 24;
        Tensor z = Tensor.vector(0.3, 0.5), ones = Tensor.ones(2);
        Jet c = Diff.directionalDerivative(x -> x.cumprod(-1), z, ones, TaylorOptions.order(order));
        for (int k = 1; k <= order; k++) {
            double[] expect = k == 1 ? new double[] {1, 0.8} : k == 2 ? new double[] {0, 2} : new double[] {0, 0};
            assertArrayEquals(expect, c.derivative(k).toArray(), 1e-9, "cumprod, derivative " + k);
        }
        Jet s = Diff.directionalDerivative(x -> dev.dualgrad.tensor.Linalg.solve(x.outer(x).add(Tensor.eye(2).mul(3)), x), z, ones, TaylorOptions.order(order));
        // Reference: solve(xxᵀ + 3I, x) = x/(|x|² + 3) (Sherman–Morrison), its series by the scalar division recurrence
        // written out here with x(t) = z + t. (DerivativeStructure drifts past order ~19 on this function: at order 20 it
        // gives 5.7e16 where the exact rational recurrence gives 1.35379e15.)
        double[] den = {0.3 * 0.3 + 0.5 * 0.5 + 3, 2 * (0.3 + 0.5), 2};
        double[][] num = {{0.3, 1}, {0.5, 1}};
        for (int i = 0; i < 2; i++) {
            double[] q = new double[order + 1];
            double factorial = 1;
            for (int k = 0; k <= order; k++) {
                double r = k < 2 ? num[i][k] : 0;
                for (int j = 1; j <= Math.min(k, 2); j++) r -= den[j] * q[k - j];
                q[k] = r / den[0];
                if (k > 0) {
                    factorial *= k;
                    double ref = q[k] * factorial;
                    assertEquals(ref, s.derivative(k).get(i), 1e-8 * Math.max(1, Math.abs(ref)), "solve, derivative " + k + ", element " + i);
                }
            }
        }
    }

    // ------------------------------------------------------------------ 2. random compositions: Laplacian, weighted, batch

    static final int PROGRAMS = 200, BATCH_PROGRAMS = 40;

    static double[] hessian(TensorFunction s, Tensor z) {
        return Diff.hessian(s, z).toArray();
    }

    @Test
    void randomProgramsLaplacianAndWeightedLaplacianMatchTheHessian() {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < PROGRAMS; i++) {
            RandomPrograms.Sample p = RandomPrograms.program(RandomPrograms.BASE_SEED + i);
            try {
                laplacianChecks(p, i);
            } catch (Throwable t) {
                failures.add((t instanceof AssertionError ? t.getMessage() : t.toString()) + "\n" + p.description());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + PROGRAMS + " programs failed; the first ones:\n\n"
                + String.join("\n\n", failures.subList(0, Math.min(3, failures.size()))));
    }

    static void laplacianChecks(RandomPrograms.Sample p, int i) {
        Tensor z = p.z();
        int n = z.size();
        Tensor y = p.f().apply(z);
        Tensor w = TensorRandom.seed(500 + i).normal(y.shape());
        TensorFunction s = x -> p.f().apply(x).mul(w).sum();
        double[] h = hessian(s, z);
        double trace = 0, scale = 0;
        for (int a = 0; a < n; a++) {
            trace += h[a * n + a];
            scale += Math.abs(h[a * n + a]);
        }
        LaplacianResult r = Diff.laplacian(p.f(), z);
        closeTensor("Jacobian of the Laplacian vs Diff.jacobian", Diff.jacobian(p.f(), z), r.jacobian(), 1e-10);
        scalar("⟨w, Δf⟩ vs tr(∇²⟨w, f⟩)", trace, contract(w, r.laplacian()), scale + Math.abs(contract(w.abs(), r.laplacian().abs())));
        // weighted: σ [n, 3], tr(σσᵀH) = Σ_r σ_rᵀ H σ_r
        int rr = 3;
        double[] sigma = TensorRandom.seed(700 + i).normal(n, rr).toArray();
        double weighted = 0, wscale = 0;
        for (int c = 0; c < rr; c++) {
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double t = sigma[a * rr + c] * h[a * n + b] * sigma[b * rr + c];
                    weighted += t;
                    wscale += Math.abs(t);
                }
            }
        }
        Tensor sig = Tensor.of(sigma, n, rr);
        LaplacianResult wr = Diff.weightedLaplacian(p.f(), z, sig);
        scalar("⟨w, tr(σσᵀ∇²f)⟩ vs the contraction of Diff.hessian", weighted, contract(w, wr.laplacian()), wscale);
        Tensor jsig = Diff.jacobian(p.f(), z).reshape(y.size(), n).matmul(sig).reshape(concat(y.shape(), rr));
        closeTensor("Jacobian part of the weighted Laplacian vs J·σ", jsig, wr.jacobian(), 1e-10);
        LaplacianResult ws = Diff.weightedLaplacian(s, z, sig);
        scalar("tr(σσᵀ∇²⟨w, f⟩) vs the contraction", weighted, ws.laplacian().item(), wscale);
        // σ = I is the Laplacian
        LaplacianResult wi = Diff.weightedLaplacian(s, z, Tensor.eye(n));
        scalar("weightedLaplacian with σ = I vs tr(∇²⟨w, f⟩)", trace, wi.laplacian().item(), scale);
    }

    @Test
    void batchLaplacianOfRandomProgramsIsThePerSampleLaplacian() {
        List<String> failures = new ArrayList<>();
        int b = 3;
        for (int i = 0; i < BATCH_PROGRAMS; i++) {
            RandomPrograms.Sample p = RandomPrograms.program(RandomPrograms.BASE_SEED + 1000 + i);
            int n = p.z().size();
            // three samples near the program's point (its operands stay inside their domains and off the kinks)
            Tensor batch = Tensor.stack(0, p.z(), p.z().add(TensorRandom.seed(i).normal(n).mul(0.01)), p.z().sub(TensorRandom.seed(i + 99).normal(n).mul(0.01)));
            TensorFunction f = zb -> {
                Tensor[] ys = new Tensor[b];
                for (int k = 0; k < b; k++) ys[k] = p.f().apply(zb.select(0, k));
                return Tensor.stack(0, ys);
            };
            try {
                LaplacianResult r = Diff.batchLaplacian(f, batch);
                for (int k = 0; k < b; k++) {
                    Tensor zk = batch.select(0, k);
                    Tensor y = p.f().apply(zk);
                    Tensor w = TensorRandom.seed(900 + i * 7 + k).normal(y.shape());
                    TensorFunction s = x -> p.f().apply(x).mul(w).sum();
                    double[] h = hessian(s, zk);
                    double trace = 0, scale = 0;
                    for (int a = 0; a < n; a++) {
                        trace += h[a * n + a];
                        scale += Math.abs(h[a * n + a]);
                    }
                    scalar("sample " + k + ": ⟨w, Δ_b⟩ vs tr(∇²⟨w, f⟩)", trace, contract(w, r.laplacian().select(0, k)), scale);
                    closeTensor("sample " + k + ": per-sample Jacobian vs Diff.jacobian", Diff.jacobian(p.f(), zk), r.jacobian().select(0, k), 1e-10);
                    closeTensor("sample " + k + ": value", y, r.value().select(0, k), 1e-13);
                }
            } catch (Throwable t) {
                failures.add((t instanceof AssertionError ? t.getMessage() : t.toString()) + "\n(the program applied to each of 3 samples)\n" + p.description());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + BATCH_PROGRAMS + " programs failed; the first ones:\n\n"
                + String.join("\n\n", failures.subList(0, Math.min(3, failures.size()))));
    }

    /** A tanh MLP with a genuinely batched matmul: batchLaplacian against per-sample Hessian traces, at every chunk size. */
    @Test
    void batchLaplacianOfAnMlpIsThePerSampleHessianTrace() {
        TensorRandom r = TensorRandom.seed(41);
        Tensor w1 = r.normal(3, 6), b1 = r.normal(6).mul(0.3), w2 = r.normal(6, 2).mul(0.5);
        TensorFunction f = x -> x.matmul(w1).add(b1).tanh().matmul(w2).softplus();
        Tensor x = r.normal(5, 3);
        for (int chunk : new int[] {0, 1, 2}) {
            LaplacianResult res = Diff.batchLaplacian(f, x, LaplacianOptions.defaults().chunkSize(chunk));
            assertArrayEquals(new int[] {5, 2}, res.laplacian().shape());
            assertArrayEquals(new int[] {5, 2, 3}, res.jacobian().shape());
            for (int b = 0; b < 5; b++) {
                Tensor xb = x.select(0, b);
                TensorFunction g = z -> f.apply(z.unsqueeze(0)).select(0, 0);
                closeTensor("sample " + b + " Jacobian", Diff.jacobian(g, xb), res.jacobian().select(0, b), 1e-10);
                closeTensor("sample " + b + " Laplacian vs Diff.laplacian of the sample alone", Diff.laplacian(g, xb).laplacian(), res.laplacian().select(0, b), 1e-10);
                for (int o = 0; o < 2; o++) {
                    int oo = o;
                    double[] h = hessian(z -> g.apply(z).at(oo), xb);
                    double tr = h[0] + h[4] + h[8];
                    scalar("chunk " + chunk + ", sample " + b + ", output " + o, tr, res.laplacian().get(b, o), Math.abs(h[0]) + Math.abs(h[4]) + Math.abs(h[8]));
                }
            }
        }
    }

    // ------------------------------------------------------------------ 3. the Hutchinson estimate

    /** f(x) = ½xᵀAx + Σ sin(xᵢ)·xᵢ₊₁: a Hessian with off-diagonal entries. */
    static final Tensor A = Tensor.of(new double[][] {{2, 0.5, -0.3, 0, 0.2, 0}, {0.5, 1, 0.4, 0.1, 0, 0}, {-0.3, 0.4, -1.5, 0.6, 0, 0.3},
        {0, 0.1, 0.6, 0.8, -0.2, 0}, {0.2, 0, 0, -0.2, 1.2, 0.7}, {0, 0, 0.3, 0, 0.7, -0.4}});
    static final TensorFunction COUPLED = x -> x.matmul(A).mul(x).sum().mul(0.5).add(x.slice(0, 0, 5).sin().mul(x.slice(0, 1, 6)).sum());
    static final Tensor X6 = Tensor.vector(0.3, -0.8, 1.1, 0.2, -0.5, 0.9);

    @Test
    void hutchinsonMeanConvergesAtTheExpectedRate() {
        double[] h = hessian(COUPLED, X6);
        int n = 6;
        double exact = 0, off = 0, frob = 0;
        for (int i = 0; i < n; i++) {
            exact += h[i * n + i];
            for (int j = 0; j < n; j++) {
                frob += h[i * n + j] * h[i * n + j];
                if (i != j) off += h[i * n + j] * h[i * n + j];
            }
        }
        assertTrue(off > 1, "the test function must have off-diagonal curvature");
        int seeds = 300;
        List<String> failures = new ArrayList<>();
        for (boolean gaussian : new boolean[] {false, true}) {
            double var1 = gaussian ? 2 * frob : 2 * off; // the variance of one direction's vᵀHv
            for (int rr : new int[] {1, 4, 16}) {
                double sum = 0, sumSq = 0;
                for (int s = 0; s < seeds; s++) {
                    LaplacianOptions o = LaplacianOptions.defaults().directions(rr).seed(1000L * rr + s);
                    double e = Diff.laplacianEstimate(COUPLED, X6, gaussian ? o.gaussian() : o.rademacher()).laplacian().item();
                    sum += e;
                    sumSq += e * e;
                }
                double mean = sum / seeds, sampleVar = (sumSq - seeds * mean * mean) / (seeds - 1);
                double sd = Math.sqrt(var1 / (rr * (double) seeds));
                String what = String.format(Locale.ROOT, "%s, R = %d, %d seeds: mean %.6f vs exact %.6f (σ of the mean %.4f); sample variance·R = %.4f vs %.4f",
                        gaussian ? "Gaussian" : "Rademacher", rr, seeds, mean, exact, sd, sampleVar * rr, var1);
                if (!(Math.abs(mean - exact) <= 5 * sd)) failures.add("mean off by more than 5σ: " + what);
                double ratio = sampleVar * rr / var1;
                if (!(ratio > 0.6 && ratio < 1.6)) failures.add("variance not 1/R of the single-direction variance: " + what);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void hutchinsonIsReproducibleAndItsDirectionsAreRight() {
        LaplacianOptions o = LaplacianOptions.defaults().directions(8).seed(7);
        LaplacianResult a = Diff.laplacianEstimate(COUPLED, X6, o), b = Diff.laplacianEstimate(COUPLED, X6, o);
        assertEquals(Double.doubleToRawLongBits(a.laplacian().item()), Double.doubleToRawLongBits(b.laplacian().item()), "same seed, same estimate");
        assertArrayEquals(a.jacobian().toArray(), b.jacobian().toArray(), 0);
        assertNotEquals(a.laplacian().item(), Diff.laplacianEstimate(COUPLED, X6, o.seed(8)).laplacian().item(), "another seed, another estimate");
        assertNotEquals(a.laplacian().item(), Diff.laplacianEstimate(COUPLED, X6, o.gaussian()).laplacian().item(), "Gaussian ≠ Rademacher");
        // the directions, read through the identity's Jacobian part [n, R]: ±1 for Rademacher
        double[] v = Diff.laplacianEstimate(x -> x, X6, o).jacobian().toArray();
        assertEquals(6 * 8, v.length);
        for (double e : v) assertEquals(1, Math.abs(e), 0, "a Rademacher entry is ±1");
        // and the estimate is (1/R)·Σ_r v_rᵀHv_r for those directions, J part ∇f·v_r
        double[] h = hessian(COUPLED, X6), g = Diff.grad(COUPLED, X6).toArray(), jr = a.jacobian().toArray();
        double est = 0;
        for (int r = 0; r < 8; r++) {
            double q = 0, gv = 0;
            for (int i = 0; i < 6; i++) {
                gv += g[i] * v[i * 8 + r];
                for (int j = 0; j < 6; j++) q += v[i * 8 + r] * h[i * 6 + j] * v[j * 8 + r];
            }
            est += q / 8;
            assertEquals(gv, jr[r], 1e-12, "∇f·v_r for direction " + r);
        }
        assertEquals(est, a.laplacian().item(), 1e-12, "(1/R)·Σ v_rᵀHv_r");
        // Gaussian directions are not ±1 and have about unit variance
        double[] gd = Diff.laplacianEstimate(x -> x, Tensor.zeros(40), o.gaussian().directions(50)).jacobian().toArray();
        double m2 = 0;
        int unit = 0;
        for (double e : gd) {
            m2 += e * e;
            if (Math.abs(e) == 1) unit++;
        }
        m2 /= gd.length;
        assertTrue(unit < 5 && m2 > 0.85 && m2 < 1.15, "Gaussian directions: " + unit + " entries ±1, mean square " + m2);
        // for a separable f (diagonal Hessian) Rademacher is exact whatever the seed
        TensorFunction sep = x -> x.sin().mul(x).sum().add(x.exp().sum());
        double exact = Diff.laplacian(sep, X6).laplacian().item();
        for (long s = 0; s < 5; s++) {
            assertEquals(exact, Diff.laplacianEstimate(sep, X6, o.directions(1).seed(s)).laplacian().item(), 1e-12 * Math.abs(exact), "seed " + s);
        }
    }

    // ------------------------------------------------------------------ 4. the gradient of a batchLaplacian loss

    /** u(x; θ) = tanh(x·W₁ + b₁)·W₂, loss = mean((Δu + q)²) + mean(u²) over 6 points of the plane. */
    static Tensor pinnLoss(Tensor[] p, Tensor x, Tensor q, LaplacianOptions o) {
        TensorFunction u = z -> z.matmul(p[0]).add(p[1]).tanh().matmul(p[2]);
        LaplacianResult r = Diff.batchLaplacian(u, x, o);
        return r.laplacian().add(q).square().mean().add(r.value().square().mean());
    }

    @Test
    void gradientOfABatchLaplacianLossMatchesFiniteDifferences() {
        TensorRandom r = TensorRandom.seed(3);
        Tensor[] params = {r.normal(2, 5), r.normal(5).mul(0.3), r.normal(5, 1).mul(0.5)};
        Tensor x = r.uniform(0, 1, 6, 2), q = r.normal(6, 1);
        for (LaplacianOptions o : new LaplacianOptions[] {LaplacianOptions.defaults(), LaplacianOptions.defaults().checkIndependence(false).chunkSize(1)}) {
            MultiTensorFunction loss = ps -> pinnLoss(ps, x, q, o);
            Tensor[] g = Diff.grad(loss, params).toArray();
            double h = 1e-5;
            for (int a = 0; a < params.length; a++) {
                double[] pv = params[a].toArray(), gv = g[a].toArray();
                for (int e = 0; e < pv.length; e++) {
                    Tensor[] plus = params.clone(), minus = params.clone();
                    double[] pp = pv.clone(), pm = pv.clone();
                    pp[e] += h;
                    pm[e] -= h;
                    plus[a] = Tensor.of(pp, params[a].shape());
                    minus[a] = Tensor.of(pm, params[a].shape());
                    double fd = (pinnLoss(plus, x, q, o).item() - pinnLoss(minus, x, q, o).item()) / (2 * h);
                    assertEquals(fd, gv[e], 1e-6 * Math.max(1, Math.abs(fd)), o + ": ∂loss/∂θ" + a + "[" + e + "]");
                }
            }
        }
    }

    // ------------------------------------------------------------------ 5. the biharmonic, closed forms

    @Test
    void biharmonicOfClosedForms() {
        for (int n : new int[] {1, 2, 3}) {
            Tensor x = TensorRandom.seed(n).normal(n);
            double r2 = x.square().sum().item();
            // Δ(r^p) = p(p + n − 2)·r^(p−2): Δ²r⁴ = 4(n + 2)·2n = 8n(n + 2), Δ²r⁶ = 6(n + 4)·4(n + 2)·r²
            assertEquals(8.0 * n * (n + 2), Diff.biharmonic(z -> z.square().sum().square(), x).item(), 1e-9 * n * (n + 2), "Δ²(x·x)², n = " + n);
            assertEquals(24.0 * (n + 2) * (n + 4) * r2, Diff.biharmonic(z -> z.square().sum().pow(3.0), x).item(), 1e-9 * (n + 2) * (n + 4) * (1 + r2),
                    "Δ²(x·x)³, n = " + n);
            // exp(a·x): Δ² = |a|⁴·exp(a·x)
            Tensor a = TensorRandom.seed(10 + n).normal(n);
            double a2 = a.square().sum().item(), e = Math.exp(a.mul(x).sum().item());
            assertEquals(a2 * a2 * e, Diff.biharmonic(z -> z.mul(a).sum().exp(), x).item(), 1e-9 * a2 * a2 * e, "Δ²exp(a·x), n = " + n);
        }
        // sin x·sin y: Δ = −2 sin x sin y, Δ² = 4 sin x sin y; as one output of a vector f beside (x·x)²
        Tensor p = Tensor.vector(0.7, -1.3);
        TensorFunction f = z -> Tensor.stack(0, z.at(0).sin().mul(z.at(1).sin()), z.square().sum().square(), z.at(0).mul(z.at(1)).cos());
        Tensor b = Diff.biharmonic(f, p);
        assertArrayEquals(new int[] {3}, b.shape());
        double s = Math.sin(0.7) * Math.sin(-1.3);
        assertEquals(4 * s, b.get(0), 1e-10, "Δ²(sin x sin y)");
        assertEquals(64, b.get(1), 1e-9, "Δ²(x·x)² in 2 dimensions");
        // cos(xy): Δ = −(x² + y²)cos(xy); Δ² by hand: (r⁴ cos u − 8 u sin u − 4 cos u)... computed by DerivativeStructure instead
        DerivativeStructure dx = new DerivativeStructure(2, 4, 0, 0.7), dy = new DerivativeStructure(2, 4, 1, -1.3);
        DerivativeStructure c = dx.multiply(dy).cos();
        double bih = c.getPartialDerivative(4, 0) + 2 * c.getPartialDerivative(2, 2) + c.getPartialDerivative(0, 4);
        assertEquals(bih, b.get(2), 1e-9 * Math.max(1, Math.abs(bih)), "Δ²cos(xy) vs DerivativeStructure");
        // chunked passes give the same
        Tensor b1 = Diff.biharmonic(f, p, LaplacianOptions.defaults().chunkSize(1));
        assertArrayEquals(b.toArray(), b1.toArray(), 1e-9);
    }

    // ------------------------------------------------------------------ 6. extremes

    /** One function through huge logits, with the closed form of its value and first derivative and zero higher derivatives. */
    @Test
    void seriesThroughHugeLogitsStayFiniteAndRight() {
        List<String> failures = new ArrayList<>();
        for (double big : new double[] {1e4, 1e300}) {
            Tensor x = Tensor.vector(big, -big, big, -big), ones = Tensor.ones(4);
            expect(failures, "sigmoid ±" + big, Tensor::sigmoid, x, ones, new double[] {1, 0, 1, 0}, new double[] {0, 0, 0, 0});
            expect(failures, "tanh ±" + big, Tensor::tanh, x, ones, new double[] {1, -1, 1, -1}, new double[] {0, 0, 0, 0});
            expect(failures, "softplus ±" + big, Tensor::softplus, x, ones, new double[] {big, 0, big, 0}, new double[] {1, 0, 1, 0});
            expect(failures, "logSigmoid ±" + big, Tensor::logSigmoid, x, ones, new double[] {0, -big, 0, -big}, new double[] {0, 1, 0, 1});
            Tensor logits = Tensor.vector(big, -big, 0.5), v = Tensor.vector(0.3, -0.7, 1.1);
            expect(failures, "logsumexp [" + big + ", −" + big + ", 0.5]", z -> z.logsumexp(-1), logits, v, new double[] {big}, new double[] {0.3});
            expect(failures, "softmax", z -> z.softmax(-1), logits, v, new double[] {1, 0, 0}, new double[] {0, 0, 0});
            expect(failures, "logSoftmax", z -> z.logSoftmax(-1), logits, v, new double[] {0, -2 * big, 0.5 - big}, new double[] {0, -1.0, 0.8});
            Tensor two = Tensor.of(new double[][] {{big, -big, 0.5}, {-big, big, 0}});
            Tensor v2 = Tensor.of(new double[][] {{0.3, -0.7, 1.1}, {0.2, 0.9, -0.4}});
            // rows: target 2 gives big − 0.5, target 0 gives 2·big; mean; derivative mean(v_max − v_target)
            expect(failures, "crossEntropy", z -> Loss.crossEntropy(z, new int[] {2, 0}), two, v2, new double[] {(big - 0.5 + 2 * big) / 2},
                    new double[] {((0.3 - 1.1) + (0.9 - 0.2)) / 2});
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    static void expect(List<String> failures, String what, TensorFunction f, Tensor x, Tensor v, double[] value, double[] first) {
        try {
            Jet j = Diff.directionalDerivative(f, x, v, TaylorOptions.order(6));
            double[] y = j.value().toArray();
            for (int i = 0; i < y.length; i++) {
                if (!(Math.abs(y[i] - value[i]) <= 1e-12 * Math.max(1, Math.abs(value[i])))) failures.add(what + ": value[" + i + "] = " + y[i] + ", expected " + value[i]);
            }
            for (int k = 1; k <= 6; k++) {
                double[] d = j.derivative(k).toArray();
                for (int i = 0; i < d.length; i++) {
                    double e = k == 1 ? first[i] : 0;
                    if (!(Math.abs(d[i] - e) <= 1e-12 * Math.max(1, Math.abs(e)))) failures.add(what + ": derivative " + k + "[" + i + "] = " + d[i] + ", expected " + e);
                }
            }
            // the forward Laplacian along the same logits (vector f: one per output element): zero curvature
            LaplacianResult r = Diff.laplacian(f, x);
            for (double d : r.laplacian().toArray()) if (!(Math.abs(d) <= 1e-12)) failures.add(what + ": Laplacian " + d + ", expected 0");
            for (double d : r.jacobian().toArray()) if (!Double.isFinite(d)) failures.add(what + ": Jacobian of the Laplacian pass not finite: " + d);
        } catch (RuntimeException e) {
            failures.add(what + ": threw " + e);
        }
    }

    /** Shift invariance at +1e4: softmax, logSoftmax, logsumexp and crossEntropy's derivatives (k ≥ 1) are those at the unshifted logits. */
    @Test
    void seriesAtShiftedLogitsEqualThoseAtTheOriginalOnes() {
        Tensor base = TensorRandom.seed(5).normal(2, 4), v = TensorRandom.seed(6).normal(2, 4);
        List<TensorFunction> fs = List.of(z -> z.softmax(-1), z -> z.logSoftmax(-1).mul(Tensor.vector(1, 2, 3, 4)), z -> z.logsumexp(-1),
                z -> Loss.crossEntropy(z, new int[] {3, 1}));
        String[] names = {"softmax", "logSoftmax", "logsumexp", "crossEntropy"};
        for (int i = 0; i < fs.size(); i++) {
            Jet a = Diff.directionalDerivative(fs.get(i), base, v, TaylorOptions.order(5));
            Jet b = Diff.directionalDerivative(fs.get(i), base.add(1e4), v, TaylorOptions.order(5));
            for (int k = 1; k <= 5; k++) {
                closeTensor(names[i] + " at logits + 1e4, derivative " + k, a.derivative(k), b.derivative(k), 1e-7);
            }
        }
    }

    /**
     * At a kink the series is the one of the piece the JVP convention picks (one-sided), so it equals
     * nested JVPs there: relu and abs at 0, a tie of maximum, clamp at its bounds.
     */
    @Test
    void atKinksTheSeriesFollowsTheJvpConvention() {
        Tensor x = Tensor.vector(0, -0.5, 0.7, 0, 1.2), v = Tensor.vector(1, -1, 0.5, -2, 0.3);
        Tensor other = Tensor.vector(0, 0.3, 0.7, -1, 1.2);
        List<TensorFunction> fs = List.of(z -> z.relu().mul(z.add(2)), z -> z.abs().exp(), z -> z.maximum(other).square(), z -> z.clamp(-0.5, 0.7).sin(),
                z -> z.minimum(other).mul(z));
        for (int i = 0; i < fs.size(); i++) {
            Jet j = Diff.directionalDerivative(fs.get(i), x, v, TaylorOptions.order(3));
            for (int k = 1; k <= 3; k++) closeTensor("function " + i + ", derivative " + k, nestedJvp(fs.get(i), x, v, k), j.derivative(k), RTOL);
        }
    }

    // ------------------------------------------------------------------ 6. errors

    static final TensorFunction SQUARES = z -> z.square().sum();

    static void throwsIae(String what, Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e, what);
        for (String f : fragments) assertTrue(ex.getMessage() != null && ex.getMessage().contains(f), what + ": message «" + ex.getMessage() + "» lacks «" + f + "»");
    }

    @Test
    void badOrdersShapesAndIndicesAreRefused() {
        Tensor x = Tensor.vector(1, 2, 3), v = Tensor.vector(1, 0, 0);
        throwsIae("order 0", () -> TaylorOptions.order(0), "0");
        throwsIae("order 65", () -> TaylorOptions.order(65), "65");
        throwsIae("order −1", () -> TaylorOptions.order(-1), "-1");
        throwsIae("jet with no derivatives (order 0)", () -> Diff.jet(SQUARES, x, new Tensor[0]));
        Tensor[] many = new Tensor[65];
        Arrays.fill(many, v);
        throwsIae("jet with 65 derivatives", () -> Diff.jet(SQUARES, x, many), "65");
        throwsIae("jet with more derivatives than its order", () -> Diff.jet(SQUARES, x, new Tensor[] {v, v, v}, TaylorOptions.order(2)));
        throwsIae("directionalDerivative, v [2] for x [3]", () -> Diff.directionalDerivative(SQUARES, x, Tensor.vector(1, 2), TaylorOptions.order(2)), "v");
        throwsIae("directionalDerivative, v [3, 1] for x [3]", () -> Diff.directionalDerivative(SQUARES, x, Tensor.zeros(3, 1), TaylorOptions.order(1)));
        throwsIae("jet, a second derivative of the wrong shape", () -> Diff.jet(SQUARES, x, new Tensor[] {v, Tensor.zeros(2)}));
        throwsIae("jet(order 3), a derivative of the wrong shape", () -> Diff.jet(SQUARES, x, new Tensor[] {Tensor.zeros(1, 3)}, TaylorOptions.order(3)));
        throwsIae("weightedLaplacian, σ [2, 2] for n = 3", () -> Diff.weightedLaplacian(SQUARES, x, Tensor.zeros(2, 2)), "sigma");
        throwsIae("weightedLaplacian, σ a vector", () -> Diff.weightedLaplacian(SQUARES, x, Tensor.zeros(3)), "sigma");
        throwsIae("weightedLaplacian, σ [3, 2, 1]", () -> Diff.weightedLaplacian(SQUARES, x, Tensor.zeros(3, 2, 1)), "sigma");
        throwsIae("batchLaplacian of a scalar x", () -> Diff.batchLaplacian(z -> z.square(), Tensor.scalar(1)));
        throwsIae("batchLaplacian, f drops the batch axis", () -> Diff.batchLaplacian(z -> z.square().sum(), Tensor.zeros(4, 2)), "batch");
        throwsIae("batchLaplacian, f mixes samples", () -> Diff.batchLaplacian(z -> z.sub(z.mean(0)).square(), TensorRandom.seed(1).normal(4, 2)));
        throwsIae("LaplacianOptions.directions(0)", () -> LaplacianOptions.defaults().directions(0));
        throwsIae("LaplacianOptions.chunkSize(−1)", () -> LaplacianOptions.defaults().chunkSize(-1));
    }

    @Test
    void mixedPartialRefusesBadMultiIndices() {
        Tensor x = Tensor.vector(1, 2, 3);
        throwsIae("multi-index of length 2 for n = 3", () -> Diff.mixedPartial(SQUARES, x, new int[] {1, 1}));
        throwsIae("multi-index of length 4 for n = 3", () -> Diff.mixedPartial(SQUARES, x, new int[] {1, 1, 0, 0}));
        throwsIae("a negative entry", () -> Diff.mixedPartial(SQUARES, x, new int[] {2, -1, 0}));
        throwsIae("|α| = 0", () -> Diff.mixedPartial(SQUARES, x, new int[] {0, 0, 0}));
        throwsIae("|α| = 65", () -> Diff.mixedPartial(SQUARES, x, new int[] {30, 35, 0}));
    }

    /** A mixed partial equals the Hessian entry, and the third derivative by nested transforms. */
    @Test
    void mixedPartialMatchesHessianAndNestedTransforms() {
        Tensor x = Tensor.vector(0.4, -0.9, 0.6);
        double[] h = hessian(COUPLED3, x);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int[] alpha = new int[3];
                alpha[i]++;
                alpha[j]++;
                assertEquals(h[i * 3 + j], Diff.mixedPartial(COUPLED3, x, alpha).item(), 1e-9 * Math.max(1, Math.abs(h[i * 3 + j])), "∂²/∂x" + i + "∂x" + j);
            }
        }
        // ∂³f/∂x₀²∂x₁ = e₁ᵀ∇(∂²f/∂x₀²) = the jvp along e₁ of the jvp along e₀ twice
        Tensor e0 = Tensor.vector(1, 0, 0), e1 = Tensor.vector(0, 1, 0);
        double third = Diff.jvp(z -> Diff.jvp(y -> Diff.jvp(COUPLED3, y, e0).tangent(), z, e0).tangent(), x, e1).tangent().item();
        assertEquals(third, Diff.mixedPartial(COUPLED3, x, new int[] {2, 1, 0}).item(), 1e-9 * Math.max(1, Math.abs(third)));
    }

    static final TensorFunction COUPLED3 = z -> z.at(0).square().mul(z.at(1).sin()).add(z.at(1).mul(z.at(2)).exp()).add(z.at(0).mul(z.at(2)).tanh());

    @Test
    void nullArgumentsAreNamed() {
        // the project's convention (boundary.NullArgumentsTest): a NullPointerException "op: name is null"
        Tensor x = Tensor.vector(1, 2), v = Tensor.vector(1, 0);
        TaylorOptions o = TaylorOptions.order(2);
        LaplacianOptions lo = LaplacianOptions.defaults();
        Tensor sigma = Tensor.eye(2);
        Object[][] cases = {
            {"directionalDerivative: f is null", (Executable) () -> Diff.directionalDerivative(null, x, v, o)},
            {"directionalDerivative: x is null", (Executable) () -> Diff.directionalDerivative(SQUARES, null, v, o)},
            {"directionalDerivative: v is null", (Executable) () -> Diff.directionalDerivative(SQUARES, x, null, o)},
            {"directionalDerivative: options is null", (Executable) () -> Diff.directionalDerivative(SQUARES, x, v, (TaylorOptions) null)},
            {"jet: f is null", (Executable) () -> Diff.jet(null, x, new Tensor[] {v})},
            {"jet: x is null", (Executable) () -> Diff.jet(SQUARES, null, new Tensor[] {v})},
            {"jet: derivatives is null", (Executable) () -> Diff.jet(SQUARES, x, null)},
            {"jet: derivatives[1] is null", (Executable) () -> Diff.jet(SQUARES, x, new Tensor[] {v, null})},
            {"jet: options is null", (Executable) () -> Diff.jet(SQUARES, x, new Tensor[] {v}, null)},
            {"jet: derivatives[0] is null", (Executable) () -> Diff.jet(SQUARES, x, new Tensor[] {null}, o)},
            {"laplacian: f is null", (Executable) () -> Diff.laplacian(null, x)},
            {"laplacian: x is null", (Executable) () -> Diff.laplacian(SQUARES, null)},
            {"laplacian: options is null", (Executable) () -> Diff.laplacian(SQUARES, x, null)},
            {"batchLaplacian: f is null", (Executable) () -> Diff.batchLaplacian(null, x)},
            {"batchLaplacian: x is null", (Executable) () -> Diff.batchLaplacian(SQUARES, null)},
            {"batchLaplacian: options is null", (Executable) () -> Diff.batchLaplacian(SQUARES, x, null)},
            {"weightedLaplacian: f is null", (Executable) () -> Diff.weightedLaplacian(null, x, sigma)},
            {"weightedLaplacian: x is null", (Executable) () -> Diff.weightedLaplacian(SQUARES, null, sigma)},
            {"weightedLaplacian: sigma is null", (Executable) () -> Diff.weightedLaplacian(SQUARES, x, null)},
            {"weightedLaplacian: options is null", (Executable) () -> Diff.weightedLaplacian(SQUARES, x, sigma, null)},
            {"biharmonic: f is null", (Executable) () -> Diff.biharmonic(null, x)},
            {"biharmonic: x is null", (Executable) () -> Diff.biharmonic(SQUARES, null)},
            {"biharmonic: options is null", (Executable) () -> Diff.biharmonic(SQUARES, x, null)},
            {"laplacianEstimate: f is null", (Executable) () -> Diff.laplacianEstimate(null, x)},
            {"laplacianEstimate: x is null", (Executable) () -> Diff.laplacianEstimate(SQUARES, null)},
            {"laplacianEstimate: options is null", (Executable) () -> Diff.laplacianEstimate(SQUARES, x, null)},
            {"mixedPartial: f is null", (Executable) () -> Diff.mixedPartial(null, x, new int[] {1, 1})},
            {"mixedPartial: x is null", (Executable) () -> Diff.mixedPartial(SQUARES, null, new int[] {1, 1})},
            {"mixedPartial: multiIndex is null", (Executable) () -> Diff.mixedPartial(SQUARES, x, null)},
        };
        for (Object[] c : cases) {
            NullPointerException e = assertThrows(NullPointerException.class, (Executable) c[1], (String) c[0]);
            assertEquals(c[0], e.getMessage());
        }
    }

    // ------------------------------------------------------------------ 6. nesting

    static Tensor nestedJvp(TensorFunction f, Tensor x, Tensor v, int k) {
        TensorFunction g = f;
        for (int i = 0; i < k; i++) {
            TensorFunction inner = g;
            g = y -> Diff.jvp(inner, y, v).tangent();
        }
        return g.apply(x);
    }

    static final Tensor W = TensorRandom.seed(21).normal(3, 4).mul(0.7);
    /** A vector function [3] → [4] with every derivative order alive. */
    static final TensorFunction VEC = z -> z.matmul(W).tanh().mul(z.sum().sin().add(2)).add(z.matmul(W).exp().mul(0.1));

    @Test
    void taylorNestsInsideForwardAndReverseMode() {
        Tensor x = Tensor.vector(0.3, -0.5, 0.8), v = Tensor.vector(0.6, 0.2, -1.1), u = Tensor.vector(-0.4, 0.9, 0.3);
        Tensor w = Tensor.vector(0.5, -1.2, 0.8, 0.3);
        TensorFunction third = z -> Diff.directionalDerivative(VEC, z, v, TaylorOptions.order(3)).derivative(3);
        TensorFunction thirdRef = z -> nestedJvp(VEC, z, v, 3);
        closeTensor("third derivative itself", thirdRef.apply(x), third.apply(x), RTOL);
        closeTensor("jvp over Taylor", Diff.jvp(thirdRef, x, u).tangent(), Diff.jvp(third, x, u).tangent(), RTOL);
        closeTensor("grad over Taylor (reverse over Taylor)", Diff.grad(z -> thirdRef.apply(z).mul(w).sum(), x), Diff.grad(z -> third.apply(z).mul(w).sum(), x), RTOL);
        // Taylor over Taylor: d²/ds² of D²f(x + s·u)[v, v] = D⁴f[v, v, u, u]
        TensorFunction second = z -> Diff.directionalDerivative(VEC, z, v, TaylorOptions.order(2)).derivative(2);
        Tensor outer = Diff.directionalDerivative(second, x, u, TaylorOptions.order(2)).derivative(2);
        Tensor ref = nestedJvp(z -> nestedJvp(VEC, z, v, 2), x, u, 2);
        closeTensor("Taylor over Taylor", ref, outer, RTOL);
        // Taylor over reverse: the series of the gradient along v is the series of Hessian·v: d/dt ∇⟨w,f⟩(x + tv) = H v
        TensorFunction gradient = z -> Diff.grad(y -> VEC.apply(y).mul(w).sum(), z);
        Jet gj = Diff.directionalDerivative(gradient, x, v, TaylorOptions.order(3));
        for (int k = 1; k <= 3; k++) closeTensor("Taylor over grad, derivative " + k, nestedJvp(gradient, x, v, k), gj.derivative(k), RTOL);
    }

    static double traceOf(Tensor h) {
        int n = (int) Math.round(Math.sqrt(h.size()));
        Tensor m = h.reshape(n, n);
        return m.trace().item();
    }

    @Test
    void laplacianNestsWithGradients() {
        Tensor x = Tensor.vector(0.3, -0.5, 0.8);
        Tensor w = Tensor.vector(0.5, -1.2, 0.8, 0.3);
        TensorFunction s = z -> VEC.apply(z).mul(w).sum();
        // Laplacian inside grad, w.r.t. a parameter θ scaling the weights: d/dθ Δ⟨w, f_θ⟩ against d/dθ tr(∇²⟨w, f_θ⟩)
        Tensor theta = Tensor.vector(1.1, 0.9, -0.7, 1.3);
        MultiTensorFunction lapTheta = ps -> Diff.laplacian(z -> VEC.apply(z).mul(ps[0]).sum(), x).laplacian();
        MultiTensorFunction traceTheta = ps -> Diff.hessian(z -> VEC.apply(z).mul(ps[0]).sum(), x).trace();
        closeTensor("value: Laplacian vs Hessian trace", traceTheta.apply(new Tensor[] {theta}), lapTheta.apply(new Tensor[] {theta}), RTOL);
        closeTensor("grad over Laplacian vs grad over Hessian trace", Diff.grad(traceTheta, theta).get(0), Diff.grad(lapTheta, theta).get(0), RTOL);
        // the gradient w.r.t. x of the Laplacian: ∇Δs against ∇ tr(∇²s)
        closeTensor("grad_x of the Laplacian", Diff.grad(z -> Diff.hessian(s, z).trace(), x), Diff.grad(z -> Diff.laplacian(s, z).laplacian(), x), RTOL);
        // grad inside Laplacian: Δ(∇s) = ∇(Δs), its Jacobian the Hessian
        LaplacianResult lg = Diff.laplacian(z -> Diff.grad(s, z), x);
        closeTensor("Laplacian of the gradient vs ∇ tr(∇²s)", Diff.grad(z -> Diff.hessian(s, z).trace(), x), lg.laplacian(), RTOL);
        closeTensor("Jacobian of the gradient vs the Hessian", Diff.hessian(s, x), lg.jacobian(), RTOL);
        // Laplacian inside jvp, and Taylor inside Laplacian: Δ(vᵀ∇²s v) against the Hessian trace of x ↦ vᵀ∇²s(x)v
        Tensor v = Tensor.vector(0.6, 0.2, -1.1), u = Tensor.vector(-0.4, 0.9, 0.3);
        closeTensor("jvp over Laplacian", Diff.jvp(z -> Diff.hessian(s, z).trace(), x, u).tangent(),
                Diff.jvp(z -> Diff.laplacian(s, z).laplacian(), x, u).tangent(), RTOL);
        TensorFunction curvature = z -> Diff.directionalDerivative(s, z, v, TaylorOptions.order(2)).derivative(2);
        double ref = traceOf(Diff.hessian(z -> nestedJvp(s, z, v, 2), x));
        scalar("Laplacian over Taylor", ref, Diff.laplacian(curvature, x).laplacian().item(), Math.abs(ref));
        // Laplacian over Laplacian is the biharmonic; against the Hessian of the Hessian trace
        double bi = traceOf(Diff.hessian(z -> Diff.hessian(s, z).trace(), x));
        scalar("biharmonic vs tr ∇² tr ∇²", bi, Diff.biharmonic(s, x).item(), Math.abs(bi));
    }

    // ------------------------------------------------------------------ helpers

    static double contract(Tensor w, Tensor t) {
        double[] a = w.toArray(), b = t.toArray();
        if (a.length != b.length) fail("contracting " + Arrays.toString(w.shape()) + " with " + Arrays.toString(t.shape()));
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static int[] concat(int[] a, int b) {
        int[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }

    static void scalar(String what, double expected, double actual, double scale) {
        double tol = RTOL * Math.max(scale, Math.abs(expected)) + ATOL;
        if (!(Math.abs(expected - actual) <= tol)) {
            fail(String.format(Locale.ROOT, "%s: %.17g but the reference gives %.17g (tolerance %.3g)", what, actual, expected, tol));
        }
    }

    static void closeTensor(String what, Tensor expected, Tensor actual, double rtol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + " but expected " + Arrays.toString(expected.shape()));
        }
        double[] e = expected.toArray(), a = actual.toArray();
        double max = 0;
        for (double d : e) max = Math.max(max, Math.abs(d));
        double tol = rtol * max + ATOL;
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.17g but the reference gives %.17g (tolerance %.3g)", what, i, a[i], e[i], tol));
            }
        }
    }
}
