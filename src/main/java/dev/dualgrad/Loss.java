package dev.dualgrad;

import dev.dualgrad.internal.losses.BinaryLosses;
import dev.dualgrad.losses.ClassLossOptions;
import dev.dualgrad.internal.losses.ClassLosses;
import dev.dualgrad.losses.Reduction;
import dev.dualgrad.tensor.Tensor;

/**
 * Losses, fused and numerically stable, differentiable in both modes and at any order. Integer class
 * targets are plain {@code int[]}: the type system keeps them out of differentiation.
 *
 * <ul>
 *   <li>crossEntropy(x, t) = mean over rows of −log_softmax(x)[n, tₙ]; gradient (softmax(x) − onehot(t)) / N.</li>
 *   <li>nll(ŷ, t) = mean of −ŷ[n, tₙ] on log-probabilities ŷ.</li>
 *   <li>bce(p, y), bceWithLogits(z, y), mse(x, y): see {@link BinaryLosses}.</li>
 * </ul>
 * Logits of ±1e4 give finite values and finite derivatives.
 */
public final class Loss {
    private Loss() {}

    /** Mean cross-entropy of logits [N, C] (or [C], or [N, C, d...]) against integer class targets. */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        return ClassLosses.crossEntropy(logits, targets, ClassLossOptions.defaults());
    }

    /** Cross-entropy with options: reduction, class weights, ignore index, label smoothing (PyTorch's semantics). */
    public static Tensor crossEntropy(Tensor logits, int[] targets, ClassLossOptions options) {
        return ClassLosses.crossEntropy(logits, targets, options);
    }

    /** Mean cross-entropy against soft targets: probabilities shaped like the logits. Differentiable in both. */
    public static Tensor crossEntropy(Tensor logits, Tensor targetProbabilities) {
        return ClassLosses.crossEntropy(logits, targetProbabilities, ClassLossOptions.defaults());
    }

    public static Tensor crossEntropy(Tensor logits, Tensor targetProbabilities, ClassLossOptions options) {
        return ClassLosses.crossEntropy(logits, targetProbabilities, options);
    }

    /** Mean negative log-likelihood of log-probabilities [N, C] at integer targets. */
    public static Tensor nll(Tensor logProbabilities, int[] targets) {
        return ClassLosses.nll(logProbabilities, targets, ClassLossOptions.defaults());
    }

    public static Tensor nll(Tensor logProbabilities, int[] targets, ClassLossOptions options) {
        return ClassLosses.nll(logProbabilities, targets, options);
    }

    /** Mean binary cross-entropy of probabilities p ∈ [0, 1] against targets y (same shape). */
    public static Tensor bce(Tensor p, Tensor y) {
        return BinaryLosses.bce(p, y, null, Reduction.MEAN);
    }

    public static Tensor bce(Tensor p, Tensor y, Reduction reduction) {
        return BinaryLosses.bce(p, y, null, reduction);
    }

    public static Tensor bce(Tensor p, Tensor y, Tensor weight, Reduction reduction) {
        return BinaryLosses.bce(p, y, weight, reduction);
    }

    /** Mean binary cross-entropy of logits z against targets y (same shape), stable for any z. */
    public static Tensor bceWithLogits(Tensor z, Tensor y) {
        return BinaryLosses.bceWithLogits(z, y, null, null, Reduction.MEAN);
    }

    public static Tensor bceWithLogits(Tensor z, Tensor y, Reduction reduction) {
        return BinaryLosses.bceWithLogits(z, y, null, null, reduction);
    }

    /** With per-element weight and per-class pos_weight (broadcast over the last axis), as PyTorch. */
    public static Tensor bceWithLogits(Tensor z, Tensor y, Tensor weight, Tensor posWeight, Reduction reduction) {
        return BinaryLosses.bceWithLogits(z, y, weight, posWeight, reduction);
    }

    /** Mean squared error; shapes must match. */
    public static Tensor mse(Tensor x, Tensor y) {
        return BinaryLosses.mse(x, y, Reduction.MEAN);
    }

    public static Tensor mse(Tensor x, Tensor y, Reduction reduction) {
        return BinaryLosses.mse(x, y, reduction);
    }
}
