package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * y = x·Wᵀ + b, with W [out, in] and b [out], as PyTorch's nn.Linear: input [..., in], output
 * [..., out]. A new layer is initialised as PyTorch does by default (kaiming_uniform with a = √5): W
 * and b uniform in [−1/√in, 1/√in), here from a seed; {@link #of(Tensor, Tensor)} builds one from given
 * weights instead.
 */
public final class Linear extends Module {
    private final int in, out;
    private final boolean bias;
    private Tensor weight, b;

    /**
     * A layer with a bias, initialised from a seed.
     *
     * @param in the number of input features (the last axis of x)
     * @param out the number of output features
     * @param seed the seed of the initial weights
     * @throws IllegalArgumentException when a size is not positive
     */
    public Linear(int in, int out, long seed) {
        this(in, out, true, seed);
    }

    /**
     * A layer initialised from a seed, with or without a bias.
     *
     * @param in the number of input features
     * @param out the number of output features
     * @param bias whether the layer adds a bias b
     * @param seed the seed of the initial weights (W from seed, b from a seed derived from it)
     * @throws IllegalArgumentException when a size is not positive
     */
    public Linear(int in, int out, boolean bias, long seed) {
        this(in, out, bias, initial(in, out, seed, false), bias ? initial(in, out, seed, true) : null);
    }

    private Linear(int in, int out, boolean bias, Tensor weight, Tensor b) {
        this.in = in;
        this.out = out;
        this.bias = bias;
        this.weight = weight;
        this.b = b;
    }

    private static Tensor initial(int in, int out, long seed, boolean ofBias) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + ", out=" + out);
        double bound = 1 / Math.sqrt(in);
        return ofBias ? TensorRandom.seed(seed ^ 0x9E3779B97F4A7C15L).uniform(-bound, bound, out)
                : TensorRandom.seed(seed).uniform(-bound, bound, out, in);
    }

    /**
     * A layer with the given weights (copied as constants: no tangent or tape node is kept).
     *
     * @param weight W, [out, in]
     * @param bias b, [out], or null for a layer without a bias
     * @return the layer
     * @throws IllegalArgumentException when W is not 2-d with positive sizes or b is not [out]
     */
    public static Linear of(Tensor weight, Tensor bias) {
        Args.nonNull(weight, "Linear.of", "weight");
        if (weight.rank() != 2 || weight.dim(0) == 0 || weight.dim(1) == 0) {
            throw new IllegalArgumentException("Linear.of: the weight must be [out, in] with positive sizes, got " + Arrays.toString(weight.shape()));
        }
        int out = weight.dim(0), in = weight.dim(1);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != out)) {
            throw new IllegalArgumentException("Linear.of: the bias must be [" + out + "] for a weight of shape " + Arrays.toString(weight.shape())
                    + ", got " + Arrays.toString(bias.shape()));
        }
        return new Linear(in, out, bias != null, weight.detach(), bias == null ? null : bias.detach());
    }

    /**
     * A layer with the given weight and no bias.
     *
     * @param weight W, [out, in]
     * @return the layer
     */
    public static Linear of(Tensor weight) {
        Args.nonNull(weight, "Linear.of", "weight");
        return of(weight, null);
    }

    /** @return the number of input features, the size of x's last axis */
    public int inFeatures() { return in; }

    /** @return the number of output features */
    public int outFeatures() { return out; }

    /** @return whether the layer adds a bias */
    public boolean hasBias() { return bias; }

    /** {@inheritDoc} "weight", then "bias" if the layer has one. */
    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("weight", weight);
        if (bias) m.put("bias", b);
        return m;
    }

    /** {@inheritDoc} Parameters "weight" [out, in] and, with a bias, "bias" [out]. */
    @Override
    public Tensor forward(Map<String, Tensor> params, Tensor x) {
        Args.nonNull(params, "Linear.forward", "params");
        Args.nonNull(x, "Linear.forward", "x");
        if (x.rank() == 0 || x.dim(-1) != in) {
            throw new IllegalArgumentException("Linear(" + in + " → " + out + "): the input has shape " + Arrays.toString(x.shape())
                    + " but its last axis must have size " + in);
        }
        Tensor w = params.get("weight");
        return bias ? Functional.linear(x, w, params.get("bias")) : Functional.linear(x, w);
    }

    @Override
    protected void assign(Map<String, Tensor> params) {
        weight = params.get("weight");
        if (bias) b = params.get("bias");
    }

    /** @return this layer's architecture, {@code new Spec(in, out, hasBias())} */
    @Override
    public Optional<ModuleSpec> spec() {
        return Optional.of(new Spec(in, out, bias));
    }

    /**
     * A Linear layer's architecture: its sizes and whether it has a bias.
     *
     * @param in the number of input features, positive
     * @param out the number of output features, positive
     * @param bias whether the layer adds a bias
     */
    public record Spec(int in, int out, boolean bias) implements ModuleSpec {
        private static final long serialVersionUID = 1L;

        /**
         * Checks the sizes.
         *
         * @param in the number of input features
         * @param out the number of output features
         * @param bias whether the layer adds a bias
         * @throws IllegalArgumentException when a size is not positive
         */
        public Spec {
            if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear.Spec: sizes must be positive, got in=" + in + ", out=" + out);
        }

        /**
         * The layer with the given weights.
         *
         * @param parameters exactly "weight" [out, in] and, with a bias, "bias" [out]
         * @return the layer
         * @throws IllegalArgumentException naming a missing, extra or misshapen parameter
         */
        @Override
        public Linear build(Map<String, Tensor> parameters) {
            Args.nonNull(parameters, "Linear.Spec.build", "parameters");
            Specs.exactly(toString(), bias ? java.util.Set.of("weight", "bias") : java.util.Set.of("weight"), parameters);
            Tensor w = parameters.get("weight");
            if (!Arrays.equals(w.shape(), new int[] {out, in})) {
                throw new IllegalArgumentException(this + ": weight must have shape [" + out + ", " + in + "], got " + Arrays.toString(w.shape()));
            }
            return of(w, bias ? parameters.get("bias") : null);
        }
    }

    /** @return "Linear(in → out)" */
    @Override
    public String toString() {
        return "Linear(" + in + " → " + out + (bias ? "" : ", no bias") + ")";
    }
}
