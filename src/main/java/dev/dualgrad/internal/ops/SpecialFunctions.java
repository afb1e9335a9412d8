package dev.dualgrad.internal.ops;

import org.apache.commons.math3.special.Gamma;

/**
 * Scalar special functions for the elementwise ops: erf, erfc, lgamma and the polygamma functions
 * ψ⁽ⁿ⁾ (digamma ψ = ψ⁽⁰⁾, trigamma ψ⁽¹⁾, ...).
 *
 * <ul>
 *   <li>erf and erfc are dualgrad's own: polynomials fitted (Chebyshev, with mpmath at 50 digits) to
 *       erf(x)/x in x² on |x| ≤ 1 and to g(x) = x·e^{x²}·erfc(x) on [0.5, 1], [1, 2], [2, 4], [4, 8] and, in
 *       1/x, on [8, ∞), each to a relative error below 1e-18; e^{−x²} is computed from x² split exactly
 *       (fma), so that erfc keeps its relative accuracy in the tail (about 2 ulp measured, to 1e-308 at
 *       x ≈ 26.5, then underflow). About 10× faster than Commons Math's {@code Erf}, which runs a series or
 *       a continued fraction per call.</li>
 *   <li>lgamma is Commons Math's {@code Gamma.logGamma} for x &gt; 0 (within 3 ulp measured) and the
 *       reflection log π − log|sin πx| − lgamma(1 − x) for x &lt; 0, whose absolute error stays near
 *       1e-16·|lgamma| (relative accuracy is lost only close to the zeros of lgamma at negative x).</li>
 *   <li>ψ⁽ⁿ⁾ is dualgrad's own: the recurrence ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x + 1) − (−1)ⁿ n!/x^(n+1) up to x ≥ 10 + 2n,
 *       then the asymptotic series to the Bernoulli number B₁₆; for x &lt; 0 the reflection formula
 *       (−1)ⁿψ⁽ⁿ⁾(1 − x) − ψ⁽ⁿ⁾(x) = πⁿ⁺¹ dⁿ/dzⁿ cot z at z = πx, with the derivatives of cot as polynomials
 *       in cot. Commons Math's digamma loses all accuracy far below 0 and takes |x| steps there.</li>
 * </ul>
 */
final class SpecialFunctions {
    private SpecialFunctions() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126, LOG_PI = 1.1447298858494002;
    // Monomial coefficients, highest degree first, in s ∈ [−1, 1] mapped linearly onto each interval.
    private static final double[] ERF_SMALL = {
            1.4543887079465116e-14, -3.8078824063194953e-13, 9.167619596865806e-12, -2.035228405815769e-10,
            4.115800583208149e-09, -7.511569286591727e-08, 1.223382738359897e-06, -1.7537169441124866e-05,
            0.00021751715604159932, -0.0022854855611441132, 0.019852496688983708, -0.1405360890227171, 0.9654687386698673};
    private static final double[] ERFC_HALF_TO_1 = {
            -4.0759992600955326e-14, 4.862543197005203e-13, -5.456832945861027e-12, 6.059577763727544e-11,
            -6.470205676710963e-10, 6.613758222821086e-09, -6.444250864527424e-08, 5.951263029649418e-07,
            -5.170987070465048e-06, 4.1862886717830496e-05, -0.00031149669960625886, 0.0020872044539864097,
            -0.012172130812020104, 0.057739532887824574, 0.3802032377198586};
    private static final double[] ERFC_1_TO_2 = {
            6.165821758989162e-14, -4.549619470893152e-13, 3.000178038609648e-12, -2.097457047806086e-11,
            1.4317878091753413e-10, -9.460005143402531e-10, 6.055573215545893e-09, -3.746329303221154e-08,
            2.2328430078105404e-07, -1.2772076308961187e-06, 6.978435760676529e-06, -3.6199300504122125e-05,
            0.0001768251447215718, -0.0008040558668729293, 0.0033443352382666785, -0.012349089487335981, 0.0380755199277387,
            0.48237812468147623};
    private static final double[] ERFC_2_TO_4 = {
            6.673885531447592e-13, -3.2238252773138856e-12, 1.198292701128009e-11, -5.544678967868959e-11,
            2.5886384910620654e-10, -1.154969598957573e-09, 5.0387706324855335e-09, -2.1532610640409626e-08,
            8.986621791823737e-08, -3.6556822615169643e-07, 1.4463333509206025e-06, -5.550154632463693e-06,
            2.058574625256965e-05, -7.346312563249532e-05, 0.0002506624188858724, -0.0008103138612404481,
            0.0024460781047536215, -0.006719146527558915, 0.015884371159871336, 0.5370034535441699};
    private static final double[] ERFC_4_TO_8 = {
            1.2858171325759598e-12, -4.650576951267002e-12, 9.593598959978219e-12, -3.357476811985483e-11,
            1.3301559366216793e-10, -4.5843286057049066e-10, 1.5395050160700522e-09, -5.177351927424901e-09,
            1.7207666692657408e-08, -5.635753753017098e-08, 1.8186973677771365e-07, -5.776294596977e-07,
            1.8026931573335228e-06, -5.517105769563185e-06, 1.6514974611674684e-05, -4.81792757207901e-05,
            0.00013627579716845155, -0.00037080154026292617, 0.0009580615952111209, -0.002294689166822995,
            0.004828893732448854, 0.5566594068032301};
    private static final double[] ERFC_TAIL = {
            -2.9386281485699364e-14, -8.889704052317834e-14, 1.7404435641340844e-12, -3.2577763469175943e-13,
            -9.403325263197617e-11, 3.192971601040182e-10, 5.310046060968775e-09, -4.181998742605086e-08,
            -3.3361991047528685e-07, 5.568155783381855e-06, 2.4612012928004357e-05, -0.001064115276169989,
            -0.0021784105810958273, 0.5630940451988934};

    static double erf(double x) {
        double a = Math.abs(x);
        if (a <= 1) return x * horner(ERF_SMALL, 2 * x * x - 1); // keeps the sign of ±0
        if (Double.isNaN(x)) return x;
        double c = erfcPositive(a);
        return x > 0 ? 1 - c : c - 1;
    }

    static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x >= 0.5) return erfcPositive(x);
        if (x > -0.5) return 1 - erf(x); // erf(x) ≤ 0.53: at most one bit lost
        return 2 - erfcPositive(-x);
    }

    /** erfc(x) for x ≥ 0.5: e^{−x²}·g(x)/x with g fitted per interval. */
    private static double erfcPositive(double x) {
        double g;
        if (x < 1) g = horner(ERFC_HALF_TO_1, 4 * x - 3);
        else if (x < 2) g = horner(ERFC_1_TO_2, 2 * x - 3);
        else if (x < 4) g = horner(ERFC_2_TO_4, x - 3);
        else if (x < 8) g = horner(ERFC_4_TO_8, 0.5 * x - 3);
        else if (x < 27.3) g = horner(ERFC_TAIL, 16 / x - 1);
        else return 0; // erfc(27.3) < 1e-325: below the smallest subnormal
        return expMinusSquare(x) * g / x;
    }

    /** e^{−x²} with x² = hi + lo split exactly, so that the rounding of x² (up to x²·1.1e-16) does not reach the result. */
    private static double expMinusSquare(double x) {
        double hi = x * x, lo = Math.fma(x, x, -hi);
        return Math.exp(-hi) * (1 - lo);
    }

    private static double horner(double[] c, double s) {
        double r = c[0];
        for (int i = 1; i < c.length; i++) r = Math.fma(r, s, c[i]);
        return r;
    }

    /** log|Γ(x)|: +∞ at the poles 0, −1, −2, … and at ±∞. */
    static double lgamma(double x) {
        if (Double.isNaN(x)) return x;
        if (Double.isInfinite(x)) return Double.POSITIVE_INFINITY;
        if (x > 0) return Gamma.logGamma(x) + 0.0; // + 0.0: logGamma(1) and logGamma(2) are −0
        double r = x - Math.rint(x); // exact; sin(πx) = ±sin(πr)
        if (r == 0) return Double.POSITIVE_INFINITY;
        return LOG_PI - Math.log(Math.abs(Math.sin(Math.PI * r))) - Gamma.logGamma(1 - x);
    }

    /** B₂, B₄, …, B₁₆. */
    private static final double[] BERNOULLI = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510};

    /**
     * ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function (n = 0: digamma). At x = ±0 the one-sided limit
     * the zero's sign selects (ψ(+0) = −∞, ψ(−0) = +∞, as PyTorch); at a negative integer +∞ for odd n
     * (both sides agree) and NaN for even n (they do not); ψ(+∞) = +∞, ψ⁽ⁿ⁾(+∞) = 0 for n ≥ 1, ψ⁽ⁿ⁾(−∞) = NaN.
     */
    static double polygamma(int n, double x) {
        if (Double.isNaN(x)) return x;
        if (x == Double.POSITIVE_INFINITY) return n == 0 ? x : 0.0;
        boolean odd = (n & 1) == 1;
        if (x <= 0 && x == Math.rint(x)) { // a pole, or −∞
            if (x == Double.NEGATIVE_INFINITY) return Double.NaN;
            if (x == 0) { // ψ⁽ⁿ⁾(x) ≈ (−1)ⁿ⁺¹ n!/xⁿ⁺¹ near 0
                boolean positiveZero = Double.doubleToRawLongBits(x) == 0;
                return positiveZero && !odd ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return odd ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (x < 0) {
            double c = 1 / Math.tan(Math.PI * (x - Math.rint(x))); // cot(πx), exactly reduced to |πr| ≤ π/2
            double reflected = polygamma(n, 1 - x);
            return (odd ? -reflected : reflected) - Math.pow(Math.PI, n + 1) * horner(cotDerivative(n), c);
        }
        double limit = 10 + 2 * n, sum = 0, z = x;
        for (; z < limit; z += 1) sum += inversePower(z, n + 1);
        double factorial = 1;
        for (int k = 2; k <= n; k++) factorial *= k;
        if (n == 0) return asymptoticDigamma(z) - sum;
        return asymptotic(n, z) + (odd ? factorial : -factorial) * sum;
    }

    private static double inversePower(double z, int m) {
        double p = z;
        for (int k = 1; k < m; k++) p *= z;
        return 1 / p;
    }

    /** ψ(z) ≈ ln z − 1/(2z) − Σₖ B₂ₖ/(2k z²ᵏ) for z ≥ 10: the first omitted term is below 3e-19. */
    private static double asymptoticDigamma(double z) {
        double w = 1 / (z * z), s = 0;
        for (int k = BERNOULLI.length; k >= 1; k--) s = (s + BERNOULLI[k - 1] / (2 * k)) * w;
        return Math.log(z) - 0.5 / z - s;
    }

    /** ψ⁽ⁿ⁾(z) ≈ (−1)ⁿ⁺¹ [(n−1)!/zⁿ + n!/(2zⁿ⁺¹) + Σₖ B₂ₖ (2k+n−1)!/((2k)! z²ᵏ⁺ⁿ)] for n ≥ 1, z ≥ 10 + 2n. */
    private static double asymptotic(int n, double z) {
        double w = 1 / (z * z), s = 0;
        for (int k = BERNOULLI.length; k >= 1; k--) {
            double ratio = 1; // (2k+n−1)!/((2k)!(n−1)!)
            for (int j = 1; j < n; j++) ratio *= (double) (2 * k + j) / j;
            s = (s + BERNOULLI[k - 1] * ratio) * w;
        }
        double nMinus1 = 1;
        for (int k = 2; k < n; k++) nMinus1 *= k;
        double r = inversePower(z, n) * nMinus1 * (1 + s + n / (2 * z));
        return (n & 1) == 1 ? r : -r;
    }

    /**
     * The coefficients of Pₙ with dⁿ/dzⁿ cot z = Pₙ(cot z), highest degree first: P₀(c) = c,
     * Pₖ₊₁(c) = −(1 + c²)·Pₖ′(c). Integers, exact in doubles for the orders in use.
     */
    private static double[] cotDerivative(int n) {
        double[] p = {0, 1}; // lowest degree first while building
        for (int k = 0; k < n; k++) {
            double[] d = new double[p.length + 1]; // −(1 + c²)·p′(c) has degree deg(p) + 1
            for (int i = 1; i < p.length; i++) {
                double a = -i * p[i]; // the coefficient of c^(i−1) in −p′
                d[i - 1] += a;
                d[i + 1] += a;
            }
            p = d;
        }
        double[] h = new double[p.length];
        for (int i = 0; i < p.length; i++) h[i] = p[p.length - 1 - i];
        return h;
    }
}
