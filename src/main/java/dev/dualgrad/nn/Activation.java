package dev.dualgrad.nn;

import dev.dualgrad.tensor.Tensor;
import java.util.Map;
import java.util.function.UnaryOperator;

/** An elementwise activation as a module without parameters. */
public final class Activation extends Module {
    public static final Activation TANH = new Activation("tanh", Tensor::tanh);
    public static final Activation RELU = new Activation("relu", Tensor::relu);
    public static final Activation SIGMOID = new Activation("sigmoid", Tensor::sigmoid);
    public static final Activation SOFTPLUS = new Activation("softplus", Tensor::softplus);

    private final String name;
    private final UnaryOperator<Tensor> f;

    public Activation(String name, UnaryOperator<Tensor> f) {
        this.name = name;
        this.f = f;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return new java.util.LinkedHashMap<>();
    }

    @Override
    public Tensor forward(Map<String, Tensor> params, Tensor x) {
        return f.apply(x);
    }

    @Override
    protected void assign(Map<String, Tensor> params) {}

    @Override
    public String toString() {
        return name;
    }
}
