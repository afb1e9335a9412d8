package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.Pullback;
import dev.dualgrad.transforms.TensorFunction;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Locale;

/**
 * Per-sample Jacobians of a function applied independently to each row of a batch:
 * x [B, D...] ↦ y [B, C...], result J [B, C..., D...] with J[b] = ∂y[b]/∂x[b].
 *
 * <p>Because sample b's output depends only on sample b, one tangent direction may perturb feature j of
 * every sample at once: its output tangent holds column j of all B Jacobians. So forward mode needs D
 * directions (k per pass) and reverse mode C cotangent directions (c per sweep), whatever B is:
 * min(D, C) directional derivatives instead of B·min(D, C).</p>
 *
 * <p>That rests on the independence of the samples. With {@code checkIndependence} (the default), one
 * extra forward pass perturbs only the first and the last sample and checks that every other sample's
 * output tangent is exactly zero; if f mixes samples (a batch mean, batch norm), this throws instead
 * of returning a wrong Jacobian.</p>
 */
public final class BatchJacobians {
    private BatchJacobians() {}

    public static JacobianResult batchJacobian(TensorFunction f, Tensor x, JacobianOptions o) {
        if (x.rank() == 0) throw new IllegalArgumentException("batchJacobian: x must be [B, D...] with a batch axis, got a scalar");
        MultiTensorFunction g = xs -> f.apply(xs[0]);
        Tensor[] xs = {x};
        int b = x.dim(0);
        TapePullback probe = Reverse.vjp("batchJacobian", g, xs);
        int[] yShape = probe.value().shape();
        if (yShape.length == 0 || yShape[0] != b) {
            throw new IllegalArgumentException("batchJacobian: f maps a batch of " + b + " (input shape " + Shape.str(x.shape())
                    + ") to shape " + Shape.str(yShape) + "; the output must keep the batch axis first, [" + b + ", ...]. For the"
                    + " Jacobian of a function of the whole batch use Diff.jacobian.");
        }
        int[] dShape = Shape.suffix(x.shape(), 1), cShape = Shape.suffix(yShape, 1);
        int d = Shape.size(dShape), c = Shape.size(cShape);
        if (o.checkIndependence() && b > 1) checkIndependence(g, x, b, d);
        Jacobians.Choice choice = Jacobians.choose(o, d, c, Math.max(1, probe.recordedElements()), "per-sample input", "per-sample output");
        int chunk = choice.chunk();
        Tensor j;
        int passes;
        if (choice.mode() == JacobianMode.FORWARD) {
            passes = (d + chunk - 1) / chunk;
            Tensor[] cols = new Tensor[passes];
            for (int p = 0; p < passes; p++) {
                int j0 = p * chunk, k = Math.min(chunk, d - j0);
                double[] s = new double[k * b * d];
                for (int i = 0; i < k; i++) for (int s0 = 0; s0 < b; s0++) s[(i * b + s0) * d + j0 + i] = 1;
                Tensor seed = Tensors.adopt(s, Shape.concat(new int[] {k}, x.shape()));
                cols[p] = Forward.jvp("batchJacobian", g, xs, new Tensor[] {seed}, true).tangent().reshape(k, b, c);
            }
            j = (passes == 1 ? cols[0] : Tensor.concat(0, cols)).permute(1, 2, 0); // [D, B, C] → [B, C, D]
        } else {
            passes = (c + chunk - 1) / chunk;
            Tensor[] rows = new Tensor[passes];
            for (int p = 0; p < passes; p++) {
                int i0 = p * chunk, k = Math.min(chunk, c - i0);
                double[] s = new double[k * b * c];
                for (int i = 0; i < k; i++) for (int s0 = 0; s0 < b; s0++) s[(i * b + s0) * c + i0 + i] = 1;
                Tensor seed = Tensors.adopt(s, Shape.concat(new int[] {k}, yShape));
                rows[p] = probe.sweepBatched(seed)[0].reshape(k, b, d);
            }
            j = (passes == 1 ? rows[0] : Tensor.concat(0, rows)).permute(1, 0, 2); // [C, B, D] → [B, C, D]
        }
        JacobianPlan plan = new JacobianPlan(choice.mode(), d, c, chunk, passes,
                8 * Math.max(1, probe.recordedElements()) * chunk, choice.why() + String.format(Locale.ROOT,
                " Each direction is seeded on all %d samples at once, so the passes do not grow with the batch.", b));
        return new JacobianResult(PerArgument.of(j.reshape(Shape.concat(Shape.concat(new int[] {b}, cShape), dShape))), plan);
    }

    /** Tangents on sample 0 and on sample B−1 only; every other sample's output tangent must be exactly zero. */
    private static void checkIndependence(MultiTensorFunction g, Tensor x, int b, int d) {
        Tensor r = TensorRandom.seed(0x1dea).normal(2, d);
        double[] s = new double[2 * b * d];
        System.arraycopy(Tensors.buffer(r), 0, s, 0, d);                       // direction 0: sample 0
        System.arraycopy(Tensors.buffer(r), d, s, (b + b - 1) * d, d);         // direction 1: sample b − 1
        Tensor t = Forward.jvp("batchJacobian", g, new Tensor[] {x}, new Tensor[] {Tensors.adopt(s, Shape.concat(new int[] {2}, x.shape()))}, true)
                .tangent();
        int c = t.size() / (2 * b);
        double[] td = Tensors.buffer(t);
        for (int dir = 0; dir < 2; dir++) {
            int source = dir == 0 ? 0 : b - 1;
            for (int sample = 0; sample < b; sample++) {
                if (sample == source) continue;
                for (int k = 0; k < c; k++) {
                    double v = td[(dir * b + sample) * c + k];
                    if (v != 0) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT, "batchJacobian: f mixes samples: a tangent on sample %d"
                                + " changed the output of sample %d (by %.3g at output element %d). batchJacobian assumes that each sample's"
                                + " output depends on that sample alone (no batch mean, batch norm or attention across the batch), and would"
                                + " return a wrong Jacobian here. Use Diff.jacobian for the full Jacobian of the batch.", source, sample, v, k));
                    }
                }
            }
        }
    }

}
