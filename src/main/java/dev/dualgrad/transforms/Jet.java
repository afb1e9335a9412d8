package dev.dualgrad.transforms;

import dev.dualgrad.tensor.Tensor;

/**
 * The output of a Taylor-mode pass: f(x) and the derivatives of f(x(t)) at t = 0 up to order K,
 * y⁽ᵏ⁾ = dᵏ/dtᵏ f(x(t)) (derivatives, not the normalised coefficients the pass carries inside:
 * y⁽ᵏ⁾ = k!·yₖ). For {@code directionalDerivative} x(t) = x + t·v, so y⁽ᵏ⁾ = Dᵏf(x)[v, …, v].
 */
public final class Jet {
    private final Tensor value;
    private final Tensor[] derivatives;

    /**
     * @param value f(x)
     * @param derivatives y⁽¹⁾ … y⁽ᴷ⁾, each shaped like the value (copied)
     */
    public Jet(Tensor value, Tensor[] derivatives) {
        if (value == null) throw new IllegalArgumentException("Jet: value is null");
        if (derivatives == null) throw new IllegalArgumentException("Jet: derivatives is null");
        for (int k = 0; k < derivatives.length; k++) {
            if (derivatives[k] == null) throw new IllegalArgumentException("Jet: derivative " + (k + 1) + " is null");
        }
        this.value = value;
        this.derivatives = derivatives.clone();
    }

    /** @return f(x) */
    public Tensor value() {
        return value;
    }

    /** @return K, the highest order held */
    public int order() {
        return derivatives.length;
    }

    /**
     * The k-th derivative.
     *
     * @param k 0 (the value) to K
     * @return y⁽ᵏ⁾, shaped like the value
     * @throws IndexOutOfBoundsException when k is outside [0, K]
     */
    public Tensor derivative(int k) {
        if (k < 0 || k > derivatives.length) {
            throw new IndexOutOfBoundsException("Jet.derivative: order " + k + " is outside [0, " + derivatives.length + "]");
        }
        return k == 0 ? value : derivatives[k - 1];
    }

    /** @return y⁽¹⁾ … y⁽ᴷ⁾ (a new array) */
    public Tensor[] derivatives() {
        return derivatives.clone();
    }

    @Override
    public String toString() {
        return "Jet[order=" + derivatives.length + ", value=" + value + "]";
    }
}
