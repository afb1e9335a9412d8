package dev.dualgrad.internal.kernels;

/**
 * Elementwise kernels fast enough for hot loops, each with a Vector API form and a scalar form that give
 * bitwise the same values.
 *
 * <p><b>mulStrongZero.</b> y = a·b, but 0 where a = 0 or b = 0 even against ±∞ or NaN (the product every
 * derivative rule uses). A branch per element keeps the JIT from vectorising the scalar loop; the vector
 * form multiplies and blends the zeros in.</p>
 *
 * <p>The JDK's {@code Math.tanh} is a native call costing 30–45 ns an element here, more than the
 * matrix products around it in a tanh network; hence this tanh.</p>
 *
 * <p><b>tanh.</b> With a = min(|x|, 22) (tanh rounds to ±1 beyond 19.1) and t = 2a,
 * tanh x = sign(x) · e / (e + 2), e = expm1(t). expm1 is computed without cancellation near 0:
 * k = round(t / ln 2), r = t − k·ln 2 (two-part ln 2, fused), so |r| ≤ ln 2 / 2;
 * expm1(r) = r · (1 + r/2! + … + r¹²/13!) by Horner (truncation < 10⁻¹⁷ relative); then
 * expm1(t) = 2ᵏ · expm1(r) + (2ᵏ − 1), one fused multiply-add, which is exactly expm1(r) when k = 0.
 * The error is a few ulp at most (the tests bound it against {@link StrictMath#tanh} over the whole
 * range); ±0, ±∞ and NaN map as tanh does.</p>
 *
 * <p>The array kernel runs the same arithmetic on the Vector API when it is present
 * ({@code --add-modules jdk.incubator.vector}), lanes and tail alike, so every element gets bitwise the
 * same value whatever its position, the kernel or the JVM flags.</p>
 */
public final class Elementwise {
    private Elementwise() {}

    static final double SHIFTER = 0x1.8p52; // adding it rounds to an integer kept in the low bits
    static final double INV_LN2 = 1.4426950408889634;
    static final double LN2_HI = 0.6931471805599453;
    static final double LN2_LO = 2.3190468138462996e-17;
    static final double TANH_CLAMP = 22.0;
    /** 1/(n+1)! for n = 0..12: expm1(r) = r · Σ C[n] rⁿ. */
    static final double[] C = new double[13];

    static {
        double f = 1;
        for (int n = 0; n < C.length; n++) {
            f *= n + 1;
            C[n] = 1 / f;
        }
    }

    /** Implemented by the Vector API kernels, loaded only when the module is present. */
    interface ArrayKernels {
        /** y[yo+i] = tanh(x[xo+i]) for i in [0, n − n mod lanes); returns where the scalar tail starts. */
        int tanh(double[] x, int xo, double[] y, int yo, int n);

        /** The contiguous strong-zero product over [0, n − n mod lanes); returns where the scalar tail starts. */
        int mulStrongZero(double[] a, int ao, double[] b, int bo, double[] y, int yo, int n);

        /** The same with b one scalar v. */
        int mulStrongZero(double[] a, int ao, double v, double[] y, int yo, int n);

        /**
         * {@link Elementwise#arithmeticLanes}: a row of a ∘ b over [0, n − n mod lanes) with (as, bs) one of (1, 1), (1, 0),
         * (0, 1); returns where the scalar tail starts.
         */
        int arithmetic(Arith op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int n);

        /** y[yo+i] += a·x[xo+i] over [0, n − n mod lanes) (a product, then a sum); returns where the scalar tail starts. */
        int axpy(double a, double[] x, int xo, double[] y, int yo, int n);

        /** c[co+i] = fma(v, b[bo+i], c[co+i]) over [0, n − n mod lanes); returns where the scalar tail starts. */
        int fusedAxpy(double v, double[] b, int bo, double[] c, int co, int n);

        /** Σ d[i]·0 over [0, n − n mod lanes): NaN exactly when one of those d[i] is ±∞ or NaN, else ±0. */
        double zeroProductSum(double[] d, int n);

        /** {@link Elementwise#scaleAndSumSquares} over [0, n − n mod lanes); returns where the scalar tail starts. */
        int scaleAndSumSquares(double[] s, int so, double[] f, int fo, double[] y, double[] sq, int n);
    }

    private static final ArrayKernels VECTOR = VectorKernels.load("dev.dualgrad.internal.kernels.VectorElementwise", ArrayKernels.class);

    /** The vector kernels' width in doubles; without them, more than any row. */
    private static final int LANES = VECTOR == null ? Integer.MAX_VALUE : VectorElementwise.lanes();

    /** Elements per thread below which tanh (a few ns an element) is not split. */
    static final int TANH_MIN_PER_THREAD = 1 << 13;

    /**
     * y[i] = tanh(x[i]) for i &lt; n (see the class comment for the method and its accuracy); large arrays
     * are split over the pool in effect ({@code Parallelism}), with bitwise the same values.
     */
    public static void tanh(double[] x, double[] y, int n) {
        if (n < 2 * TANH_MIN_PER_THREAD) tanhRange(x, y, 0, n);
        else ParallelRanges.run(n, TANH_MIN_PER_THREAD, (from, to) -> tanhRange(x, y, from, to - from));
    }

    private static void tanhRange(double[] x, double[] y, int o, int n) {
        int i = VECTOR == null ? 0 : VECTOR.tanh(x, o, y, o, n);
        for (; i < n; i++) y[o + i] = tanh(x[o + i]);
    }

    /**
     * y[yo+i] = a[ao+i]·b[bo+i] for i &lt; n, with 0 wherever a factor is 0 (strong zero; see the class
     * comment). Not split here: the broadcasting loop that calls it splits large arrays.
     */
    public static void mulStrongZero(double[] a, int ao, double[] b, int bo, double[] y, int yo, int n) {
        int i = VECTOR == null ? 0 : VECTOR.mulStrongZero(a, ao, b, bo, y, yo, n);
        for (; i < n; i++) {
            double u = a[ao + i], v = b[bo + i];
            y[yo + i] = u == 0 || v == 0 ? 0.0 : u * v;
        }
    }

    /** y[yo+i] = a[ao+i]·v for i &lt; n, with 0 wherever a factor is 0 (strong zero). */
    public static void mulStrongZero(double[] a, int ao, double v, double[] y, int yo, int n) {
        if (v == 0) {
            java.util.Arrays.fill(y, yo, yo + n, 0.0);
            return;
        }
        int i = VECTOR == null ? 0 : VECTOR.mulStrongZero(a, ao, v, y, yo, n);
        for (; i < n; i++) {
            double u = a[ao + i];
            y[yo + i] = u == 0 ? 0.0 : u * v;
        }
    }

    /** The four IEEE operations whose broadcast rows {@link #arithmeticLanes} vectorises. */
    public enum Arith { ADD, SUB, MUL, DIV }

    /**
     * The vector lanes of one broadcast row y[yo+i] = a[ao+i·as] ∘ b[bo+i·bs] of an IEEE operation (correctly rounded,
     * so each lane is bitwise the scalar value): rows with (as, bs) = (1, 1), (1, 0) or (0, 1), over [0, n − n mod
     * lanes). Returns where the caller's scalar loop continues: 0 without the Vector API or for any other strides.
     * Why not leave it to the JIT: C2 (JDK 17) vectorises {@code y[oo+i] = a[ao+i] * b[bo+i]} only when it can tell
     * the three offsets apart from the aliasing they might cause, which it can at offsets 0 and not at the
     * variable offsets of a broadcast's rows; those rows ran at about half the speed (issue 21's BroadcastBench).
     */
    public static int arithmeticLanes(Arith op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int n) {
        boolean lanes = as == 1 ? bs == 1 || bs == 0 : as == 0 && bs == 1; // the three patterns, nothing else (no negative strides)
        if (n < LANES || !lanes) return 0; // a row shorter than a vector: no call at all
        return VECTOR.arithmetic(op, a, ao, as, b, bo, bs, y, yo, n);
    }

    /**
     * y[yo+i] += a·x[xo+i] for i &lt; n, a rounded product and then a rounded sum (no fma), bitwise the scalar loop's,
     * on the vector lanes where the module is loaded (the JIT does not vectorise it at variable offsets). x's range
     * must not overlap y's: the lanes read x ahead of the scalar loop's writes. The same holds for {@link #fusedAxpy}.
     */
    public static void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        int i = n < LANES ? 0 : VECTOR.axpy(a, x, xo, y, yo, n);
        for (; i < n; i++) y[yo + i] += a * x[xo + i];
    }

    /**
     * c[co+i] = fma(v, b[bo+i], c[co+i]) for i &lt; n: one fused multiply-add per element, bitwise Math.fma's, on the
     * vector lanes where the module is loaded (the JIT does not vectorise it at variable offsets; see {@link #arithmeticLanes}).
     */
    public static void fusedAxpy(double v, double[] b, int bo, double[] c, int co, int n) {
        int i = n < LANES ? 0 : VECTOR.fusedAxpy(v, b, bo, c, co, n);
        for (; i < n; i++) c[co + i] = Math.fma(v, b[bo + i], c[co + i]);
    }

    /**
     * y[so+i] = s[so+i]·f[fo+i] and sq[fo+i] += s[so+i]·s[so+i] for i &lt; n, by IEEE products (a product, then a
     * sum: no fma): part of one row of a forward-Laplacian stack through an elementwise op, f′·J_d and Σ_d J_d².
     */
    public static void scaleAndSumSquares(double[] s, int so, double[] f, int fo, double[] y, double[] sq, int n) {
        int i = VECTOR == null ? 0 : VECTOR.scaleAndSumSquares(s, so, f, fo, y, sq, n);
        for (; i < n; i++) {
            double j = s[so + i];
            y[so + i] = j * f[fo + i];
            sq[fo + i] += j * j;
        }
    }

    /**
     * True when no element is ±∞ or NaN. Branch-free (x·0 is NaN exactly for those), so it vectorises:
     * the strong-zero matrix product asks this of both operands before every product.
     */
    public static boolean allFinite(double[] d) {
        int n = d.length, i = 0;
        double s = 0;
        if (VECTOR != null) {
            s = VECTOR.zeroProductSum(d, n);
            i = n - n % VectorElementwise.lanes();
        }
        for (; i < n; i++) s += d[i] * 0.0;
        return !Double.isNaN(s);
    }

    /** tanh x, the scalar form of the array kernel (bitwise the same values). */
    public static double tanh(double x) {
        double a = Math.min(Math.abs(x), TANH_CLAMP);
        double e = expm1Reduced(a + a);
        return Math.copySign(e / (e + 2.0), x);
    }

    /** expm1(t) for 0 ≤ t ≤ 44 (or NaN), as the class comment describes. */
    private static double expm1Reduced(double t) {
        double s = Math.fma(t, INV_LN2, SHIFTER);
        double k = s - SHIFTER;
        double r = Math.fma(-k, LN2_HI, t);
        r = Math.fma(-k, LN2_LO, r);
        double q = C[12];
        for (int n = 11; n >= 0; n--) q = Math.fma(q, r, C[n]);
        double p = r * q;
        double twoK = Double.longBitsToDouble((Double.doubleToRawLongBits(s) + 1023) << 52);
        return Math.fma(twoK, p, twoK - 1.0);
    }
}
