package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.internal.transforms.BatchJacobians;
import dev.dualgrad.internal.transforms.TapePullback;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.Locale;
import org.apache.commons.math3.random.Well19937c;

/**
 * Penalties on the input Jacobian of a network applied per sample, f: x [B, D...] ↦ y [B, C...], for
 * training losses such as CE + λ·penalty (seed 001): the mean squared Frobenius norm
 * <pre>
 *   P(x) = (1/B)·Σ_b ‖J_b‖²_F = (1/B)·Σ_b Σ_{c,d} (∂y[b, c]/∂x[b, d])²,   J_b = ∂f(x)[b]/∂x[b]
 * </pre>
 * exactly ({@link #exact}) or estimated from random projections ({@link #projected}). Both are tensors
 * computed with the engine's ops, so {@code Diff.grad} of a loss that contains them differentiates
 * through the Jacobian computation (reverse over forward, or reverse over reverse), in one backward
 * sweep over the pass.
 *
 * <ul>
 *   <li>{@link #exact}: forward mode seeds each of the D input features on every sample at once (D
 *       tangents, in chunks); reverse mode seeds the C outputs (C cotangents, in chunks). The mode and
 *       chunk are chosen as {@code Diff.batchJacobian} chooses them, from {@link JacobianOptions}.</li>
 *   <li>{@link #projected}: the random-projection estimator of Hoffman, Roberts and Yaida (2019). For v
 *       uniform on the unit sphere of ℝ^C, E[v vᵀ] = I/C, so ‖J‖²_F = tr(J Jᵀ) = C·E‖vᵀJ‖² (VJP variant);
 *       likewise ‖J‖²_F = D·E‖J u‖² for u uniform on the sphere of ℝ^D (JVP variant). Each projection
 *       draws its own v (or u) for every sample; the estimate averages n projections. Unbiased, seeded,
 *       with its variance; set by {@link ProjectionOptions}.</li>
 * </ul>
 * Both assume f treats samples independently (as {@code Diff.batchJacobian} does), and neither checks it.
 *
 * <pre>{@code
 * Tensor p = JacobianPenalty.exact(net::forward, x);                                   // AUTO mode
 * Tensor q = JacobianPenalty.exact(net::forward, x, JacobianOptions.defaults().mode(JacobianMode.REVERSE));
 * JacobianPenalty.Estimate e = JacobianPenalty.projected(net::forward, x,
 *         JacobianPenalty.ProjectionOptions.defaults().projections(4).seed(17).variant(JacobianPenalty.Projection.JVP));
 * }</pre>
 */
public final class JacobianPenalty {
    private JacobianPenalty() {}

    /**
     * The exact penalty P(x) = (1/B)·Σ_b ‖J_b‖²_F, the mode chosen from D and C (forward when D ≤ C) and the
     * chunk from the default memory budget.
     *
     * @param f a network applied per sample, [B, D...] ↦ [B, C...]
     * @param x the batch, [B, D...] with B ≥ 1
     * @return P(x), a differentiable scalar
     * @throws IllegalArgumentException when x has no batch axis or an empty one, or f(x) does not keep the batch axis first
     */
    public static Tensor exact(TensorFunction f, Tensor x) {
        Args.nonNull(f, "JacobianPenalty.exact", "f");
        Args.nonNull(x, "JacobianPenalty.exact", "x");
        return exact(f, x, JacobianOptions.defaults());
    }

    /**
     * The exact penalty P(x) = (1/B)·Σ_b ‖J_b‖²_F, computed as {@code options} say. It reads the mode, the
     * chunk size (directions per pass) and the memory budget; {@link JacobianOptions#verify} and
     * {@link JacobianOptions#checkIndependence} do not apply here. The value does not depend on the mode
     * or the chunk beyond rounding.
     *
     * @param f a network applied per sample, [B, D...] ↦ [B, C...]
     * @param x the batch, [B, D...] with B ≥ 1
     * @param options the mode, chunk size and memory budget
     * @return P(x), a differentiable scalar
     * @throws IllegalArgumentException when x has no batch axis or an empty one, or f(x) does not keep the batch axis first
     */
    public static Tensor exact(TensorFunction f, Tensor x, JacobianOptions options) {
        Args.nonNull(f, "JacobianPenalty.exact", "f");
        Args.nonNull(x, "JacobianPenalty.exact", "x");
        Args.nonNull(options, "JacobianPenalty.exact", "options");
        int b = batch("JacobianPenalty.exact", x);
        // [D, B, C...] by forward mode or [C, B, D...] by reverse: every entry of every J_b once
        return BatchJacobians.probe("JacobianPenalty.exact", f, x).stack(options).square().sum().div(b);
    }

    /** Which product the projections use. */
    public enum Projection {
        /** vᵀJ_b with v on the sphere of ℝ^C: n cotangents in one reverse sweep; P ≈ (C/B)·Σ_b ‖vᵀJ_b‖². */
        VJP,
        /** J_b·u with u on the sphere of ℝ^D: n tangents in one forward pass; P ≈ (D/B)·Σ_b ‖J_b u‖². */
        JVP
    }

    /**
     * How {@link #projected} estimates: the number of projections n, the seed of their random directions,
     * and the variant ({@link Projection#VJP} or {@link Projection#JVP}). Immutable: each setter returns a
     * copy. Defaults: one projection (as Hoffman, Roberts and Yaida train with), seed 0, VJP.
     */
    public static final class ProjectionOptions {
        private final int projections;
        private final long seed;
        private final Projection variant;

        private ProjectionOptions(int projections, long seed, Projection variant) {
            this.projections = projections;
            this.seed = seed;
            this.variant = variant;
        }

        /**
         * One projection, seed 0, the VJP variant.
         *
         * @return the default options
         */
        public static ProjectionOptions defaults() {
            return new ProjectionOptions(1, 0, Projection.VJP);
        }

        /**
         * The number n of projections averaged; all n share one pass (n tangents or cotangents per sample).
         *
         * @param n at least 1; with n = 1 the variance and standard error are NaN
         * @return a copy with n projections
         * @throws IllegalArgumentException when n &lt; 1
         */
        public ProjectionOptions projections(int n) {
            if (n < 1) throw new IllegalArgumentException("JacobianPenalty.projected: needs at least one projection, got " + n);
            return new ProjectionOptions(n, seed, variant);
        }

        /**
         * The seed of the random directions: the same seed gives the same directions, so the estimate is a
         * smooth function of x and of f's parameters.
         *
         * @param s any seed
         * @return a copy with seed s
         */
        public ProjectionOptions seed(long s) {
            return new ProjectionOptions(projections, s, variant);
        }

        /**
         * Which product the projections use.
         *
         * @param v {@link Projection#VJP} (one reverse sweep, directions in ℝ^C) or {@link Projection#JVP}
         *          (one forward pass, directions in ℝ^D)
         * @return a copy with variant v
         * @throws IllegalArgumentException when v is null
         */
        public ProjectionOptions variant(Projection v) {
            if (v == null) throw new IllegalArgumentException("ProjectionOptions.variant: v is null (the variant must not be null)");
            return new ProjectionOptions(projections, seed, v);
        }

        /**
         * The number of projections.
         *
         * @return n
         */
        public int projections() {
            return projections;
        }

        /**
         * The seed of the random directions.
         *
         * @return the seed
         */
        public long seed() {
            return seed;
        }

        /**
         * Which product the projections use.
         *
         * @return VJP or JVP
         */
        public Projection variant() {
            return variant;
        }
    }

    /**
     * An estimate of P(x) from n projections: the mean of the n single-projection estimates Pᵣ (each
     * unbiased), their sample variance s² = Σᵣ (Pᵣ − P̄)² / (n − 1), and the standard error of the mean,
     * √(s² / n).
     *
     * @param value the estimate P̄ = (1/n)·Σᵣ Pᵣ, a differentiable scalar
     * @param variance s², NaN when n = 1
     * @param standardError √(s² / n), NaN when n = 1
     * @param projections n
     */
    public record Estimate(Tensor value, double variance, double standardError, int projections) {
        /**
         * The estimate with its standard error, as "value ± error (n = … projections)".
         *
         * @return the text
         */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.6g ± %.3g (n = %d projections)", value.detach().item(), standardError, projections);
        }
    }

    /**
     * The Hoffman–Roberts–Yaida estimate of P(x) = (1/B)·Σ_b ‖J_b‖²_F from one projection (seed 0, VJP).
     *
     * @param f a network applied per sample, [B, D...] ↦ [B, C...]
     * @param x the batch, [B, D...] with B ≥ 1
     * @return the estimate (its variance is NaN with one projection)
     * @throws IllegalArgumentException when x has no batch axis or an empty one, or f(x) does not keep the batch axis first
     */
    public static Estimate projected(TensorFunction f, Tensor x) {
        Args.nonNull(f, "JacobianPenalty.projected", "f");
        Args.nonNull(x, "JacobianPenalty.projected", "x");
        return projected(f, x, ProjectionOptions.defaults());
    }

    /**
     * The Hoffman–Roberts–Yaida estimate of P(x) = (1/B)·Σ_b ‖J_b‖²_F. Projection r draws, for every sample
     * b, a direction v_{r,b} uniform on the unit sphere (of ℝ^C for VJP, of ℝ^D for JVP) and gives
     * Pᵣ = (C/B)·Σ_b ‖v_{r,b}ᵀJ_b‖² (VJP) or Pᵣ = (D/B)·Σ_b ‖J_b v_{r,b}‖² (JVP), with E[Pᵣ] = P(x).
     *
     * @param f a network applied per sample, [B, D...] ↦ [B, C...]
     * @param x the batch, [B, D...] with B ≥ 1
     * @param options the number of projections, their seed and the variant
     * @return the mean of the n estimates Pᵣ, their variance and standard error
     * @throws IllegalArgumentException when x has no batch axis or an empty one, or f(x) does not keep the batch axis first
     */
    public static Estimate projected(TensorFunction f, Tensor x, ProjectionOptions options) {
        Args.nonNull(f, "JacobianPenalty.projected", "f");
        Args.nonNull(x, "JacobianPenalty.projected", "x");
        Args.nonNull(options, "JacobianPenalty.projected", "options");
        int n = options.projections();
        long seed = options.seed();
        int b = batch("JacobianPenalty.projected", x), d = x.size() / b;
        Tensor perProjection; // [n]: each entry an unbiased estimate
        if (options.variant() == Projection.JVP) {
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
