package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.MultiTensorFunction;
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
 *
 * <p>The directions are seeded by {@link Sweeps}, the mode and chunk chosen by {@link Jacobians#choose};
 * {@code JacobianPenalty.exact} sums the squares of the same {@link Probe#stack direction-major stack}.</p>
 */
public final class BatchJacobians {
    private BatchJacobians() {}

    public static JacobianResult batchJacobian(TensorFunction f, Tensor x, JacobianOptions o) {
        Probe p = probe("batchJacobian", f, x);
        int b = p.samples, d = p.d, c = p.c;
        if (o.checkIndependence() && b > 1) checkIndependence(p.g, x, b, d);
        Jacobians.Choice choice = p.choose(o);
        Tensor stack = p.stack(choice);
        Tensor j = choice.mode() == JacobianMode.FORWARD
                ? stack.reshape(d, b, c).permute(1, 2, 0)  // [D, B, C] → [B, C, D]
                : stack.reshape(c, b, d).permute(1, 0, 2); // [C, B, D] → [B, C, D]
        int chunk = choice.chunk();
        JacobianPlan plan = new JacobianPlan(choice.mode(), d, c, chunk, Sweeps.passes(choice.mode() == JacobianMode.FORWARD ? d : c, chunk),
                8 * p.perDirection() * chunk, choice.why() + String.format(Locale.ROOT,
                " Each direction is seeded on all %d samples at once, so the passes do not grow with the batch.", b));
        int[] dShape = Shape.suffix(x.shape(), 1), cShape = Shape.suffix(p.tape.value().shape(), 1);
        return new JacobianResult(PerArgument.of(j.reshape(Shape.concat(Shape.concat(new int[] {b}, cShape), dShape))), plan);
    }

    /**
     * Records f on the batch x once and checks that its output keeps the batch axis first.
     *
     * @param op the transform's name, for messages
     * @param f a function of a batch
     * @param x the batch [B, D...]
     * @return the recording, which knows B, D (one sample's input elements) and C (one sample's output elements)
     * @throws IllegalArgumentException when x is a scalar or f(x) does not keep x's batch axis first
     */
    public static Probe probe(String op, TensorFunction f, Tensor x) {
        if (x.rank() == 0) throw new IllegalArgumentException(op + ": x must be [B, D...] with a batch axis, got a scalar");
        MultiTensorFunction g = xs -> f.apply(xs[0]);
        TapePullback tape = Reverse.vjp(op, g, new Tensor[] {x});
        int b = x.dim(0);
        int[] yShape = tape.value().shape();
        if (yShape.length == 0 || yShape[0] != b) {
            throw new IllegalArgumentException(op + ": f maps a batch of " + b + " (input shape " + Shape.str(x.shape())
                    + ") to shape " + Shape.str(yShape) + "; the output must keep the batch axis first, [" + b + ", ...]. For the"
                    + " Jacobian of a function of the whole batch use Diff.jacobian.");
        }
        return new Probe(op, g, x, tape);
    }

    /** f recorded once on a batch: B, D and C, and the tape that reverse mode sweeps. */
    public static final class Probe {
        private final String op;
        private final MultiTensorFunction g;
        private final Tensor x;
        private final TapePullback tape;
        private final int samples, d, c;

        private Probe(String op, MultiTensorFunction g, Tensor x, TapePullback tape) {
            this.op = op;
            this.g = g;
            this.x = x;
            this.tape = tape;
            this.samples = x.dim(0);
            this.d = Shape.size(Shape.suffix(x.shape(), 1));
            this.c = Shape.size(Shape.suffix(tape.value().shape(), 1));
        }

        /** f(x) recorded on a tape: its pullback u ↦ uᵀJ over the whole batch. */
        public TapePullback pullback() {
            return tape;
        }

        /** B, the samples of the batch. */
        public int samples() {
            return samples;
        }

        private long perDirection() {
            return Math.max(1, tape.recordedElements());
        }

        Jacobians.Choice choose(JacobianOptions o) {
            return Jacobians.choose(o, d, c, perDirection(), "per-sample input", "per-sample output");
        }

        /**
         * The per-sample Jacobians stacked direction first, in the mode and chunks that {@code o} chooses
         * (from D and C as {@code batchJacobian} does): forward mode gives [D, B, C...] (row j holds
         * J_b·e_j of every sample b), reverse mode [C, B, D...] (row i holds e_iᵀJ_b).
         *
         * @param o the mode, chunk size and memory budget
         * @return the stack, differentiable by enclosing transforms
         */
        public Tensor stack(JacobianOptions o) {
            return stack(choose(o));
        }

        Tensor stack(Jacobians.Choice choice) {
            Tensor[] r;
            if (choice.mode() == JacobianMode.FORWARD) {
                Tensor[] xs = {x};
                r = Sweeps.sweep(Sweeps.Space.perSample(x.shape()), choice.chunk(), (seeds, k) -> new Tensor[] {Forward.jvp(op, g, xs, seeds, true).tangent()});
            } else {
                r = Sweeps.sweep(Sweeps.Space.perSample(tape.value().shape()), choice.chunk(), (seeds, k) -> tape.sweepBatched(seeds[0]));
            }
            if (r != null) return r[0];
            int[] other = choice.mode() == JacobianMode.FORWARD ? tape.value().shape() : x.shape();
            return Tensor.zeros(Shape.concat(new int[] {0}, other)); // no directions: D = 0 (forward) or C = 0 (reverse)
        }
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
