package dev.dualgrad.transforms;

/**
 * Options of the Taylor-mode transforms ({@code Diff.directionalDerivative} with an order, {@code Diff.jet},
 * {@code Diff.mixedPartial}): the order K of the series. Immutable: each setter returns a copy.
 *
 * <p>A Taylor pass of order K carries K normalised coefficients per value, xₖ = x⁽ᵏ⁾/k!, so its cost
 * grows like K² for nonlinear ops (the recurrences of Griewank and Walther, ch. 13) and like K for
 * linear ones, instead of the 2ᴷ of K nested JVPs.</p>
 */
public final class TaylorOptions {
    /** The highest order accepted: K! stays far inside the double range (64! ≈ 1.3·10⁸⁹). */
    public static final int MAX_ORDER = 64;

    private final int order;

    private TaylorOptions(int order) {
        this.order = order;
    }

    /**
     * Order K.
     *
     * @param k the highest derivative wanted, 1 ≤ k ≤ {@link #MAX_ORDER}
     * @return options of order k
     * @throws IllegalArgumentException when k is outside [1, MAX_ORDER]
     */
    public static TaylorOptions order(int k) {
        check("TaylorOptions.order", k);
        return new TaylorOptions(k);
    }

    /** @return K, the highest order */
    public int order() {
        return order;
    }

    static void check(String op, int k) {
        if (k < 1 || k > MAX_ORDER) {
            throw new IllegalArgumentException(op + ": the order must be between 1 and " + MAX_ORDER + ", got " + k);
        }
    }

    @Override
    public String toString() {
        return "TaylorOptions[order=" + order + "]";
    }
}
