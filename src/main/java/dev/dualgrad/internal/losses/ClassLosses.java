package dev.dualgrad.internal.losses;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.losses.ClassLossOptions;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * Cross-entropy and NLL over a class axis, fused on a stable log-softmax (never log(softmax)).
 *
 * <p>Shapes follow PyTorch: scores [N, C] with N targets, [C] with one target, or [N, C, d₁, ...] with
 * N·d₁·... targets in row-major order of [N, d₁, ...]. Internally the class axis is moved last and
 * the rest flattened to M rows.</p>
 *
 * <p>With ŷ = log_softmax(x), weights w (1 if absent), valid rows V (target ≠ ignoreIndex) and
 * smoothing ε over C classes, the per-row loss is
 * ℓₙ = (1 − ε)·(−w_{tₙ} ŷ_{n,tₙ}) + (ε/C)·(−Σ_c w_c ŷ_{n,c}) for n ∈ V, and 0 otherwise; MEAN divides
 * Σℓₙ by Σ_{n∈V} w_{tₙ}. Its gradient is ∂ℓₙ/∂x_{n,c} = w-weighted (softmax_c − target_c), which is
 * why CE and NLL on raw scores have different gradients (see the CrossEntropyVersusNll example).</p>
 */
public final class ClassLosses {
    private ClassLosses() {}

    public static Tensor crossEntropy(Tensor logits, int[] targets, ClassLossOptions o) {
        Rows r = rows("crossEntropy", logits, targets.length);
        return fromLogProbs("crossEntropy", r, r.scores.logSoftmax(-1), targets, o);
    }

    public static Tensor nll(Tensor logProbs, int[] targets, ClassLossOptions o) {
        if (o.labelSmoothing() != 0) throw new IllegalArgumentException("nll: label smoothing applies to crossEntropy, not to nll");
        Rows r = rows("nll", logProbs, targets.length);
        return fromLogProbs("nll", r, r.scores, targets, o);
    }

    /** Soft targets: ℓₙ = −Σ_c w_c p'_{n,c} ŷ_{n,c} with p' = (1 − ε)p + ε/C; MEAN divides by the number of rows. */
    public static Tensor crossEntropy(Tensor logits, Tensor probs, ClassLossOptions o) {
        if (!Arrays.equals(logits.shape(), probs.shape())) {
            throw new IllegalArgumentException("crossEntropy: soft targets must have the logits' shape " + Shape.str(logits.shape())
                    + " but have " + Shape.str(probs.shape()) + "; for integer class labels pass an int[]");
        }
        if (o.hasIgnoreIndex()) {
            throw new IllegalArgumentException("crossEntropy: ignoreIndex applies to integer class targets, not to soft targets (probabilities)");
        }
        Rows r = rows("crossEntropy", logits, -1);
        Rows p = rows("crossEntropy", probs, -1);
        int c = r.classes;
        Tensor lsm = r.scores.logSoftmax(-1);
        Tensor target = o.labelSmoothing() == 0 ? p.scores : p.scores.mul(1 - o.labelSmoothing()).add(o.labelSmoothing() / c);
        Tensor prod = target.mul(lsm);
        if (o.weight() != null) prod = prod.mul(checkWeight("crossEntropy", o.weight(), c));
        Tensor perRow = prod.sum(-1).neg();
        switch (o.reduction()) {
            case MEAN: return perRow.mean();
            case SUM: return perRow.sum();
            default: return perRow.reshape(r.rowShape);
        }
    }

    private static Tensor fromLogProbs(String op, Rows r, Tensor logProbs, int[] targets, ClassLossOptions o) {
        int m = r.count, c = r.classes;
        double[] w = o.weight() == null ? null : Tensors.buffer(checkWeight(op, o.weight(), c));
        int[] safe = new int[m];
        double[] rowWeight = new double[m];
        boolean anyIgnored = false;
        double denominator = 0;
        for (int n = 0; n < m; n++) {
            int t = targets[n];
            if (t == o.ignoreIndex()) {
                anyIgnored = true;
                continue;
            }
            if (t < 0 || t >= c) {
                throw new IllegalArgumentException(op + ": target[" + n + "] = " + t + " is out of range for " + c + " classes (scores shape "
                        + Shape.str(r.original) + "); class indices must lie in [0, " + c + ")"
                        + " or equal ignoreIndex (" + o.ignoreIndex() + ")");
            }
            safe[n] = t;
            rowWeight[n] = w == null ? 1 : w[t];
            denominator += rowWeight[n];
        }
        Tensor picked = logProbs.pick(safe).neg(); // −ŷ_{n,tₙ}
        Tensor loss = w == null && !anyIgnored ? picked : picked.mul(Tensors.adopt(rowWeight, m));
        if (o.labelSmoothing() > 0) {
            Tensor all = w == null ? logProbs : logProbs.mul(Tensors.adopt(w.clone(), c));
            Tensor smooth = all.sum(-1).neg();
            loss = loss.mul(1 - o.labelSmoothing()).add(smooth.mul(o.labelSmoothing() / c));
        }
        if (anyIgnored) {
            double[] valid = new double[m];
            for (int n = 0; n < m; n++) valid[n] = targets[n] == o.ignoreIndex() ? 0 : 1;
            loss = Tensor.where(Tensors.adopt(valid, m), loss, Tensor.scalar(0)); // exactly 0, even where ŷ is −∞
        }
        switch (o.reduction()) {
            case MEAN: return loss.sum().div(denominator); // 0/0 = NaN when every target is ignored, as in PyTorch
            case SUM: return loss.sum();
            default: return loss.reshape(r.rowShape);
        }
    }

    private static Tensor checkWeight(String op, Tensor w, int c) {
        if (w.size() != c) throw new IllegalArgumentException(op + ": class weights have shape " + Shape.str(w.shape()) + " but there are " + c + " classes");
        return w;
    }

    /** Scores as [M, C] rows, with the shape of the per-row result. */
    private record Rows(Tensor scores, int count, int classes, int[] rowShape, int[] original) {}

    private static Rows rows(String op, Tensor x, int targets) {
        int[] s = x.shape();
        if (s.length == 0) throw new IllegalArgumentException(op + ": scores must have a class axis, got a scalar");
        Tensor t;
        int[] rowShape;
        if (s.length == 1) {
            t = x.unsqueeze(0);
            rowShape = new int[0];
        } else if (s.length == 2) {
            t = x;
            rowShape = new int[] {s[0]};
        } else {
            int[] perm = new int[s.length];
            perm[0] = 0;
            for (int i = 2; i < s.length; i++) perm[i - 1] = i;
            perm[s.length - 1] = 1;
            t = x.permute(perm).reshape(-1, s[1]);
            rowShape = new int[s.length - 1];
            rowShape[0] = s[0];
            System.arraycopy(s, 2, rowShape, 1, s.length - 2);
        }
        int count = t.dim(0), classes = t.dim(1);
        if (targets >= 0 && targets != count) {
            throw new IllegalArgumentException(op + ": " + targets + " targets for scores of shape " + Shape.str(s) + ", which need " + count
                    + (s.length == 1 ? " (unbatched [C] scores take one target)" : s.length == 2 ? " (one per row)" : " (one per position of [N, d...], row-major)"));
        }
        return new Rows(t, count, classes, rowShape, s);
    }
}
