package dev.dualgrad.nn;

/**
 * A multilayer perceptron: Linear layers with an activation between them (none after the last).
 * {@code Mlp.of(64, 128, 128, 10).activation(Activation.TANH).seed(0).build()}.
 */
public final class Mlp extends Sequential {
    private Mlp(Module[] layers) {
        super(layers);
    }

    public static Builder of(int... sizes) {
        return new Builder(sizes);
    }

    public static final class Builder {
        private final int[] sizes;
        private Activation activation = Activation.TANH;
        private long seed;

        private Builder(int[] sizes) {
            if (sizes.length < 2) throw new IllegalArgumentException("Mlp.of: give at least an input and an output size, got " + java.util.Arrays.toString(sizes));
            this.sizes = sizes.clone();
        }

        public Builder activation(Activation a) {
            this.activation = a;
            return this;
        }

        /** Seed of the initial weights; layer i uses seed + i. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Mlp build() {
            int n = sizes.length - 1;
            Module[] layers = new Module[2 * n - 1];
            for (int i = 0; i < n; i++) {
                layers[2 * i] = new Linear(sizes[i], sizes[i + 1], seed + i);
                if (i < n - 1) layers[2 * i + 1] = activation;
            }
            return new Mlp(layers);
        }
    }
}
