package dev.dualgrad.internal.kernels;

/**
 * The O(K²) Taylor recurrences of the elementary functions (Griewank and Walther, Evaluating
 * Derivatives, 2nd ed., ch. 13, table 13.2), on concrete arrays, one element at a time.
 *
 * <p>Layout: x₀ and y₀ = f(x₀) are [n]; the input coefficients x₁..x_K are {@code c[(k−1)·n + i]} and
 * the output coefficients y₁..y_K go to {@code out} in the same layout. Coefficients are normalised
 * (xₖ = x⁽ᵏ⁾/k!). Every recurrence comes from an ODE the function satisfies, y′ = u·x′ with u = f′(x)
 * itself a series, so that yₖ = (1/k)·Σⱼ₌₁ᵏ j·xⱼ·uₖ₋ⱼ; none exponentiates a raw coefficient, so a
 * series stays finite wherever the function and its derivatives are.</p>
 */
public final class SeriesKernels {
    private SeriesKernels() {}

    /** Copies element i's input series into xs[0..K] (xs[0] = x₀). */
    private static void gather(double[] x0, double[] c, int n, int order, int i, double[] xs) {
        xs[0] = x0[i];
        for (int k = 1; k <= order; k++) xs[k] = c[(k - 1) * n + i];
    }

    private static void scatter(double[] ys, double[] out, int n, int order, int i) {
        for (int k = 1; k <= order; k++) out[(k - 1) * n + i] = ys[k];
    }

    /** (1/k)·Σⱼ₌₁ᵏ j·xⱼ·uₖ₋ⱼ: the k-th coefficient of y with y′ = u·x′. */
    private static double integrate(double[] xs, double[] us, int k) {
        double s = 0;
        for (int j = 1; j <= k; j++) {
            double t = xs[j] * us[k - j];
            if (xs[j] != 0 && us[k - j] != 0) s += j * t; // strong zero: 0·∞ contributes 0, as in the JVP rules
        }
        return s / k;
    }

    /** exp: y′ = y·x′. Also expm1 with {@code plusOne} (u = 1 + y). */
    public static void exp(double[] x0, double[] y0, double[] c, double[] out, int n, int order, boolean plusOne) {
        double[] xs = new double[order + 1], ys = new double[order + 1], us = new double[order + 1];
        for (int i = 0; i < n; i++) {
            gather(x0, c, n, order, i, xs);
            ys[0] = y0[i];
            us[0] = plusOne ? y0[i] + 1 : y0[i];
            for (int k = 1; k <= order; k++) {
                ys[k] = integrate(xs, us, k);
                us[k] = ys[k];
            }
            scatter(ys, out, n, order, i);
        }
    }

    /** log(x + shift): x̂·y′ = x′ with x̂ = x + shift (shift 0 for log, 1 for log1p). */
    public static void log(double[] x0, double[] y0, double[] c, double[] out, int n, int order, double shift) {
        double[] xs = new double[order + 1], ys = new double[order + 1];
        for (int i = 0; i < n; i++) {
            gather(x0, c, n, order, i, xs);
            double base = xs[0] + shift;
            ys[0] = y0[i];
            for (int k = 1; k <= order; k++) {
                double s = 0;
                for (int j = 1; j < k; j++) if (ys[j] != 0 && xs[k - j] != 0) s += j * ys[j] * xs[k - j];
                double num = xs[k] - s / k;
                ys[k] = num == 0 ? 0 : num / base; // strong zero: 0/0 at x₀ = 0 is 0, as the JVP's 0·(1/x)
            }
            scatter(ys, out, n, order, i);
        }
    }

    /** sqrt: y² = x, so yₖ = (xₖ − Σⱼ₌₁ᵏ⁻¹ yⱼyₖ₋ⱼ) / (2y₀). */
    public static void sqrt(double[] x0, double[] y0, double[] c, double[] out, int n, int order) {
        double[] xs = new double[order + 1], ys = new double[order + 1];
        for (int i = 0; i < n; i++) {
            gather(x0, c, n, order, i, xs);
            ys[0] = y0[i];
            for (int k = 1; k <= order; k++) {
                double s = 0;
                for (int j = 1; j < k; j++) if (ys[j] != 0 && ys[k - j] != 0) s += ys[j] * ys[k - j];
                double num = xs[k] - s;
                ys[k] = num == 0 ? 0 : num / (2 * ys[0]); // strong zero at √0, as the JVP's 0·(1/2y)
            }
            scatter(ys, out, n, order, i);
        }
    }

    /** square: the Cauchy product of x with itself. */
    public static void square(double[] x0, double[] c, double[] out, int n, int order) {
        double[] xs = new double[order + 1], ys = new double[order + 1];
        for (int i = 0; i < n; i++) {
            gather(x0, c, n, order, i, xs);
            for (int k = 1; k <= order; k++) {
                double s = 0;
                for (int m = 0; m <= k; m++) if (xs[m] != 0 && xs[k - m] != 0) s += xs[m] * xs[k - m]; // strong zero
                ys[k] = s;
            }
            scatter(ys, out, n, order, i);
        }
    }

    /** sin (or cos with {@code cosine}): s′ = c·x′, c′ = −s·x′, carried together. */
    public static void sinCos(double[] x0, double[] y0, double[] c, double[] out, int n, int order, boolean cosine) {
        double[] xs = new double[order + 1], ss = new double[order + 1], cs = new double[order + 1];
        for (int i = 0; i < n; i++) {
            gather(x0, c, n, order, i, xs);
            ss[0] = cosine ? Math.sin(xs[0]) : y0[i];
            cs[0] = cosine ? y0[i] : Math.cos(xs[0]);
            for (int k = 1; k <= order; k++) {
                ss[k] = integrate(xs, cs, k);
                cs[k] = -integrate(xs, ss, k);
            }
            scatter(cosine ? cs : ss, out, n, order, i);
        }
    }

    /** tanh: y′ = z·x′ with z = 1 − y² (z₀ as the JVP rule forms it), zₖ = −Σₘ₌₀ᵏ yₘyₖ₋ₘ. */
    public static void tanh(double[] x0, double[] y0, double[] c, double[] out, int n, int order) {
        double[] xs = new double[order + 1], ys = new double[order + 1], zs = new double[order + 1];
        for (int i = 0; i < n; i++) {
            gather(x0, c, n, order, i, xs);
            ys[0] = y0[i];
            zs[0] = 1 - ys[0] * ys[0];
            for (int k = 1; k <= order; k++) {
                ys[k] = integrate(xs, zs, k);
                double s = 0;
                for (int m = 0; m <= k; m++) if (ys[m] != 0 && ys[k - m] != 0) s += ys[m] * ys[k - m];
                zs[k] = -s;
            }
            scatter(ys, out, n, order, i);
        }
    }

    /**
     * sigmoid: y′ = z·x′ with z = y·w and w = 1 − y = σ(−x): w₀ = σ(−x₀) computed from x₀ (1 − y₀ would
     * lose every digit once y₀ is near 1), wₖ = −yₖ, zₖ = Σₘ yₘwₖ₋ₘ. Softplus with {@code integral}: its
     * derivative is σ, so its coefficients are those of ∫σ(x)·x′.
     */
    public static void sigmoid(double[] x0, double[] y0, double[] c, double[] out, int n, int order, boolean integral) {
        double[] xs = new double[order + 1], ys = new double[order + 1], ws = new double[order + 1], zs = new double[order + 1];
        double[] ps = new double[order + 1];
        for (int i = 0; i < n; i++) {
            gather(x0, c, n, order, i, xs);
            ys[0] = sigma(xs[0]);
            ws[0] = sigma(-xs[0]);
            zs[0] = ys[0] * ws[0];
            ps[0] = y0[i];
            for (int k = 1; k <= order; k++) {
                if (integral) ps[k] = integrate(xs, ys, k); // softplus′ = σ, from σ's coefficients up to k − 1
                ys[k] = integrate(xs, zs, k);
                ws[k] = -ys[k];
                double s = 0;
                for (int m = 0; m <= k; m++) if (ys[m] != 0 && ws[k - m] != 0) s += ys[m] * ws[k - m];
                zs[k] = s;
            }
            scatter(integral ? ps : ys, out, n, order, i);
        }
    }

    /** σ(v) exponentiating only non-positive numbers. */
    private static double sigma(double v) {
        if (v >= 0) return 1 / (1 + Math.exp(-v));
        double e = Math.exp(v);
        return e / (1 + e);
    }
}
