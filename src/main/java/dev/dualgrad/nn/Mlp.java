package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * A multilayer perceptron: Linear layers with an activation between them (none after the last),
 * y = L_n(σ(… σ(L_1(x)))). Built in two steps, an architecture and then its parameters:
 *
 * <pre>{@code
 * Mlp net = Mlp.of(64, 128, 10).activation(Activation.TANH).seed(0).build();   // PyTorch's initialisation
 * Mlp same = Mlp.of(64, 128, 10).activation(Activation.TANH).build(net.parameters()); // given weights
 * }</pre>
 *
 * <p>The parameters are named as in PyTorch's {@code nn.Sequential}: "0.weight", "0.bias", "2.weight",
 * … (the activations, at odd positions, have none). The architecture ({@link Builder}) is a value
 * separate from the parameters, so a model can be rebuilt from a description and a snapshot of its
 * parameters.</p>
 */
public final class Mlp extends Sequential {
    private final Builder architecture;

    private Mlp(Builder architecture, Module[] layers) {
        super(layers);
        this.architecture = architecture;
    }

    /**
     * The architecture of an MLP with the given layer sizes.
     *
     * @param sizes the input size, the hidden sizes, then the output size: at least two, all positive
     * @return the architecture, with activation tanh and seed 0 until set
     * @throws IllegalArgumentException when fewer than two sizes are given or one is not positive
     */
    public static Builder of(int... sizes) {
        Args.nonNull(sizes, "Mlp.of", "sizes");
        return new Builder(sizes, Activation.TANH, 0);
    }

    /** @return the architecture this network was built from */
    public Builder architecture() {
        return architecture;
    }

    /**
     * The architecture, {@link #architecture()}, when its activation is a built-in one (a user's activation
     * function cannot travel by name).
     *
     * @return the architecture, or empty for an MLP with a user's activation
     */
    @Override
    public java.util.Optional<ModuleSpec> spec() {
        return architecture.activation.spec().isPresent() ? java.util.Optional.of(architecture) : java.util.Optional.empty();
    }

    /**
     * An MLP's architecture: its layer sizes and activation, plus the seed of a fresh initialisation.
     * Immutable: each setter returns a new value. It is the MLP's {@link ModuleSpec}: serializable when its
     * activation is a built-in one, and {@link #build(Map)} rebuilds the network from a snapshot's parameters.
     */
    public static final class Builder implements ModuleSpec {
        private static final long serialVersionUID = 1L;
        private final int[] sizes;
        private final Activation activation;
        private final long seed;

        private Builder(int[] sizes, Activation activation, long seed) {
            if (sizes.length < 2) throw new IllegalArgumentException("Mlp.of: give at least an input and an output size, got " + Arrays.toString(sizes));
            for (int s : sizes) {
                if (s <= 0) throw new IllegalArgumentException("Mlp.of: layer sizes must be positive, got " + Arrays.toString(sizes));
            }
            if (activation == null) throw new IllegalArgumentException("Mlp.activation: a is null (the activation must not be null)");
            this.sizes = sizes.clone();
            this.activation = activation;
            this.seed = seed;
        }

        /**
         * The activation between layers.
         *
         * @param a the activation, applied after every layer but the last
         * @return the architecture with that activation
         */
        public Builder activation(Activation a) {
            Args.nonNull(a, "Mlp.activation", "a");
            return new Builder(sizes, a, seed);
        }

        /**
         * The seed of a fresh initialisation: layer i is {@code new Linear(in, out, seed + i)}.
         *
         * @param s the seed
         * @return the architecture with that seed
         */
        public Builder seed(long s) {
            return new Builder(sizes, activation, s);
        }

        /** @return the layer sizes, input first (a copy) */
        public int[] sizes() {
            return sizes.clone();
        }

        /** @return the activation between layers */
        public Activation activation() {
            return activation;
        }

        /**
         * A network with freshly initialised weights (PyTorch's default initialisation, from the seed).
         *
         * @return the network
         */
        public Mlp build() {
            int n = sizes.length - 1;
            Module[] layers = new Module[2 * n - 1];
            for (int i = 0; i < n; i++) {
                layers[2 * i] = new Linear(sizes[i], sizes[i + 1], seed + i);
                if (i < n - 1) layers[2 * i + 1] = activation;
            }
            return new Mlp(this, layers);
        }

        /**
         * A network with the given weights, named as {@link Mlp#parameters()} names them ("0.weight" [s₁, s₀],
         * "0.bias" [s₁], "2.weight" [s₂, s₁], …). The tensors are taken as constants.
         *
         * @param parameters exactly the network's parameters, by name
         * @return the network
         * @throws IllegalArgumentException naming the first missing, extra or misshapen parameter
         */
        public Mlp build(Map<String, Tensor> parameters) {
            Args.nonNull(parameters, "Mlp.build", "parameters");
            Mlp net = build();
            Specs.exactly("Mlp" + Arrays.toString(sizes), net.parameters().keySet(), parameters);
            net.setParameters(parameters);
            return net;
        }

        /** A stream is untrusted: the constructor's checks again. */
        private Object readResolve() throws java.io.ObjectStreamException {
            try {
                return new Builder(sizes, activation, seed);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new java.io.InvalidObjectException(e.getMessage());
            }
        }

        /** @return e.g. "Mlp[64, 128, 10], tanh" */
        @Override
        public String toString() {
            return "Mlp" + Arrays.toString(sizes) + ", " + activation;
        }
    }
}
