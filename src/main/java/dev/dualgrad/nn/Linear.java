package dev.dualgrad.nn;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * y = x·Wᵀ + b, with W [out, in] and b [out], as PyTorch's nn.Linear. Initialised as PyTorch does by
 * default (kaiming_uniform with a = √5): W and b uniform in (−1/√in, 1/√in), here from a seed.
 * Input [..., in], output [..., out].
 */
public final class Linear extends Module {
    private final int in, out;
    private final boolean bias;
    private Tensor weight, b;

    public Linear(int in, int out, long seed) {
        this(in, out, true, seed);
    }

    public Linear(int in, int out, boolean bias, long seed) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + ", out=" + out);
        this.in = in;
        this.out = out;
        this.bias = bias;
        double bound = 1 / Math.sqrt(in);
        this.weight = TensorRandom.seed(seed).uniform(-bound, bound, out, in);
        this.b = bias ? TensorRandom.seed(seed ^ 0x9E3779B97F4A7C15L).uniform(-bound, bound, out) : null;
    }

    public int inFeatures() { return in; }
    public int outFeatures() { return out; }

    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("weight", weight);
        if (bias) m.put("bias", b);
        return m;
    }

    @Override
    public Tensor forward(Map<String, Tensor> params, Tensor x) {
        if (x.rank() == 0 || x.dim(-1) != in) {
            throw new IllegalArgumentException("Linear(" + in + " → " + out + "): the input has shape " + java.util.Arrays.toString(x.shape())
                    + " but its last axis must have size " + in);
        }
        // x·Wᵀ with W read in place (no transposed copy); a single sample [in] goes through as [1, in].
        Tensor w = params.get("weight");
        Tensor y = x.rank() == 1 ? x.unsqueeze(0).matmul(w, false, true).squeeze(0) : x.matmul(w, false, true);
        return bias ? y.add(params.get("bias")) : y;
    }

    @Override
    protected void assign(Map<String, Tensor> params) {
        weight = params.get("weight");
        if (bias) b = params.get("bias");
    }

    @Override
    public String toString() {
        return "Linear(" + in + " → " + out + (bias ? "" : ", no bias") + ")";
    }
}
