package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.ops.LayerNorms;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Arrays;

/**
 * Layers as plain functions of their inputs and weights, for code that holds its own parameters
 * (as PyTorch's {@code torch.nn.functional}). The modules of this package compute through these.
 */
public final class Functional {
    private Functional() {}

    /**
     * y = x·Wᵀ, without a bias.
     *
     * @param x the input, [..., in] (a single sample [in] gives [out])
     * @param weight W, [out, in], read in place (no transposed copy)
     * @return [..., out]
     * @throws IllegalArgumentException when W is not 2-d or x's last axis is not W's second
     */
    public static Tensor linear(Tensor x, Tensor weight) {
        Args.nonNull(x, "Functional.linear", "x");
        Args.nonNull(weight, "Functional.linear", "weight");
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("linear: the weight must be [out, in], got shape " + Arrays.toString(weight.shape()));
        }
        int in = weight.dim(1);
        if (x.rank() == 0 || x.dim(-1) != in) {
            throw new IllegalArgumentException("linear: the input has shape " + Arrays.toString(x.shape()) + " but its last axis must have size "
                    + in + " to match the weight [" + weight.dim(0) + ", " + in + "]");
        }
        return x.rank() == 1 ? x.unsqueeze(0).matmul(weight, false, true).squeeze(0) : x.matmul(weight, false, true);
    }

    /**
     * y = x·Wᵀ + b, as PyTorch's {@code F.linear}: yᵢ = Σⱼ Wᵢⱼ xⱼ + bᵢ on the last axis.
     *
     * @param x the input, [..., in]
     * @param weight W, [out, in]
     * @param bias b, [out]
     * @return [..., out]
     * @throws IllegalArgumentException when the shapes do not match
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Args.nonNull(x, "Functional.linear", "x");
        Args.nonNull(weight, "Functional.linear", "weight");
        Args.nonNull(bias, "Functional.linear", "bias");
        Tensor y = linear(x, weight);
        if (bias.rank() != 1 || bias.dim(0) != weight.dim(0)) {
            throw new IllegalArgumentException("linear: the bias must be [" + weight.dim(0) + "] for a weight of shape "
                    + Arrays.toString(weight.shape()) + ", got " + Arrays.toString(bias.shape()));
        }
        return y.add(bias);
    }

    // ---- issue 20's layers: layerNorm and dropout

    /** PyTorch's default ε of layer_norm. */
    static final double LAYER_NORM_EPS = 1e-5;

    /**
     * Layer normalisation over the trailing axes, without an affine map: y = (x − μ)/√(var + 1e-5), with μ
     * and var (biased, correction 0, as PyTorch) over the last {@code normalizedShape.length} axes.
     *
     * @param x the input, [..., normalizedShape...]
     * @param normalizedShape the trailing dimensions normalised together, as PyTorch's {@code normalized_shape}
     * @return the normalised input, shaped like x
     * @throws IllegalArgumentException when normalizedShape is empty or does not match x's trailing dimensions
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape) {
        return layerNorm(x, normalizedShape, null, null, LAYER_NORM_EPS);
    }

    /**
     * Layer normalisation with an elementwise affine map and ε = 1e-5, as {@code F.layer_norm(x, shape, weight, bias)}.
     *
     * @param x the input, [..., normalizedShape...]
     * @param normalizedShape the trailing dimensions normalised together
     * @param weight w, shaped normalizedShape, or null for none (w = 1)
     * @param bias b, shaped normalizedShape, or null for none (b = 0)
     * @return n ⊙ w + b, shaped like x
     * @throws IllegalArgumentException when a shape does not match
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias) {
        return layerNorm(x, normalizedShape, weight, bias, LAYER_NORM_EPS);
    }

    /**
     * Layer normalisation, PyTorch's {@code F.layer_norm}: over the trailing axes A = normalizedShape, per
     * row, μ = mean_A x, var = mean_A (x − μ)² (the biased variance: correction 0, not var()'s default),
     * n = (x − μ)/√(var + ε) and y = n ⊙ w + b. The derivative: ẋ ↦ (ẋ − mean_A ẋ − n ⊙ mean_A(n ⊙ ẋ))/σ ⊙ w,
     * w̄ = Σ ȳ ⊙ n and b̄ = Σ ȳ over the other axes. A constant row gives n = 0 (and with ε = 0, 0/0 = NaN).
     * Fused into one op, with its rules written with tensor ops (any order of derivatives).
     *
     * @param x the input, [..., normalizedShape...]
     * @param normalizedShape the trailing dimensions normalised together, at least one
     * @param weight w, shaped normalizedShape, or null for none (w = 1)
     * @param bias b, shaped normalizedShape, or null for none (b = 0)
     * @param eps ε ≥ 0, added to the variance
     * @return n ⊙ w + b, shaped like x
     * @throws IllegalArgumentException when normalizedShape is empty or does not match x's trailing dimensions,
     *     weight or bias is not shaped normalizedShape, or ε is negative or not finite
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        Args.nonNull(x, "Functional.layerNorm", "x");
        Args.nonNull(normalizedShape, "Functional.layerNorm", "normalizedShape");
        int k = normalizedShape.length, r = x.rank();
        int[] s = x.shape();
        boolean ok = k >= 1 && k <= r;
        for (int i = 0; ok && i < k; i++) ok = s[r - k + i] == normalizedShape[i];
        if (!ok) {
            throw new IllegalArgumentException("layerNorm: normalizedShape " + Arrays.toString(normalizedShape) + " must be non-empty and equal the trailing"
                    + " dimensions of the input, whose shape is " + Arrays.toString(s));
        }
        for (Tensor t : new Tensor[] {weight, bias}) {
            if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
                throw new IllegalArgumentException("layerNorm: " + (t == weight ? "weight" : "bias") + " has shape " + Arrays.toString(t.shape())
                        + " but must have the normalised shape " + Arrays.toString(normalizedShape));
            }
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("layerNorm: eps must be finite and ≥ 0, got " + eps);
        if (weight == null && bias == null) return LayerNorms.layerNorm(x, k, null, null, eps);
        Tensor w = weight != null ? weight : Tensor.ones(normalizedShape), b = bias != null ? bias : Tensor.zeros(normalizedShape);
        return LayerNorms.layerNorm(x, k, w, b, eps);
    }

    /**
     * Dropout, PyTorch's {@code F.dropout(x, p, training=True)}: each element is kept with probability 1 − p
     * and scaled by 1/(1 − p), or set to 0, y = x ⊙ m/(1 − p), the mask m drawn from {@code random}
     * (element i is kept when the i-th uniform draw in [0, 1) is ≥ p). The mask is a constant: ∂y/∂x = m/(1 − p).
     * p = 0 returns x itself and draws nothing; p = 1 gives x ⊙ 0 (zeros, NaN where x is NaN, as PyTorch)
     * and draws nothing. The same generator state gives the same mask: {@code TensorRandom.seed(s)} makes it reproducible.
     *
     * @param x the input, any shape
     * @param p the probability of zeroing an element, in [0, 1]
     * @param random the generator the mask is drawn from (its stream advances by x.size() draws)
     * @return x with elements dropped and the rest scaled, shaped like x
     * @throws IllegalArgumentException when p lies outside [0, 1] or is NaN
     */
    public static Tensor dropout(Tensor x, double p, TensorRandom random) {
        Args.nonNull(x, "Functional.dropout", "x");
        Args.nonNull(random, "Functional.dropout", "random");
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("dropout: the probability p must lie in [0, 1], got " + p);
        if (p == 0) return x;
        if (p == 1) return x.mul(Tensor.zeros(x.shape()));
        double[] u = random.uniform(0, 1, x.shape()).toArray(), m = new double[u.length];
        double scale = 1 / (1 - p);
        for (int i = 0; i < u.length; i++) m[i] = u[i] >= p ? scale : 0;
        return x.mul(Tensor.of(m, x.shape()));
    }
}
