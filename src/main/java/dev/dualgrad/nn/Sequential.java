package dev.dualgrad.nn;

import dev.dualgrad.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Modules applied in order; parameters are named "index.name" ("0.weight", "2.bias"), as in PyTorch. */
public class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
    }

    public List<Module> layers() {
        return layers;
    }

    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Tensor> e : layers.get(i).parameters().entrySet()) m.put(i + "." + e.getKey(), e.getValue());
        }
        return m;
    }

    @Override
    public Tensor forward(Map<String, Tensor> params, Tensor x) {
        Tensor y = x;
        for (int i = 0; i < layers.size(); i++) y = layers.get(i).forward(sub(params, i), y);
        return y;
    }

    @Override
    protected void assign(Map<String, Tensor> params) {
        for (int i = 0; i < layers.size(); i++) layers.get(i).assign(sub(params, i));
    }

    private static Map<String, Tensor> sub(Map<String, Tensor> params, int i) {
        String prefix = i + ".";
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            if (e.getKey().startsWith(prefix)) m.put(e.getKey().substring(prefix.length()), e.getValue());
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
        for (int i = 0; i < layers.size(); i++) sb.append(i == 0 ? "" : ", ").append(layers.get(i));
        return sb.append(')').toString();
    }
}
