package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layer normalisation over the trailing dimensions, as PyTorch's {@code nn.LayerNorm}: y = n ⊙ weight + bias
 * with n = (x − μ)/√(var + ε), μ and the biased variance taken over the last normalizedShape.length axes
 * of each sample (see {@link Functional#layerNorm(Tensor, int[], Tensor, Tensor, double)}). Parameters
 * "weight" (initially 1) and "bias" (initially 0), shaped normalizedShape, the names PyTorch's
 * {@code state_dict()} gives them; none without the affine map. In a {@link Sequential}:
 * {@code new Sequential(new Linear(784, 256, 0), new LayerNorm(256), Activation.TANH, ...)}.
 */
public final class LayerNorm extends Module {
    private final int[] shape;
    private final LayerNormOptions options;
    private Tensor weight, bias;

    /**
     * A layer with the affine map and ε = 1e-5.
     *
     * @param normalizedShape the trailing dimensions normalised together, e.g. 256 for features [N, 256]
     * @throws IllegalArgumentException when normalizedShape is empty or has a dimension below 1
     */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, LayerNormOptions.defaults());
    }

    /**
     * A layer with the given ε and affine setting.
     *
     * @param normalizedShape the trailing dimensions normalised together
     * @param options ε and whether there is an affine map
     * @throws IllegalArgumentException when normalizedShape is empty or has a dimension below 1
     */
    public LayerNorm(int[] normalizedShape, LayerNormOptions options) {
        Args.nonNull(normalizedShape, "LayerNorm", "normalizedShape");
        this.options = Args.nonNull(options, "LayerNorm", "options");
        boolean ok = normalizedShape.length > 0;
        for (int d : normalizedShape) ok &= d >= 1;
        if (!ok) throw new IllegalArgumentException("LayerNorm: normalizedShape must be non-empty with positive sizes, got " + Arrays.toString(normalizedShape));
        this.shape = normalizedShape.clone();
        if (options.elementwiseAffine()) {
            weight = Tensor.ones(shape);
            bias = Tensor.zeros(shape);
        }
    }

    /**
     * The normalised shape.
     *
     * @return a copy of normalizedShape
     */
    public int[] normalizedShape() { return shape.clone(); }

    /**
     * The options.
     *
     * @return ε and the affine setting
     */
    public LayerNormOptions options() { return options; }

    /** {@inheritDoc} "weight" then "bias", shaped normalizedShape; empty without the affine map. */
    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        if (options.elementwiseAffine()) {
            m.put("weight", weight);
            m.put("bias", bias);
        }
        return m;
    }

    /** {@inheritDoc} With the affine map, parameters "weight" and "bias", shaped normalizedShape. */
    @Override
    public Tensor forward(Map<String, Tensor> params, Tensor x) {
        Args.nonNull(params, "LayerNorm.forward", "params");
        Args.nonNull(x, "LayerNorm.forward", "x");
        if (!options.elementwiseAffine()) return Functional.layerNorm(x, shape, null, null, options.eps());
        Tensor w = params.get("weight"), b = params.get("bias");
        if (w == null || b == null) throw new IllegalArgumentException("LayerNorm.forward: params must hold weight and bias, got " + params.keySet());
        return Functional.layerNorm(x, shape, w, b, options.eps());
    }

    @Override
    protected void assign(Map<String, Tensor> params) {
        if (!options.elementwiseAffine()) return;
        weight = params.get("weight");
        bias = params.get("bias");
    }

    /** @return "LayerNorm([256], eps=1.0E-5)", with ", no affine" without the affine map */
    @Override
    public String toString() {
        return "LayerNorm(" + Arrays.toString(shape) + ", eps=" + options.eps() + (options.elementwiseAffine() ? "" : ", no affine") + ")";
    }
}
