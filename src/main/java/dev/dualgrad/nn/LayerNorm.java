package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** @return this layer's architecture, {@code new Spec(normalizedShape(), eps, elementwiseAffine)} */
    @Override
    public Optional<ModuleSpec> spec() {
        return Optional.of(new Spec(shape, options.eps(), options.elementwiseAffine()));
    }

    /**
     * A LayerNorm layer's architecture: the normalised shape, ε and whether it has the affine map.
     *
     * @param normalizedShape the trailing dimensions normalised together (copied in and out)
     * @param eps ε, finite and ≥ 0
     * @param elementwiseAffine whether the layer has the parameters "weight" and "bias"
     */
    public record Spec(int[] normalizedShape, double eps, boolean elementwiseAffine) implements ModuleSpec {
        private static final long serialVersionUID = 1L;

        /**
         * Checks the shape and ε.
         *
         * @param normalizedShape the trailing dimensions normalised together
         * @param eps ε
         * @param elementwiseAffine whether there is an affine map
         * @throws IllegalArgumentException when normalizedShape is empty or has a dimension below 1, or ε is
         *     negative, infinite or NaN
         */
        public Spec {
            normalizedShape = new LayerNorm(Args.nonNull(normalizedShape, "LayerNorm.Spec", "normalizedShape"),
                    LayerNormOptions.defaults().eps(eps).elementwiseAffine(false)).normalizedShape(); // the layer's checks, and a copy
        }

        /**
         * The normalised shape.
         *
         * @return a copy of normalizedShape
         */
        @Override
        public int[] normalizedShape() { return normalizedShape.clone(); }

        /**
         * The layer with the given weight and bias (copied as constants).
         *
         * @param parameters with the affine map exactly "weight" and "bias", each shaped normalizedShape; else empty
         * @return the layer
         * @throws IllegalArgumentException naming a missing, extra or misshapen parameter
         */
        @Override
        public LayerNorm build(Map<String, Tensor> parameters) {
            Args.nonNull(parameters, "LayerNorm.Spec.build", "parameters");
            Specs.exactly(toString(), elementwiseAffine ? Set.of("weight", "bias") : Set.of(), parameters);
            LayerNorm layer = new LayerNorm(normalizedShape, LayerNormOptions.defaults().eps(eps).elementwiseAffine(elementwiseAffine));
            if (!elementwiseAffine) return layer;
            for (String name : List.of("weight", "bias")) {
                int[] got = parameters.get(name).shape();
                if (!Arrays.equals(got, normalizedShape)) {
                    throw new IllegalArgumentException(this + ": " + name + " must have shape " + Arrays.toString(normalizedShape) + ", got " + Arrays.toString(got));
                }
            }
            layer.weight = parameters.get("weight").detach();
            layer.bias = parameters.get("bias").detach();
            return layer;
        }

        /**
         * Equal shape, ε (bitwise) and affine setting.
         *
         * @param o any object
         * @return whether o is an equal spec
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && Arrays.equals(normalizedShape, s.normalizedShape)
                    && Double.compare(eps, s.eps) == 0 && elementwiseAffine == s.elementwiseAffine;
        }

        /** @return a hash consistent with {@link #equals(Object)} */
        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(normalizedShape) + Double.hashCode(eps)) + Boolean.hashCode(elementwiseAffine);
        }

        /** @return "LayerNorm.Spec[normalizedShape=[256], eps=1.0E-5, elementwiseAffine=true]" */
        @Override
        public String toString() {
            return "LayerNorm.Spec[normalizedShape=" + Arrays.toString(normalizedShape) + ", eps=" + eps + ", elementwiseAffine=" + elementwiseAffine + "]";
        }
    }

    /** @return "LayerNorm([256], eps=1.0E-5)", with ", no affine" without the affine map */
    @Override
    public String toString() {
        return "LayerNorm(" + Arrays.toString(shape) + ", eps=" + options.eps() + (options.elementwiseAffine() ? "" : ", no affine") + ")";
    }
}
