package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import java.util.Map;
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

    private final String name;
    private final UnaryOperator<Tensor> f;

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
     * The name.
     *
     * @return the name given at construction, e.g. "tanh"
     */
    @Override
    public String toString() {
        return name;
    }
}
