package dev.dualgrad;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.losses.BinaryLosses;
import dev.dualgrad.losses.ClassLossOptions;
import dev.dualgrad.internal.losses.ClassLosses;
import dev.dualgrad.losses.Reduction;
import dev.dualgrad.tensor.Tensor;

/**
 * Losses with PyTorch's definitions, fused and numerically stable, differentiable in both modes and at
 * any order (the derivatives are those of the formulas below). Integer class targets are plain
 * {@code int[]}: the type system keeps them out of differentiation, so
 * {@code Diff.jacobian(z -> Loss.crossEntropy(z, targets), logits)} needs no wrapper.
 *
 * <table>
 *   <caption>The losses, per element or row, before the reduction</caption>
 *   <tr><th>loss</th><th>ℓ</th><th>PyTorch</th></tr>
 *   <tr><td>{@link #crossEntropy(Tensor, int[]) crossEntropy}</td><td>−log softmax(x)_t = −x_t + log Σ_c e^{x_c}</td>
 *       <td>{@code F.cross_entropy}</td></tr>
 *   <tr><td>{@link #crossEntropy(Tensor, Tensor) crossEntropy}, soft targets</td><td>−Σ_c p_c log softmax(x)_c</td>
 *       <td>{@code F.cross_entropy} with probabilities</td></tr>
 *   <tr><td>{@link #nll(Tensor, int[]) nll}</td><td>−ŷ_t on log-probabilities ŷ</td><td>{@code F.nll_loss}</td></tr>
 *   <tr><td>{@link #bce(Tensor, Tensor) bce}</td><td>−(y·max(ln p, −100) + (1 − y)·max(ln(1 − p), −100))</td>
 *       <td>{@code F.binary_cross_entropy}</td></tr>
 *   <tr><td>{@link #bceWithLogits(Tensor, Tensor) bceWithLogits}</td><td>softplus(z) − y·z</td>
 *       <td>{@code F.binary_cross_entropy_with_logits}</td></tr>
 *   <tr><td>{@link #mse(Tensor, Tensor) mse}</td><td>(x − y)²</td><td>{@code F.mse_loss}</td></tr>
 * </table>
 *
 * <p>The default reduction is the mean, as in PyTorch; see {@link Reduction} and, for the class losses'
 * weights, ignored targets and label smoothing, {@link ClassLossOptions}. The class losses take scores
 * [N, C] with N targets, [C] with one target, or [N, C, d₁, …] with N·d₁·… targets in row-major order of
 * [N, d₁, …] (PyTorch's K-dimensional case). The elementwise losses take any shape, but input and target
 * shapes must match exactly (broadcasting them would silently pair every input with every target).</p>
 *
 * <p>Cross-entropy is computed on a stable log-softmax (never log(softmax)): logits of ±1e4 give finite
 * values and finite derivatives. The gradient of the mean cross-entropy is
 * ∂/∂x_{n,c} = (softmax(xₙ)_c − [c = tₙ]) / N.</p>
 */
public final class Loss {
    private Loss() {}

    /**
     * The mean cross-entropy of logits against integer class targets:
     * L = (1/N)·Σₙ −log softmax(xₙ)_{tₙ} = (1/N)·Σₙ (log Σ_c e^{x_{n,c}} − x_{n,tₙ}). Its gradient is
     * ∂L/∂x_{n,c} = (softmax(xₙ)_c − [c = tₙ]) / N. As PyTorch's {@code F.cross_entropy(x, t)}.
     *
     * @param logits raw scores [N, C], [C], or [N, C, d₁, …]
     * @param targets class indices in [0, C): N of them for [N, C], one for [C], N·d₁·… for [N, C, d₁, …];
     *     a target equal to {@link ClassLossOptions#DEFAULT_IGNORE_INDEX} (−100) is ignored, as in PyTorch
     * @return L, a 0-d tensor
     * @throws IllegalArgumentException if logits is a scalar, the number of targets does not fit the shape,
     *     or a target lies outside [0, C)
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        Args.nonNull(logits, "Loss.crossEntropy", "logits");
        Args.nonNull(targets, "Loss.crossEntropy", "targets");
        return ClassLosses.crossEntropy(logits, targets, ClassLossOptions.defaults());
    }

    /**
     * Cross-entropy against integer class targets with options, PyTorch's semantics: per row
     * ℓₙ = (1 − ε)·(−w_{tₙ} ŷ_{n,tₙ}) + (ε/C)·(−Σ_c w_c ŷ_{n,c}) with ŷ = log_softmax(xₙ), 0 for ignored rows;
     * MEAN is Σₙ ℓₙ / Σₙ w_{tₙ} over the rows not ignored. See {@link ClassLossOptions}.
     *
     * @param logits raw scores [N, C], [C], or [N, C, d₁, …]
     * @param targets class indices in [0, C) or equal to the ignore index, as many as
     *     {@link #crossEntropy(Tensor, int[])} takes
     * @param options reduction, class weights [C], ignore index, label smoothing ε
     * @return a 0-d tensor for MEAN and SUM; for NONE the ℓₙ, shaped [N], [] or [N, d₁, …]
     * @throws IllegalArgumentException if logits is a scalar, the number of targets does not fit the shape,
     *     a target is neither in [0, C) nor the ignore index, or the weights do not have C elements
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, ClassLossOptions options) {
        Args.nonNull(logits, "Loss.crossEntropy", "logits");
        Args.nonNull(targets, "Loss.crossEntropy", "targets");
        Args.nonNull(options, "Loss.crossEntropy", "options");
        return ClassLosses.crossEntropy(logits, targets, options);
    }

    /**
     * The mean cross-entropy against soft targets (class probabilities):
     * L = (1/N)·Σₙ −Σ_c p_{n,c} log softmax(xₙ)_c, differentiable in both arguments:
     * ∂L/∂x_{n,c} = (softmax(xₙ)_c·Σ_k p_{n,k} − p_{n,c}) / N, which is (softmax(xₙ) − pₙ)_c / N when each row
     * of p sums to 1, and ∂L/∂p_{n,c} = −log softmax(xₙ)_c / N. As PyTorch's {@code F.cross_entropy} with
     * probability targets. The rows of p are not checked to be distributions.
     *
     * @param logits raw scores [N, C], [C], or [N, C, d₁, …]
     * @param targetProbabilities p, shaped like the logits
     * @return L, a 0-d tensor
     * @throws IllegalArgumentException if the shapes differ or logits is a scalar
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targetProbabilities) {
        Args.nonNull(logits, "Loss.crossEntropy", "logits");
        Args.nonNull(targetProbabilities, "Loss.crossEntropy", "targetProbabilities");
        return ClassLosses.crossEntropy(logits, targetProbabilities, ClassLossOptions.defaults());
    }

    /**
     * Cross-entropy against soft targets with options: per row ℓₙ = −Σ_c w_c p'_{n,c} log softmax(xₙ)_c with
     * p' = (1 − ε)p + ε/C; MEAN divides Σₙ ℓₙ by the number of rows (not by the weights), as PyTorch does for
     * probability targets.
     *
     * @param logits raw scores [N, C], [C], or [N, C, d₁, …]
     * @param targetProbabilities p, shaped like the logits
     * @param options reduction, class weights [C], label smoothing ε; not an ignore index
     * @return a 0-d tensor for MEAN and SUM; for NONE the ℓₙ, shaped [N], [] or [N, d₁, …]
     * @throws IllegalArgumentException if the shapes differ, the options set an ignore index, or the weights
     *     do not have C elements
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targetProbabilities, ClassLossOptions options) {
        Args.nonNull(logits, "Loss.crossEntropy", "logits");
        Args.nonNull(targetProbabilities, "Loss.crossEntropy", "targetProbabilities");
        Args.nonNull(options, "Loss.crossEntropy", "options");
        return ClassLosses.crossEntropy(logits, targetProbabilities, options);
    }

    /**
     * The mean negative log-likelihood of log-probabilities at integer targets: L = (1/N)·Σₙ −ŷ_{n,tₙ}. Its
     * gradient is −[c = tₙ] / N: only the target entries get one, so on raw scores (not log-probabilities)
     * NLL ignores every other class and is unbounded below. {@code nll(x.logSoftmax(1), t)} equals
     * {@code crossEntropy(x, t)}. As PyTorch's {@code F.nll_loss}.
     *
     * @param logProbabilities ŷ = log-probabilities, [N, C], [C], or [N, C, d₁, …]
     * @param targets class indices in [0, C), as many as {@link #crossEntropy(Tensor, int[])} takes; −100 is
     *     ignored
     * @return L, a 0-d tensor
     * @throws IllegalArgumentException if the input is a scalar, the number of targets does not fit the shape,
     *     or a target lies outside [0, C)
     */
    public static Tensor nll(Tensor logProbabilities, int[] targets) {
        Args.nonNull(logProbabilities, "Loss.nll", "logProbabilities");
        Args.nonNull(targets, "Loss.nll", "targets");
        return ClassLosses.nll(logProbabilities, targets, ClassLossOptions.defaults());
    }

    /**
     * Negative log-likelihood with options: ℓₙ = −w_{tₙ} ŷ_{n,tₙ}, 0 for ignored rows; MEAN is
     * Σₙ ℓₙ / Σₙ w_{tₙ} over the rows not ignored. Label smoothing is not defined for NLL.
     *
     * @param logProbabilities ŷ = log-probabilities, [N, C], [C], or [N, C, d₁, …]
     * @param targets class indices in [0, C) or equal to the ignore index
     * @param options reduction, class weights [C], ignore index; label smoothing must be 0
     * @return a 0-d tensor for MEAN and SUM; for NONE the ℓₙ, shaped [N], [] or [N, d₁, …]
     * @throws IllegalArgumentException if label smoothing is set, the input is a scalar, the number of targets
     *     does not fit the shape, a target is neither in [0, C) nor the ignore index, or the weights do not
     *     have C elements
     */
    public static Tensor nll(Tensor logProbabilities, int[] targets, ClassLossOptions options) {
        Args.nonNull(logProbabilities, "Loss.nll", "logProbabilities");
        Args.nonNull(targets, "Loss.nll", "targets");
        Args.nonNull(options, "Loss.nll", "options");
        return ClassLosses.nll(logProbabilities, targets, options);
    }

    /**
     * The mean binary cross-entropy of probabilities against targets:
     * ℓ = −(y·max(ln p, −100) + (1 − y)·max(ln(1 − p), −100)), L = mean ℓ. The clamp at −100 is PyTorch's, so
     * p = 0 or 1 gives a finite loss. ∂ℓ/∂p = (p − y) / (p(1 − p)) where neither log is clamped, and the
     * clamped term contributes 0 (PyTorch's own backward divides by max(p(1 − p), 1e-12) instead, so the two
     * differ only there). Differentiable in y too. As PyTorch's {@code F.binary_cross_entropy}.
     *
     * @param p probabilities in [0, 1], any shape
     * @param y targets, shaped like p (usually 0 or 1; values in [0, 1] are allowed)
     * @return L, a 0-d tensor
     * @throws IllegalArgumentException if the shapes differ or an element of p lies outside [0, 1] (for raw
     *     scores use {@link #bceWithLogits(Tensor, Tensor)})
     */
    public static Tensor bce(Tensor p, Tensor y) {
        Args.nonNull(p, "Loss.bce", "p");
        Args.nonNull(y, "Loss.bce", "y");
        return BinaryLosses.bce(p, y, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy with a reduction: the ℓ of {@link #bce(Tensor, Tensor)}, combined by {@code reduction}.
     *
     * @param p probabilities in [0, 1], any shape
     * @param y targets, shaped like p
     * @param reduction MEAN (over all elements), SUM, or NONE (ℓ shaped like p)
     * @return the reduced loss: 0-d for MEAN and SUM, shaped like p for NONE
     * @throws IllegalArgumentException if the shapes differ or an element of p lies outside [0, 1]
     */
    public static Tensor bce(Tensor p, Tensor y, Reduction reduction) {
        Args.nonNull(p, "Loss.bce", "p");
        Args.nonNull(y, "Loss.bce", "y");
        Args.nonNull(reduction, "Loss.bce", "reduction");
        return BinaryLosses.bce(p, y, null, reduction);
    }

    /**
     * Binary cross-entropy with per-element weights: w·ℓ, combined by {@code reduction}; MEAN is the plain
     * mean of w·ℓ over all elements (not divided by Σw), as PyTorch's {@code weight}.
     *
     * @param p probabilities in [0, 1], any shape
     * @param y targets, shaped like p
     * @param weight w, broadcastable to p's shape, or null for none; differentiable like any input
     * @param reduction MEAN, SUM, or NONE
     * @return the reduced loss: 0-d for MEAN and SUM, shaped like p for NONE
     * @throws IllegalArgumentException if the shapes of p and y differ, the weight does not broadcast to p's
     *     shape, or an element of p lies outside [0, 1]
     */
    public static Tensor bce(Tensor p, Tensor y, Tensor weight, Reduction reduction) {
        Args.nonNull(p, "Loss.bce", "p");
        Args.nonNull(y, "Loss.bce", "y");
        Args.nonNull(reduction, "Loss.bce", "reduction");
        return BinaryLosses.bce(p, y, weight, reduction);
    }

    /**
     * The mean binary cross-entropy of logits against targets, ℓ = softplus(z) − y·z (which equals
     * bce(sigmoid(z), y) without the clamp), computed as max(z, 0) − y·z + log(1 + e^{−|z|}) so that it is
     * finite for any finite z. ∂ℓ/∂z = sigmoid(z) − y. As PyTorch's {@code F.binary_cross_entropy_with_logits},
     * and more stable than bce on sigmoid outputs.
     *
     * @param z logits, any shape
     * @param y targets, shaped like z
     * @return L = mean ℓ, a 0-d tensor
     * @throws IllegalArgumentException if the shapes differ
     */
    public static Tensor bceWithLogits(Tensor z, Tensor y) {
        Args.nonNull(z, "Loss.bceWithLogits", "z");
        Args.nonNull(y, "Loss.bceWithLogits", "y");
        return BinaryLosses.bceWithLogits(z, y, null, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy of logits with a reduction: the ℓ of {@link #bceWithLogits(Tensor, Tensor)},
     * combined by {@code reduction}.
     *
     * @param z logits, any shape
     * @param y targets, shaped like z
     * @param reduction MEAN (over all elements), SUM, or NONE (ℓ shaped like z)
     * @return the reduced loss: 0-d for MEAN and SUM, shaped like z for NONE
     * @throws IllegalArgumentException if the shapes differ
     */
    public static Tensor bceWithLogits(Tensor z, Tensor y, Reduction reduction) {
        Args.nonNull(z, "Loss.bceWithLogits", "z");
        Args.nonNull(y, "Loss.bceWithLogits", "y");
        Args.nonNull(reduction, "Loss.bceWithLogits", "reduction");
        return BinaryLosses.bceWithLogits(z, y, null, null, reduction);
    }

    /**
     * Binary cross-entropy of logits with per-element weights w and positive-class weights q, as PyTorch's
     * {@code weight} and {@code pos_weight}: ℓ = w·((1 − y)·softplus(z) + q·y·softplus(−z)), which is
     * w·(softplus(z) − y·z) for q = 1; ∂ℓ/∂z = w·((1 − y)·sigmoid(z) − q·y·sigmoid(−z)). A q of shape [C]
     * broadcasts over the last axis of [N, C], one weight per class. MEAN is the plain mean over all elements.
     *
     * @param z logits, any shape
     * @param y targets, shaped like z
     * @param weight w, broadcastable to z's shape, or null for none
     * @param posWeight q, broadcastable to z's shape (e.g. [C] for z [N, C]), or null for none
     * @param reduction MEAN, SUM, or NONE
     * @return the reduced loss: 0-d for MEAN and SUM, shaped like z for NONE
     * @throws IllegalArgumentException if the shapes of z and y differ or a weight does not broadcast to z's shape
     */
    public static Tensor bceWithLogits(Tensor z, Tensor y, Tensor weight, Tensor posWeight, Reduction reduction) {
        Args.nonNull(z, "Loss.bceWithLogits", "z");
        Args.nonNull(y, "Loss.bceWithLogits", "y");
        Args.nonNull(reduction, "Loss.bceWithLogits", "reduction");
        return BinaryLosses.bceWithLogits(z, y, weight, posWeight, reduction);
    }

    /**
     * The mean squared error L = (1/K)·Σ_k (x_k − y_k)² over all K elements; ∂L/∂x = 2(x − y)/K. As PyTorch's
     * {@code F.mse_loss}, except that the shapes must match: PyTorch broadcasts different shapes (with a
     * warning), which pairs every input with every target.
     *
     * @param x inputs, any shape
     * @param y targets, shaped like x
     * @return L, a 0-d tensor
     * @throws IllegalArgumentException if the shapes differ
     */
    public static Tensor mse(Tensor x, Tensor y) {
        Args.nonNull(x, "Loss.mse", "x");
        Args.nonNull(y, "Loss.mse", "y");
        return BinaryLosses.mse(x, y, Reduction.MEAN);
    }

    /**
     * Squared error (x − y)², combined by {@code reduction}.
     *
     * @param x inputs, any shape
     * @param y targets, shaped like x
     * @param reduction MEAN (over all elements), SUM, or NONE (shaped like x)
     * @return the reduced loss: 0-d for MEAN and SUM, shaped like x for NONE
     * @throws IllegalArgumentException if the shapes differ
     */
    public static Tensor mse(Tensor x, Tensor y, Reduction reduction) {
        Args.nonNull(x, "Loss.mse", "x");
        Args.nonNull(y, "Loss.mse", "y");
        Args.nonNull(reduction, "Loss.mse", "reduction");
        return BinaryLosses.mse(x, y, reduction);
    }
}
