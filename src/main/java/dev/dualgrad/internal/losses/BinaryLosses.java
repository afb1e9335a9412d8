package dev.dualgrad.internal.losses;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.losses.Reduction;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * Elementwise losses: binary cross-entropy on probabilities and on logits, and mean squared error.
 *
 * <pre>
 *   bce            ℓ = −w·( y·max(ln p, −100) + (1 − y)·max(ln(1 − p), −100) )     (the clamp is PyTorch's)
 *   bceWithLogits  ℓ = w·( (1 − y)·softplus(z) + q·y·softplus(−z) ),  q = pos_weight (1 if absent)
 *                    = w·( softplus(z) − y·z ) when q = 1; finite for any finite z
 *   mse            ℓ = (x − y)²
 * </pre>
 * The derivatives are those of these formulas: bce's clamp makes ∂ℓ/∂p zero where ln p &lt; −100
 * (PyTorch's own backward instead divides by max(p(1 − p), 1e-12)), so the reverse pass agrees with
 * finite differences of the value.
 */
public final class BinaryLosses {
    private BinaryLosses() {}

    public static Tensor bce(Tensor p, Tensor y, Tensor weight, Reduction r) {
        sameShape("bce", p, y);
        double[] d = Tensors.buffer(p);
        for (int i = 0; i < d.length; i++) {
            if (d[i] < 0 || d[i] > 1) {
                throw new IllegalArgumentException("bce: input element " + i + " is " + d[i] + ", but bce takes probabilities in [0, 1];"
                        + " for raw scores (logits) use bceWithLogits, which is also more stable");
            }
        }
        Tensor one = Tensor.scalar(1);
        Tensor logP = p.log().clamp(-100, Double.POSITIVE_INFINITY);
        Tensor log1mP = one.sub(p).log().clamp(-100, Double.POSITIVE_INFINITY);
        Tensor loss = y.mul(logP).add(one.sub(y).mul(log1mP)).neg();
        if (weight != null) loss = loss.mul(broadcastable("bce", weight, p));
        return r.apply(loss);
    }

    public static Tensor bceWithLogits(Tensor z, Tensor y, Tensor weight, Tensor posWeight, Reduction r) {
        sameShape("bceWithLogits", z, y);
        Tensor loss;
        if (posWeight == null) {
            loss = z.softplus().sub(y.mul(z));
        } else {
            Tensor q = broadcastable("bceWithLogits (posWeight)", posWeight, z);
            loss = Tensor.scalar(1).sub(y).mul(z.softplus()).add(q.mul(y).mul(z.neg().softplus()));
        }
        if (weight != null) loss = loss.mul(broadcastable("bceWithLogits", weight, z));
        return r.apply(loss);
    }

    public static Tensor mse(Tensor x, Tensor y, Reduction r) {
        sameShape("mse", x, y);
        return r.apply(x.sub(y).square());
    }

    private static void sameShape(String op, Tensor x, Tensor y) {
        if (!Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException(op + ": the input has shape " + Shape.str(x.shape()) + " but the target has shape "
                    + Shape.str(y.shape()) + "; they must match (broadcasting them would silently pair every input with every target)."
                    + " Reshape one of them, e.g. with squeeze or flatten.");
        }
    }

    private static Tensor broadcastable(String op, Tensor w, Tensor x) {
        if (!Shape.broadcastsTo(w.shape(), x.shape())) {
            throw new IllegalArgumentException(op + ": weight of shape " + Shape.str(w.shape()) + " does not broadcast to the input's shape " + Shape.str(x.shape()));
        }
        return w;
    }
}
