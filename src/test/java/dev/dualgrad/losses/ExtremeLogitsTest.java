package dev.dualgrad.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Tensor;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The softmax / log-sum-exp family and the class losses at logits scaled by 1e0, 1e1, …, 1e308 and
 * shifted by the same powers, against a reference computed in 45-digit decimal arithmetic from the
 * exact double inputs (BigDecimal: exact shifts x − max, exp and log by series), never by the code
 * under test.
 *
 * <p>Tolerance: {@value #ULPS} ulps of the reference magnitude of the row, where the magnitude of an
 * element is the sum of the absolute values of the terms of its exact formula (for log-softmax
 * |x − m| + log z; for a CE gradient w·(p + y)/W), so that an element that is a difference of O(1)
 * terms is not asked for more relative accuracy than its terms allow. The rows have a spread
 * max − min of at most 1.75 before scaling, so every x − max is representable and so is every
 * reference value.</p>
 */
class ExtremeLogitsTest {
    private static final int ULPS = 8;
    private static final MathContext MC = new MathContext(45);
    private static final BigDecimal TINY = new BigDecimal("1e-50");

    /** Base rows (C = 4): ties, a negative maximum, a spread of 1.75. */
    private static final double[][] BASE = {
        {1, 1, 1, 1},
        {0.75, 0.75, 0.25, -1.0},
        {0.5, -1.0, 0.75, 0.25},
        {-0.5, -1.25, -0.5, -0.75},
        {1.75, 0, 1.75, 0.5},
    };
    private static final double[] COTANGENT = {1, -2, 0.5, 3};
    private static final double[] SOFT = {0.5, 0.25, 0, 0.25};
    private static final double[] WEIGHT = {0.5, 2, 1, 1.5};

    private static final List<double[]> ROWS = buildRows();
    private static final java.util.Map<double[], Ref> REFS = new java.util.IdentityHashMap<>();

    private static List<double[]> rows() {
        return ROWS;
    }

    private static synchronized Ref ref(double[] x) {
        return REFS.computeIfAbsent(x, Ref::new);
    }

    /** Every base row scaled by 10^k and shifted by 10^k, k = 0..308. */
    private static List<double[]> buildRows() {
        List<double[]> r = new ArrayList<>();
        for (int k = 0; k <= 308; k++) {
            double s = Double.parseDouble("1e" + k);
            for (double[] b : BASE) {
                double[] scaled = new double[b.length], shifted = new double[b.length];
                for (int j = 0; j < b.length; j++) {
                    scaled[j] = b[j] * s;
                    shifted[j] = b[j] + s;
                }
                r.add(scaled);
                r.add(shifted);
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ the reference

    /** e^d for d ≤ 0, to about 38 digits relative (45, less the 2^20 of the squarings) (0 below −800, far under the smallest double). */
    static BigDecimal exp(BigDecimal d) {
        if (d.signum() > 0) throw new IllegalArgumentException("exp reference for d ≤ 0 only");
        if (d.compareTo(BigDecimal.valueOf(-800)) < 0) return BigDecimal.ZERO;
        int k = 20; // |d| ≤ 800 < 2^10: d/2^20 < 2^-10
        BigDecimal r = d.divide(BigDecimal.valueOf(2).pow(k)); // exact: 2^-k has a finite expansion
        BigDecimal sum = BigDecimal.ONE, term = BigDecimal.ONE;
        for (int n = 1; n < 60; n++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
            if (term.abs().compareTo(TINY) < 0) break;
        }
        for (int i = 0; i < k; i++) sum = sum.multiply(sum, MC);
        return sum;
    }

    /** log z for z ≥ 1, as 2·atanh((z − 1)/(z + 1)): no cancellation near 1. */
    static BigDecimal log(BigDecimal z) {
        BigDecimal t = z.subtract(BigDecimal.ONE).divide(z.add(BigDecimal.ONE), MC), t2 = t.multiply(t, MC);
        BigDecimal sum = BigDecimal.ZERO, pow = t;
        for (int n = 0; n < 2000 && pow.signum() != 0; n++) {
            BigDecimal term = pow.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
            if (term.compareTo(sum.multiply(TINY)) < 0) break;
            pow = pow.multiply(t2, MC);
        }
        return sum.multiply(BigDecimal.valueOf(2));
    }

    /** The exact shifted quantities of one row: max, x − max, e^(x − max), z and log z. */
    static final class Ref {
        final BigDecimal m, logZ, z;
        final BigDecimal[] d, e, p, lsm;

        Ref(double[] x) {
            int c = x.length;
            BigDecimal mx = null;
            for (double v : x) if (mx == null || new BigDecimal(v).compareTo(mx) > 0) mx = new BigDecimal(v);
            m = mx;
            d = new BigDecimal[c];
            e = new BigDecimal[c];
            p = new BigDecimal[c];
            lsm = new BigDecimal[c];
            BigDecimal sum = BigDecimal.ZERO;
            for (int j = 0; j < c; j++) {
                d[j] = new BigDecimal(x[j]).subtract(m);
                e[j] = exp(d[j]);
                sum = sum.add(e[j]);
            }
            z = sum;
            logZ = log(z);
            for (int j = 0; j < c; j++) {
                p[j] = e[j].divide(z, MC);
                lsm[j] = d[j].subtract(logZ);
            }
        }
    }

    private static BigDecimal big(double v) {
        return new BigDecimal(v);
    }

    /** Compares got with ref elementwise, within ULPS ulps of the largest magnitude of the row. */
    private static void check(String what, double[] x, double[] got, BigDecimal[] ref, BigDecimal[] magnitude) {
        double mag = 0;
        for (BigDecimal b : magnitude) mag = Math.max(mag, b.abs().doubleValue());
        double tol = ULPS * Math.ulp(mag);
        for (int j = 0; j < got.length; j++) {
            double r = ref[j].doubleValue();
            boolean ok = Double.isInfinite(r) ? got[j] == r : Math.abs(got[j] - r) <= tol; // beyond the range: the rounded ±∞
            if (!ok) {
                fail(String.format("%s of %s: element %d is %s, the reference %s (error %.3g, tolerance %.3g = %d ulps of %.6g)", what,
                        java.util.Arrays.toString(x), j, got[j], r, Math.abs(got[j] - r), tol, ULPS, mag));
            }
        }
    }

    private static void check(String what, double[] x, double got, BigDecimal ref, BigDecimal magnitude) {
        check(what, x, new double[] {got}, new BigDecimal[] {ref}, new BigDecimal[] {magnitude});
    }

    // ------------------------------------------------------------------ the ops

    @Test
    void logsumexpValueAndGradient() {
        for (double[] x : rows()) {
            Ref r = ref(x);
            var vg = Diff.valueAndGrad(z -> z.logsumexp(-1), Tensor.vector(x));
            check("logsumexp", x, vg.value().item(), r.m.add(r.logZ), r.m.abs().add(r.logZ));
            check("∇logsumexp", x, vg.grads().get(0).toArray(), r.p, r.p);
            double[] jvp = {Diff.directionalDerivative(z -> z.logsumexp(-1), Tensor.vector(x), Tensor.vector(COTANGENT))};
            BigDecimal dot = BigDecimal.ZERO, dotMag = BigDecimal.ZERO;
            for (int j = 0; j < x.length; j++) {
                dot = dot.add(r.p[j].multiply(big(COTANGENT[j])));
                dotMag = dotMag.add(r.p[j].multiply(big(Math.abs(COTANGENT[j]))));
            }
            check("logsumexp JVP", x, jvp, new BigDecimal[] {dot}, new BigDecimal[] {dotMag});
        }
    }

    @Test
    void softmaxValueAndDerivatives() {
        Tensor u = Tensor.vector(COTANGENT);
        for (double[] x : rows()) {
            Ref r = ref(x);
            check("softmax", x, Tensor.vector(x).softmax(-1).toArray(), r.p, r.p);
            // x̄ = p ⊙ (ū − Σ ū ⊙ p), and the JVP along the same vector is the same (the Jacobian is symmetric)
            BigDecimal s = BigDecimal.ZERO, sAbs = BigDecimal.ZERO;
            for (int j = 0; j < x.length; j++) {
                s = s.add(big(COTANGENT[j]).multiply(r.p[j]));
                sAbs = sAbs.add(big(Math.abs(COTANGENT[j])).multiply(r.p[j]));
            }
            BigDecimal[] ref = new BigDecimal[x.length], mag = new BigDecimal[x.length];
            for (int j = 0; j < x.length; j++) {
                ref[j] = r.p[j].multiply(big(COTANGENT[j]).subtract(s));
                mag[j] = r.p[j].multiply(big(Math.abs(COTANGENT[j])).add(sAbs));
            }
            check("softmax VJP", x, Diff.grad(z -> z.softmax(-1).mul(u).sum(), Tensor.vector(x)).toArray(), ref, mag);
            check("softmax JVP", x, Diff.jvp(z -> z.softmax(-1), Tensor.vector(x), u).tangent().toArray(), ref, mag);
        }
    }

    @Test
    void logSoftmaxValueAndDerivatives() {
        Tensor u = Tensor.vector(COTANGENT);
        BigDecimal uSum = BigDecimal.ZERO;
        for (double c : COTANGENT) uSum = uSum.add(big(c));
        for (double[] x : rows()) {
            Ref r = ref(x);
            BigDecimal[] mag = new BigDecimal[x.length];
            for (int j = 0; j < x.length; j++) mag[j] = r.d[j].abs().add(r.logZ);
            check("logSoftmax", x, Tensor.vector(x).logSoftmax(-1).toArray(), r.lsm, mag);
            // x̄ = ū − p Σ ū
            BigDecimal[] ref = new BigDecimal[x.length], gmag = new BigDecimal[x.length];
            for (int j = 0; j < x.length; j++) {
                ref[j] = big(COTANGENT[j]).subtract(r.p[j].multiply(uSum));
                gmag[j] = big(Math.abs(COTANGENT[j])).add(r.p[j].multiply(uSum.abs()));
            }
            check("logSoftmax VJP", x, Diff.grad(z -> z.logSoftmax(-1).mul(u).sum(), Tensor.vector(x)).toArray(), ref, gmag);
            // ẏ = v − Σ p ⊙ v
            BigDecimal pv = BigDecimal.ZERO, pvAbs = BigDecimal.ZERO;
            for (int j = 0; j < x.length; j++) {
                pv = pv.add(r.p[j].multiply(big(COTANGENT[j])));
                pvAbs = pvAbs.add(r.p[j].multiply(big(Math.abs(COTANGENT[j]))));
            }
            BigDecimal[] jref = new BigDecimal[x.length], jmag = new BigDecimal[x.length];
            for (int j = 0; j < x.length; j++) {
                jref[j] = big(COTANGENT[j]).subtract(pv);
                jmag[j] = big(Math.abs(COTANGENT[j])).add(pvAbs);
            }
            check("logSoftmax JVP", x, Diff.jvp(z -> z.logSoftmax(-1), Tensor.vector(x), u).tangent().toArray(), jref, jmag);
        }
    }

    // ------------------------------------------------------------------ the class losses

    /** CE with an int target, optionally weighted; on [C] logits the mean divides by w_t, so the loss is −lsm_t. */
    @Test
    void crossEntropyWithIntTargetsAndNllOfLogSoftmax() {
        ClassLossOptions weighted = ClassLossOptions.defaults().weight(Tensor.vector(WEIGHT)).reduction(Reduction.SUM);
        for (double[] x : rows()) {
            Ref r = ref(x);
            for (int t = 0; t < x.length; t++) {
                int[] target = {t};
                BigDecimal[] g = new BigDecimal[x.length], gmag = new BigDecimal[x.length];
                for (int j = 0; j < x.length; j++) {
                    BigDecimal y = j == t ? BigDecimal.ONE : BigDecimal.ZERO;
                    g[j] = r.p[j].subtract(y);
                    gmag[j] = r.p[j].add(y);
                }
                BigDecimal loss = r.lsm[t].negate(), lossMag = r.d[t].abs().add(r.logZ);
                var ce = Diff.valueAndGrad(z -> Loss.crossEntropy(z, target), Tensor.vector(x));
                check("crossEntropy(target " + t + ")", x, ce.value().item(), loss, lossMag);
                check("∇crossEntropy(target " + t + ")", x, ce.grads().get(0).toArray(), g, gmag);
                var nll = Diff.valueAndGrad(z -> Loss.nll(z.logSoftmax(-1), target), Tensor.vector(x));
                check("nll(logSoftmax, target " + t + ")", x, nll.value().item(), loss, lossMag);
                check("∇nll(logSoftmax, target " + t + ")", x, nll.grads().get(0).toArray(), g, gmag);
                // weighted, summed: w_t·(−lsm_t) and w_t·(p − y)
                BigDecimal w = big(WEIGHT[t]);
                BigDecimal[] wg = new BigDecimal[x.length], wmag = new BigDecimal[x.length];
                for (int j = 0; j < x.length; j++) {
                    wg[j] = g[j].multiply(w);
                    wmag[j] = gmag[j].multiply(w);
                }
                var wce = Diff.valueAndGrad(z -> Loss.crossEntropy(z, target, weighted), Tensor.vector(x));
                check("weighted crossEntropy(target " + t + ")", x, wce.value().item(), loss.multiply(w), lossMag.multiply(w));
                check("∇weighted crossEntropy(target " + t + ")", x, wce.grads().get(0).toArray(), wg, wmag);
            }
        }
    }

    /** Soft targets q: loss −Σ q lsm, gradient p·Σq − q. */
    @Test
    void crossEntropyWithSoftTargets() {
        Tensor q = Tensor.vector(SOFT);
        BigDecimal qSum = BigDecimal.ZERO;
        for (double v : SOFT) qSum = qSum.add(big(v));
        for (double[] x : rows()) {
            Ref r = ref(x);
            BigDecimal loss = BigDecimal.ZERO, lossMag = BigDecimal.ZERO;
            BigDecimal[] g = new BigDecimal[x.length], gmag = new BigDecimal[x.length];
            for (int j = 0; j < x.length; j++) {
                loss = loss.subtract(big(SOFT[j]).multiply(r.lsm[j]));
                lossMag = lossMag.add(big(SOFT[j]).multiply(r.d[j].abs().add(r.logZ)));
                g[j] = r.p[j].multiply(qSum).subtract(big(SOFT[j]));
                gmag[j] = r.p[j].multiply(qSum).add(big(SOFT[j]));
            }
            var ce = Diff.valueAndGrad(z -> Loss.crossEntropy(z, q), Tensor.vector(x));
            check("crossEntropy(soft)", x, ce.value().item(), loss, lossMag);
            check("∇crossEntropy(soft)", x, ce.grads().get(0).toArray(), g, gmag);
        }
    }

    /** The example, worked by hand: CE([M, M], 0) = log 2 with gradient [−½, ½], for M = 1e308. */
    @Test
    void crossEntropyOfTwoEqualHugeLogitsIsLogTwo() {
        for (double m : new double[] {1e308, -1e308, Double.MAX_VALUE, 1e16, 1e15}) {
            var vg = Diff.valueAndGrad(z -> Loss.crossEntropy(z, new int[] {0}), Tensor.vector(m, m));
            assertEquals(Math.log(2), vg.value().item(), 2 * Math.ulp(Math.log(2)), "CE at " + m);
            assertEquals(-0.5, vg.grads().get(0).get(0), 1e-16, "∂CE/∂x0 at " + m);
            assertEquals(0.5, vg.grads().get(0).get(1), 1e-16, "∂CE/∂x1 at " + m);
            double[] lsm = Tensor.vector(m, m).logSoftmax(0).toArray();
            assertEquals(-Math.log(2), lsm[0], 2 * Math.ulp(Math.log(2)), "logSoftmax at " + m);
            assertEquals(0.5, Diff.grad(z -> z.logsumexp(0), Tensor.vector(m, m)).get(0), 1e-16, "∂logsumexp/∂x0 at " + m);
        }
    }

    /** The reference itself, against values known in closed form. */
    @Test
    void referenceIsRight() {
        assertEquals(Math.log(2), log(BigDecimal.valueOf(2)).doubleValue(), 0);
        assertEquals(Math.exp(-1), exp(BigDecimal.ONE.negate()).doubleValue(), Math.ulp(Math.exp(-1)));
        assertEquals(Math.exp(-700), exp(BigDecimal.valueOf(-700)).doubleValue(), 2 * Math.ulp(Math.exp(-700)));
        assertEquals(1e-30, log(BigDecimal.ONE.add(new BigDecimal("1e-30"))).doubleValue(), Math.ulp(1e-30));
        Ref r = new Ref(new double[] {1e308, 1e308});
        assertEquals(-Math.log(2), r.lsm[0].doubleValue(), 0);
        assertEquals(0.5, r.p[1].doubleValue(), 0);
    }
}
