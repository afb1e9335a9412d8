package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An elementwise activation as a module without parameters, for use in a {@link Sequential} (or
 * {@link Mlp}). It is as differentiable as the function it applies: the constants below use the tensor
 * ops, which are differentiable in both modes and at any order.
 */
public final class Activation extends Module {
    /** tanh(x); derivative 1 − tanh²(x). As PyTorch's {@code nn.Tanh}. */
    public static final Activation TANH = new Activation("tanh", Tensor::tanh);
    /** relu(x) = max(x, 0); derivative 1 for x &gt; 0 and 0 for x ≤ 0 (0 at x = 0, as PyTorch's {@code nn.ReLU}); NaN stays NaN. */
    public static final Activation RELU = new Activation("relu", Tensor::relu);
    /** sigmoid(x) = 1 / (1 + e^{−x}); derivative sigmoid(x)·(1 − sigmoid(x)). As PyTorch's {@code nn.Sigmoid}. */
    public static final Activation SIGMOID = new Activation("sigmoid", Tensor::sigmoid);
    /**
     * softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^{−|x|}); derivative sigmoid(x). PyTorch's
     * {@code nn.Softplus()} returns x itself above x = 20, where the two differ by less than 2.1e-9.
     */
    public static final Activation SOFTPLUS = new Activation("softplus", Tensor::softplus);

    private static final Activation[] BUILT_IN = {TANH, RELU, SIGMOID, SOFTPLUS};

    private final String name;
    private final transient UnaryOperator<Tensor> f;

    /**
     * A custom activation, e.g. {@code new Activation("swish", x -> x.mul(x.sigmoid()))}. Build f from tensor
     * ops so that it stays differentiable; it should act elementwise (nothing checks that).
     *
     * @param name the name shown by {@link #toString()} (and so in a Sequential's description)
     * @param f the function applied to the whole input
     */
    public Activation(String name, UnaryOperator<Tensor> f) {
        this.name = Args.nonNull(name, "Activation", "name");
        this.f = Args.nonNull(f, "Activation", "f");
    }

    /**
     * No parameters.
     *
     * @return an empty map
     */
    @Override
    public Map<String, Tensor> parameters() {
        return new java.util.LinkedHashMap<>();
    }

    /**
     * f(x); there are no parameters to use.
     *
     * @param params ignored (empty for this module)
     * @param x the input, any shape
     * @return f(x), shaped like x for an elementwise f
     */
    @Override
    public Tensor forward(Map<String, Tensor> params, Tensor x) {
        Args.nonNull(x, name, "x");
        return f.apply(x);
    }

    @Override
    protected void assign(Map<String, Tensor> params) {}

    /**
     * A built-in activation by its name.
     *
     * @param name "tanh", "relu", "sigmoid" or "softplus"
     * @return the constant ({@link #TANH}, …)
     * @throws IllegalArgumentException for any other name
     */
    public static Activation named(String name) {
        Args.nonNull(name, "Activation.named", "name");
        for (Activation a : BUILT_IN) if (a.name.equals(name)) return a;
        throw new IllegalArgumentException("Activation.named: no built-in activation is called \"" + name + "\"; the built-in ones are tanh, relu, sigmoid, softplus");
    }

    /**
     * The spec of a built-in activation, by name; a user's activation function cannot travel, so it has none.
     *
     * @return {@code new Spec(name)} for {@link #TANH}, {@link #RELU}, {@link #SIGMOID} and {@link #SOFTPLUS}, else empty
     */
    @Override
    public Optional<ModuleSpec> spec() {
        for (Activation a : BUILT_IN) if (a == this) return Optional.of(new Spec(name));
        return Optional.empty();
    }

    /**
     * A built-in activation's architecture: its name.
     *
     * @param name "tanh", "relu", "sigmoid" or "softplus"
     */
    public record Spec(String name) implements ModuleSpec {
        private static final long serialVersionUID = 1L;

        /**
         * Checks the name.
         *
         * @param name the activation's name
         * @throws IllegalArgumentException when no built-in activation has that name
         */
        public Spec {
            named(name);
        }

        /**
         * The built-in activation of that name.
         *
         * @param parameters an empty map (an activation has no parameters)
         * @return the constant, as {@link #named(String)}
         * @throws IllegalArgumentException when parameters is not empty
         */
        @Override
        public Activation build(Map<String, Tensor> parameters) {
            Args.nonNull(parameters, "Activation.Spec.build", "parameters");
            Specs.exactly(name, java.util.Set.of(), parameters);
            return named(name);
        }
    }

    /**
     * The name.
     *
     * @return the name given at construction, e.g. "tanh"
     */
    @Override
    public String toString() {
        return name;
    }
}
