package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.internal.transforms.BatchJacobians;
import dev.dualgrad.internal.transforms.TapePullback;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.Locale;
import org.apache.commons.math3.random.Well19937c;

/**
 * Penalties on the input Jacobian of a network applied per sample, f: x [B, D] ↦ y [B, C], for
 * training losses such as CE + λ·penalty (seed 001). Both are tensors computed with the engine's ops,
 * so {@code Diff.grad} of a loss that contains them differentiates through the Jacobian computation
 * (reverse over forward, or reverse over reverse), in one backward sweep over the pass.
 *
 * <ul>
 *   <li>{@link #exact}: (1/B)·Σ_b ‖J_b‖²_F, J_b = ∂f(x)_b/∂x_b. Forward mode seeds the D input
 *       features on every sample at once (one pass with D tangents); reverse mode seeds the C outputs
 *       (one sweep with C cotangents). AUTO takes the smaller of D and C.</li>
 *   <li>{@link #projected}: the random-projection estimator of Hoffman, Roberts and Yaida (2019),
 *       ‖J‖²_F = C·E‖vᵀJ‖² for v uniform on the unit sphere of ℝ^C (VJP variant), or D·E‖Ju‖² for u
 *       uniform on the sphere of ℝ^D (JVP variant), averaged over n projections drawn independently
 *       per sample. Unbiased, seeded, with its variance.</li>
 * </ul>
 * Both assume f treats samples independently (as {@code Diff.batchJacobian} does).
 */
public final class JacobianPenalty {
    private JacobianPenalty() {}

    /** The exact mean squared Frobenius norm of the per-sample input Jacobians; the mode is chosen from D and C. */
    public static Tensor exact(TensorFunction f, Tensor x) {
        return exact(f, x, JacobianMode.AUTO);
    }

    public static Tensor exact(TensorFunction f, Tensor x, JacobianMode mode) {
        return exact(f, x, JacobianOptions.defaults().mode(mode));
    }

    public static Tensor exact(TensorFunction f, Tensor x, JacobianOptions options) {
        int b = batch("JacobianPenalty.exact", x);
        // [D, B, C...] by forward mode or [C, B, D...] by reverse: every entry of every J_b once
        return BatchJacobians.probe("JacobianPenalty.exact", f, x).stack(options).square().sum().div(b);
    }

    /** Which product the projections use. */
    public enum Projection {
        /** vᵀJ with v on the sphere of ℝ^C: n cotangents in one reverse sweep. */
        VJP,
        /** J·u with u on the sphere of ℝ^D: n tangents in one forward pass. */
        JVP
    }

    /**
     * An estimate: the value (differentiable), the sample variance of the n single-projection estimates,
     * and the standard error of their mean, √(variance / n).
     */
    public record Estimate(Tensor value, double variance, double standardError, int projections) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.6g ± %.3g (n = %d projections)", value.item(), standardError, projections);
        }
    }

    /** The Hoffman–Roberts–Yaida estimate of (1/B)·Σ_b ‖J_b‖²_F from n projections. */
    public static Estimate projected(TensorFunction f, Tensor x, int n, long seed, Projection kind) {
        if (n < 1) throw new IllegalArgumentException("JacobianPenalty.projected: needs at least one projection, got " + n);
        int b = batch("JacobianPenalty.projected", x), d = x.size() / b;
        Tensor perProjection; // [n]: each entry an unbiased estimate
        if (kind == Projection.JVP) {
            Tensor u = sphere(n, b, d, seed).reshape(Shape.concat(new int[] {n}, x.shape()));
            Tensor t = Diff.jvpBatched(f, x, u).tangent();                       // [n, B, C...]
            perProjection = t.reshape(n, -1).square().sum(1).mul((double) d / b);
        } else {
            TapePullback p = BatchJacobians.probe("JacobianPenalty.projected", f, x).pullback();
            int[] y = p.value().shape();
            int c = p.value().size() / b;
            Tensor v = sphere(n, b, c, seed).reshape(Shape.concat(new int[] {n}, y));
            Tensor g = p.sweepBatched(v)[0];                                     // [n, B, D...]
            perProjection = g.reshape(n, -1).square().sum(1).mul((double) c / b);
        }
        double[] e = Tensors.buffer(perProjection);
        double mean = 0, var = 0;
        for (double v : e) mean += v / n;
        for (double v : e) var += (v - mean) * (v - mean);
        var = n > 1 ? var / (n - 1) : Double.NaN;
        return new Estimate(perProjection.mean(), var, Math.sqrt(var / n), n);
    }

    /** [n, B, m] vectors, each row uniform on the unit sphere of ℝ^m (normalised Gaussians). */
    static Tensor sphere(int n, int b, int m, long seed) {
        Well19937c rng = new Well19937c(seed);
        double[] s = new double[n * b * m];
        for (int r = 0; r < n * b; r++) {
            double norm = 0;
            for (int k = 0; k < m; k++) {
                double g = rng.nextGaussian();
                s[r * m + k] = g;
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < m; k++) s[r * m + k] /= norm;
        }
        return Tensors.adopt(s, n, b, m);
    }

    private static int batch(String op, Tensor x) {
        if (x.rank() < 1 || x.dim(0) == 0) {
            throw new IllegalArgumentException(op + ": x must be a non-empty batch [B, D...], got shape " + java.util.Arrays.toString(x.shape()));
        }
        return x.dim(0);
    }
}
