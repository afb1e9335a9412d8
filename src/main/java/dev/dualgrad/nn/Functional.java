package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * Layers as plain functions of their inputs and weights, for code that holds its own parameters
 * (as PyTorch's {@code torch.nn.functional}). The modules of this package compute through these.
 */
public final class Functional {
    private Functional() {}

    /**
     * y = x·Wᵀ, without a bias.
     *
     * @param x the input, [..., in] (a single sample [in] gives [out])
     * @param weight W, [out, in], read in place (no transposed copy)
     * @return [..., out]
     * @throws IllegalArgumentException when W is not 2-d or x's last axis is not W's second
     */
    public static Tensor linear(Tensor x, Tensor weight) {
        Args.nonNull(x, "Functional.linear", "x");
        Args.nonNull(weight, "Functional.linear", "weight");
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("linear: the weight must be [out, in], got shape " + Arrays.toString(weight.shape()));
        }
        int in = weight.dim(1);
        if (x.rank() == 0 || x.dim(-1) != in) {
            throw new IllegalArgumentException("linear: the input has shape " + Arrays.toString(x.shape()) + " but its last axis must have size "
                    + in + " to match the weight [" + weight.dim(0) + ", " + in + "]");
        }
        return x.rank() == 1 ? x.unsqueeze(0).matmul(weight, false, true).squeeze(0) : x.matmul(weight, false, true);
    }

    /**
     * y = x·Wᵀ + b, as PyTorch's {@code F.linear}: yᵢ = Σⱼ Wᵢⱼ xⱼ + bᵢ on the last axis.
     *
     * @param x the input, [..., in]
     * @param weight W, [out, in]
     * @param bias b, [out]
     * @return [..., out]
     * @throws IllegalArgumentException when the shapes do not match
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Args.nonNull(x, "Functional.linear", "x");
        Args.nonNull(weight, "Functional.linear", "weight");
        Args.nonNull(bias, "Functional.linear", "bias");
        Tensor y = linear(x, weight);
        if (bias.rank() != 1 || bias.dim(0) != weight.dim(0)) {
            throw new IllegalArgumentException("linear: the bias must be [" + weight.dim(0) + "] for a weight of shape "
                    + Arrays.toString(weight.shape()) + ", got " + Arrays.toString(bias.shape()));
        }
        return y.add(bias);
    }
}
