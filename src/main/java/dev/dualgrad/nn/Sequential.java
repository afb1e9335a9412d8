package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Modules applied in order, y = f_{k−1}(… f₁(f₀(x))), as PyTorch's {@code nn.Sequential}. Parameters are
 * named "index.name" after the layer's position ("0.weight", "2.bias"; nested: "1.0.weight"), the names
 * PyTorch's {@code state_dict()} gives them, in layer order.
 */
public class Sequential extends Module {
    private final List<Module> layers;

    /**
     * The layers, applied in the given order.
     *
     * @param layers the modules; none may be null
     * @throws NullPointerException if a layer is null
     */
    public Sequential(Module... layers) {
        this.layers = List.of(Args.nonNullEntries(layers, "Sequential", "layers"));
    }

    /**
     * The layers.
     *
     * @return the layers in order, an unmodifiable list
     */
    public List<Module> layers() {
        return layers;
    }

    /**
     * Every layer's parameters, prefixed with the layer's index.
     *
     * @return "i.name" → tensor, layer by layer in order, each layer's own order within
     */
    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Tensor> e : layers.get(i).parameters().entrySet()) m.put(i + "." + e.getKey(), e.getValue());
        }
        return m;
    }

    /**
     * The layers in order, layer i with the entries of {@code params} named "i.…" (prefix removed).
     *
     * @param params the parameters by their "i.name" names, e.g. from {@code bind(Tensor[])}
     * @param x the input of layer 0
     * @return the output of the last layer (x itself when there are no layers)
     */
    @Override
    public Tensor forward(Map<String, Tensor> params, Tensor x) {
        Args.nonNull(params, "Sequential.forward", "params");
        Args.nonNull(x, "Sequential.forward", "x");
        Tensor y = x;
        for (int i = 0; i < layers.size(); i++) y = layers.get(i).forward(sub(params, i), y);
        return y;
    }

    @Override
    protected void assign(Map<String, Tensor> params) {
        for (int i = 0; i < layers.size(); i++) layers.get(i).assign(sub(params, i));
    }

    /** Passes the mode to every layer. */
    @Override
    protected void setTraining(boolean training) {
        for (Module m : layers) m.setTraining(training);
    }

    private static Map<String, Tensor> sub(Map<String, Tensor> params, int i) {
        String prefix = i + ".";
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            if (e.getKey().startsWith(prefix)) m.put(e.getKey().substring(prefix.length()), e.getValue());
        }
        return m;
    }

    /**
     * The layers' specs, when every layer has one.
     *
     * @return {@code new Spec(each layer's spec)}, or empty when a layer has no spec
     */
    @Override
    public Optional<ModuleSpec> spec() {
        List<ModuleSpec> specs = new ArrayList<>();
        for (Module m : layers) {
            Optional<ModuleSpec> s = m.spec();
            if (s.isEmpty()) return Optional.empty();
            specs.add(s.get());
        }
        return Optional.of(new Spec(specs));
    }

    /**
     * A Sequential's architecture: its layers' specs in order.
     *
     * @param layers the layers' specs (copied into an unmodifiable list); none may be null
     */
    public record Spec(List<ModuleSpec> layers) implements ModuleSpec {
        private static final long serialVersionUID = 1L;

        /**
         * Copies the list.
         *
         * @param layers the layers' specs
         * @throws NullPointerException when layers or one of its entries is null
         */
        public Spec {
            Args.nonNull(layers, "Sequential.Spec", "layers");
            layers = List.copyOf(layers);
        }

        /**
         * The layers built in order, layer i from the parameters named "i.…".
         *
         * @param parameters exactly the network's parameters, by their "i.name" names
         * @return the network
         * @throws IllegalArgumentException naming a missing, extra or misshapen parameter
         */
        @Override
        public Sequential build(Map<String, Tensor> parameters) {
            Args.nonNull(parameters, "Sequential.Spec.build", "parameters");
            Module[] ms = new Module[layers.size()];
            for (int i = 0; i < ms.length; i++) ms[i] = layers.get(i).build(sub(parameters, i));
            Sequential net = new Sequential(ms);
            Specs.exactly("Sequential", net.parameters().keySet(), parameters);
            return net;
        }
    }

    /**
     * The class name and the layers, e.g. {@code Mlp(Linear(64 → 64), tanh, Linear(64 → 10))}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
        for (int i = 0; i < layers.size(); i++) sb.append(i == 0 ? "" : ", ").append(layers.get(i));
        return sb.append(')').toString();
    }
}
