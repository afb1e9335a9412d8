package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Dropout as a module, PyTorch's {@code nn.Dropout}: in training mode (the mode a new module starts
 * in, as PyTorch's) each call draws a new mask from its generator and returns
 * {@link Functional#dropout(Tensor, double, TensorRandom) dropout(x, p, random)}; in evaluation mode
 * ({@link Module#eval()}) it returns x itself. {@code model.eval()} on a {@link Sequential} (or an
 * {@link Mlp}) switches every layer. No parameters.
 *
 * <p>The masks are reproducible: the same seed gives the same sequence of masks. Since every training
 * call draws a new one, a function that calls the module twice (finite differences, {@code Diff.check})
 * sees two masks; check gradients in evaluation mode or with the functional form and a fixed generator.
 * Not safe for use by several threads at once (the generator is not).</p>
 */
public final class Dropout extends Module {
    private final double p;
    private final TensorRandom random;
    private boolean training = true;

    /**
     * A dropout layer.
     *
     * @param p the probability of zeroing an element, in [0, 1]
     * @param random the generator its masks are drawn from, e.g. {@code TensorRandom.seed(42)}
     * @throws IllegalArgumentException when p lies outside [0, 1] or is NaN
     */
    public Dropout(double p, TensorRandom random) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: the probability p must lie in [0, 1], got " + p);
        this.p = p;
        this.random = Args.nonNull(random, "Dropout", "random");
    }

    /**
     * The probability of zeroing an element.
     *
     * @return p
     */
    public double p() { return p; }

    /**
     * Whether the layer is in training mode.
     *
     * @return true after construction and {@link Module#train()}, false after {@link Module#eval()}
     */
    public boolean isTraining() { return training; }

    @Override
    protected void setTraining(boolean training) {
        this.training = training;
    }

    /**
     * No parameters.
     *
     * @return an empty map
     */
    @Override
    public Map<String, Tensor> parameters() {
        return new LinkedHashMap<>();
    }

    /**
     * Dropout in training mode, x itself in evaluation mode.
     *
     * @param params ignored (empty for this module)
     * @param x the input, any shape
     * @return x with elements dropped and the rest scaled by 1/(1 − p), or x
     */
    @Override
    public Tensor forward(Map<String, Tensor> params, Tensor x) {
        Args.nonNull(x, "Dropout.forward", "x");
        return training ? Functional.dropout(x, p, random) : x;
    }

    @Override
    protected void assign(Map<String, Tensor> params) {}

    /**
     * This layer's architecture, its generator's state and its mode, captured now.
     *
     * @return {@code new Spec(p(), a copy of the generator, isTraining())}
     */
    @Override
    public Optional<ModuleSpec> spec() {
        return Optional.of(new Spec(p, random, training));
    }

    /**
     * A Dropout layer's architecture, with the state of its generator and its mode. The spec holds a copy
     * of the generator taken when it was made (and a serialized spec, the state at writing), so a layer
     * rebuilt from it draws exactly the masks the original would have drawn next from that point, and
     * starts in the mode recorded here. Each {@link #build(Map)} starts its own copy at that same point.
     *
     * @param p the probability of zeroing an element, in [0, 1]
     * @param random the generator's state (copied in, and copied out by {@link #random()})
     * @param training whether the rebuilt layer starts in training mode
     */
    public record Spec(double p, TensorRandom random, boolean training) implements ModuleSpec {
        private static final long serialVersionUID = 1L;

        /**
         * Checks p and copies the generator.
         *
         * @param p the probability of zeroing an element
         * @param random the generator, whose current state is copied
         * @param training the mode of the rebuilt layer
         * @throws IllegalArgumentException when p lies outside [0, 1] or is NaN
         */
        public Spec {
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout.Spec: the probability p must lie in [0, 1], got " + p);
            random = Args.nonNull(random, "Dropout.Spec", "random").copy();
        }

        /**
         * The generator's recorded state.
         *
         * @return a new copy at the recorded point of the stream (drawing from it changes nothing here)
         */
        @Override
        public TensorRandom random() { return random.copy(); }

        /**
         * The layer, with a fresh copy of the recorded generator, in the recorded mode.
         *
         * @param parameters an empty map (dropout has no parameters)
         * @return the layer
         * @throws IllegalArgumentException when parameters is not empty
         */
        @Override
        public Dropout build(Map<String, Tensor> parameters) {
            Args.nonNull(parameters, "Dropout.Spec.build", "parameters");
            Specs.exactly("Dropout(p=" + p + ")", java.util.Set.of(), parameters);
            Dropout d = new Dropout(p, random.copy());
            d.training = training;
            return d;
        }
    }

    /** @return "Dropout(p=0.1)" */
    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
