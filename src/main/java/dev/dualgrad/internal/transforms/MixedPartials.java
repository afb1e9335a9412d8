package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mixed partials ∂^α f(x) = ∂^|α| f / ∂x₁^α₁ … ∂xₙ^αₙ by interpolation from univariate Taylor series
 * (Griewank, Utke and Walther 2000, "Evaluating higher derivative tensors by forward propagation of
 * univariate Taylor series", Math. Comp. 69; Griewank and Walther, "Evaluating Derivatives", 2nd ed., §13.3).
 *
 * <h2>The formula</h2>
 * Let d = |α| and, for a direction s (an integer vector shaped like x), g(s) the normalised coefficient of
 * tᵈ in f(x + t·s): g(s) = Dᵈf(x)[s, …, s]/d! = Σ_{|γ|=d} ∂^γ f(x)·s^γ/γ!, one Taylor pass of order d
 * ({@link TaylorMode#series}). g is a homogeneous polynomial of degree d in s, and ∂^α f(x) is α! times
 * its coefficient of s^α. Two exact ways to read that coefficient off values of g at integer points:
 * <ol>
 *   <li><b>Forward differences on the box 0 ≤ γ ≤ α</b> (the first step of Griewank–Utke–Walther's
 *   derivation): Δ^α applied at s = 0 annihilates every monomial of degree d except s^α, which it maps to
 *   α!, so
 *   <pre>  ∂^α f(x) = Σ_{0 &lt; γ ≤ α} (−1)^{|α−γ|} C(α, γ) · g(γ),   C(α, γ) = Πᵢ C(αᵢ, γᵢ).</pre>
 *   Points on one ray merge by homogeneity, g(m·p) = mᵈ·g(p): the directions are the primitive
 *   p = γ / gcd(γ), with the <em>integer</em> coefficients c_p = Σ_{m ≥ 1, m·p ≤ α} (−1)^{d−m|p|}
 *   C(α, m·p)·mᵈ. At most Πᵢ(αᵢ + 1) − 1 directions; a pure partial α = k·eᵢ takes one, c = k!.</li>
 *   <li><b>Griewank–Utke–Walther's interpolation on the simplex lattice |β| = d</b> (their Theorem,
 *   eq. (13.13) of the book), with β supported where α is:
 *   <pre>  ∂^α f(x) = Σ_{|β| = d} c_{α,β} · g(β),
 *  c_{α,β} = Σ_{0 &lt; γ ≤ α} (−1)^{|α−γ|} C(α, γ) C(d·γ/|γ|, β) (|γ|/d)ᵈ
 *          = N_{α,β} / (β!·dᵈ),   N_{α,β} = Σ_{0 &lt; γ ≤ α} (−1)^{|α−γ|} C(α, γ) Πᵢ Π_{j=0}^{βᵢ−1} (d·γᵢ − j·|γ|),</pre>
 *   where C(r, k) = r(r−1)…(r−k+1)/k! for rational r. (The second form, with the integer N, follows
 *   from the first because Σβᵢ = d: each of the d factors (d·γᵢ/|γ| − j) carries one 1/|γ|, which
 *   (|γ|/d)ᵈ cancels. And since Δ^α kills every polynomial in γ of degree below |α| = d, N_{α,β} is
 *   α! times the coefficient of γ^α in Πᵢ Π_{j&lt;βᵢ} (d·γᵢ − j·|γ|): only the top-degree part counts.)
 *   Multiples merge the same way. Its directions, C(d + m − 1, m − 1) for α supported
 *   on m elements, serve every α of order d at once; for one α this lattice is the smaller one when
 *   few elements carry high orders (d + 1 directions in two variables against up to (α₁+1)(α₂+1) − 1),
 *   and the box is smaller otherwise (7 against 10 for ∂³/∂x∂y∂z, 15 against 35 for four distinct
 *   variables).</li>
 * </ol>
 * Both give the same value up to rounding (they agree exactly, in rational arithmetic, on polynomial
 * data: checked in a scratch computation with Python's fractions for twenty multi-indices up to
 * order 10). The code takes the set with fewer directions, the box on a tie, and the lattice only while
 * its coefficients are cheap to compute (the lattice size times the box size at most 2¹⁸).
 * Every coefficient is computed exactly with {@link BigInteger} and rounded to double once (the box's
 * integers correctly rounded; the lattice's fractions via 40 significant digits, within one ulp).
 * Examples (box): ∂²f/∂x∂y = g(1,1) − g(1,0) − g(0,1); ∂³f/∂x²∂y = g(2,1) − 2·g(1,1) − 6·g(1,0) + g(0,1)
 * (γ = (1,0) gives +2 and γ = (2,0) = 2·(1,0) gives −2³, merged into −6); ∂³f/∂x∂y∂z = g(1,1,1) − g(1,1,0)
 * − g(1,0,1) − g(0,1,1) + g(1,0,0) + g(0,1,0) + g(0,0,1). Lattice, for α = (3, 2): 269/2·g(1,0) − 77·g(0,1)
 * − 29/125·g(4,1) + 59/125·g(3,2) − 46/125·g(2,3) + 37/250·g(1,4), 6 passes where the box takes 7.
 *
 * <h2>Cost and accuracy</h2>
 * One Taylor pass of order d per direction, each O(d²) per nonlinear op: the number of directions is
 * the cost, at most {@value #MAX_DIRECTIONS} (α asking for more is refused; Πᵢ(αᵢ + 1) − 1 is checked
 * before anything runs). The coefficients alternate in sign and grow with d (Σ|c_p|·|p|₁ᵈ/d! is the
 * amplification of the passes' rounding errors: 1 for pure partials, about 6·10² for α = (4, 4), 3·10³
 * for (5, 5)), so the relative error grows with |α|: about 1e−14 at order 2, 1e−12 at order 4,
 * 1e−10 at order 8 for exp(w·x) with |wᵢ| ≤ 1.5, measured in double.
 */
public final class MixedPartials {
    /** The most Taylor passes one mixed partial may take. */
    public static final int MAX_DIRECTIONS = 1 << 16;

    /** The largest lattice size × box size for which the lattice's coefficients are computed. */
    static final long LATTICE_WORK = 1L << 18;

    private MixedPartials() {}

    /**
     * ∂^α f(x), by the formula of the class comment.
     *
     * @param op the public name, for messages
     * @param f the function (any output shape)
     * @param x the point, its n elements numbered in row-major order
     * @param alpha α, n non-negative orders with 1 ≤ |α| ≤ {@link TaylorOptions#MAX_ORDER}
     * @return ∂^α f(x), shaped like f(x)
     * @throws IllegalArgumentException when α has the wrong length, a negative entry, |α| is out of
     *     range, or it needs more than {@link #MAX_DIRECTIONS} passes
     */
    public static Tensor mixedPartial(String op, TensorFunction f, Tensor x, int[] alpha) {
        Map<List<Integer>, Double> plan = plan(op, alpha, x.size());
        int d = order(alpha);
        int[] support = support(alpha);
        int n = x.size();
        Tensor sum = null;
        for (Map.Entry<List<Integer>, Double> e : plan.entrySet()) {
            double[] dir = new double[n];
            for (int i = 0; i < support.length; i++) dir[support[i]] = e.getKey().get(i);
            Tensor v = Tensor.of(dir, x.shape());
            Tensor c = d == 1 ? v.unsqueeze(0) : Tensor.concat(0, v.unsqueeze(0), Tensor.zeros(Shape.concat(new int[] {d - 1}, x.shape())));
            Tensor gd = TaylorMode.series(op, f, x, c)[1].select(0, d - 1);
            Tensor term = gd.mul(e.getValue());
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }

    /**
     * The directions (restricted to α's support, in the order of {@link #support}) and their double
     * coefficients: ∂^α f = Σ c·g(direction). Validates α against n.
     */
    static Map<List<Integer>, Double> plan(String op, int[] alpha, int n) {
        if (alpha.length != n) {
            throw new IllegalArgumentException(op + ": the multi-index has length " + alpha.length + " but x has " + n
                    + " elements; give one order per element of x, in row-major order");
        }
        long total = 0;
        for (int i = 0; i < alpha.length; i++) {
            if (alpha[i] < 0) {
                throw new IllegalArgumentException(op + ": the multi-index has the negative order " + alpha[i] + " at " + i
                        + "; orders must be ≥ 0");
            }
            total += alpha[i];
        }
        if (total < 1 || total > TaylorOptions.MAX_ORDER) {
            throw new IllegalArgumentException(op + ": the total order |α| must be between 1 and " + TaylorOptions.MAX_ORDER
                    + ", got " + total);
        }
        int[] a = Arrays.stream(alpha).filter(ai -> ai > 0).toArray();
        int d = (int) total;
        long boxDirections = boxSize(a);
        if (boxDirections > MAX_DIRECTIONS) {
            throw new IllegalArgumentException(op + ": the multi-index " + Arrays.toString(alpha) + " needs up to "
                    + (boxDirections == Long.MAX_VALUE ? "more than 2^62" : String.valueOf(boxDirections))
                    + " Taylor passes (Πᵢ(αᵢ + 1) − 1); at most " + MAX_DIRECTIONS + " are allowed");
        }
        Map<List<Integer>, BigInteger> boxCoefficients = boxCoefficients(a, d);
        long lattice = binomial(d + a.length - 1, a.length - 1);
        if (lattice < boxCoefficients.size() && lattice * boxDirections <= LATTICE_WORK) {
            Map<List<Integer>, BigInteger[]> latticeCoefficients = latticeCoefficients(a, d);
            if (latticeCoefficients.size() < boxCoefficients.size()) {
                Map<List<Integer>, Double> out = new LinkedHashMap<>();
                for (Map.Entry<List<Integer>, BigInteger[]> e : latticeCoefficients.entrySet()) {
                    BigInteger[] q = e.getValue();
                    out.put(e.getKey(), new BigDecimal(q[0]).divide(new BigDecimal(q[1]), new MathContext(40)).doubleValue());
                }
                return out;
            }
        }
        Map<List<Integer>, Double> out = new LinkedHashMap<>();
        for (Map.Entry<List<Integer>, BigInteger> e : boxCoefficients.entrySet()) out.put(e.getKey(), e.getValue().doubleValue());
        return out;
    }

    /** Πᵢ(aᵢ + 1) − 1, saturating at Long.MAX_VALUE. */
    static long boxSize(int[] a) {
        long p = 1;
        for (int ai : a) {
            if (p > Long.MAX_VALUE / (ai + 1)) return Long.MAX_VALUE;
            p *= ai + 1;
        }
        return p - 1;
    }

    /** The box formula merged along rays: primitive p ↦ Σ_m (−1)^{d−m|p|} C(a, m·p) mᵈ (zeros dropped). */
    static Map<List<Integer>, BigInteger> boxCoefficients(int[] a, int d) {
        Map<List<Integer>, BigInteger> out = new LinkedHashMap<>();
        int[] gamma = new int[a.length];
        while (next(gamma, a)) {
            int g = 0, s = 0;
            for (int gi : gamma) {
                g = gcd(g, gi);
                s += gi;
            }
            BigInteger c = BigInteger.valueOf(g).pow(d);
            for (int i = 0; i < a.length; i++) c = c.multiply(binomialBig(a[i], gamma[i]));
            if (((d - s) & 1) == 1) c = c.negate();
            out.merge(primitive(gamma, g), c, BigInteger::add);
        }
        out.values().removeIf(c -> c.signum() == 0);
        return out;
    }

    /**
     * The lattice formula merged along rays: primitive q ↦ Σ_{β = m·q} mᵈ·N_{a,β}/(β!·dᵈ), each as an exact
     * fraction {numerator, denominator} in lowest terms (zeros dropped).
     */
    static Map<List<Integer>, BigInteger[]> latticeCoefficients(int[] a, int d) {
        Map<List<Integer>, BigInteger[]> out = new LinkedHashMap<>();
        BigInteger dd = BigInteger.valueOf(d).pow(d);
        List<int[]> gammas = new ArrayList<>();
        int[] gamma = new int[a.length];
        while (next(gamma, a)) gammas.add(gamma.clone());
        int[] beta = new int[a.length];
        beta[a.length - 1] = d; // compositions of d into a.length parts, starting at (0, …, 0, d)
        do {
            BigInteger num = BigInteger.ZERO;
            for (int[] gm : gammas) {
                int s = 0;
                for (int gi : gm) s += gi;
                BigInteger t = BigInteger.ONE;
                for (int i = 0; i < a.length && t.signum() != 0; i++) {
                    t = t.multiply(binomialBig(a[i], gm[i]));
                    for (int j = 0; j < beta[i]; j++) t = t.multiply(BigInteger.valueOf((long) d * gm[i] - (long) j * s));
                }
                if (((d - s) & 1) == 1) t = t.negate();
                num = num.add(t);
            }
            if (num.signum() != 0) {
                int g = 0;
                for (int bi : beta) g = gcd(g, bi);
                BigInteger den = dd;
                for (int bi : beta) den = den.multiply(factorial(bi));
                num = num.multiply(BigInteger.valueOf(g).pow(d));
                List<Integer> key = primitive(beta, g);
                BigInteger[] prev = out.get(key);
                BigInteger[] sum = prev == null ? new BigInteger[] {num, den}
                        : new BigInteger[] {prev[0].multiply(den).add(num.multiply(prev[1])), prev[1].multiply(den)};
                BigInteger r = sum[0].gcd(sum[1]);
                if (r.signum() != 0) sum = new BigInteger[] {sum[0].divide(r), sum[1].divide(r)};
                out.put(key, sum);
            }
        } while (nextComposition(beta));
        out.values().removeIf(q -> q[0].signum() == 0);
        return out;
    }

    /** The next γ in 0 ≤ γ ≤ a, γ ≠ 0, in odometer order (last index fastest); false after the last. */
    private static boolean next(int[] gamma, int[] a) {
        for (int i = gamma.length - 1; i >= 0; i--) {
            if (gamma[i] < a[i]) {
                gamma[i]++;
                return true;
            }
            gamma[i] = 0;
        }
        return false;
    }

    /** The next composition of the same total (moves one unit leftwards, lexicographically); false after the last. */
    private static boolean nextComposition(int[] b) {
        int k = b.length;
        // find the rightmost i < k−1 such that some unit sits to its right; move one unit to i, the rest to the end
        int tail = b[k - 1];
        for (int i = k - 2; i >= 0; i--) {
            if (tail > 0) {
                b[i]++;
                int rest = tail - 1;
                for (int j = i + 1; j < k; j++) b[j] = 0;
                b[k - 1] = rest;
                return true;
            }
            tail += b[i];
        }
        return false;
    }

    private static List<Integer> primitive(int[] v, int g) {
        List<Integer> p = new ArrayList<>(v.length);
        for (int vi : v) p.add(vi / g);
        return p;
    }

    private static int[] support(int[] alpha) {
        int m = 0;
        for (int ai : alpha) if (ai > 0) m++;
        int[] s = new int[m];
        for (int i = 0, j = 0; i < alpha.length; i++) if (alpha[i] > 0) s[j++] = i;
        return s;
    }

    private static int order(int[] alpha) {
        int d = 0;
        for (int ai : alpha) d += ai;
        return d;
    }

    private static int gcd(int p, int q) {
        while (q != 0) {
            int r = p % q;
            p = q;
            q = r;
        }
        return p;
    }

    private static BigInteger binomialBig(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        return r;
    }

    private static BigInteger factorial(int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 2; i <= k; i++) r = r.multiply(BigInteger.valueOf(i));
        return r;
    }

    /** C(n, k), saturating at Long.MAX_VALUE. */
    private static long binomial(int n, int k) {
        BigInteger b = binomialBig(n, k);
        return b.bitLength() < 63 ? b.longValue() : Long.MAX_VALUE;
    }
}
