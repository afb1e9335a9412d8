package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.SparsityLevel;
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
 * <p>That rests on the independence of the samples. With {@code checkIndependence} (the default), a
 * sparsity detection with sample labels ({@link #structurallyIndependent}) proves it where the ops' rules
 * can; otherwise one extra forward pass of 2⌈log₂ B⌉ directions, seeded by the bits of the sample index,
 * checks that no sample's output depends on any other sample's input; if f mixes samples (a batch mean,
 * batch norm, any pair), this throws, naming a pair, instead of returning a wrong Jacobian.</p>
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

    /**
     * One forward pass that detects any dependence of a sample's output on another sample's input.
     * With L = ⌈log₂ B⌉, direction 2j perturbs every sample whose index has bit j set and direction
     * 2j + 1 every sample whose bit j is clear, each by its own seeded random vector (so contributions
     * of several samples cannot cancel). Samples i ≠ s differ in some bit j, so if s's output depends on
     * i, the direction of i's side of bit j, which does not touch s, reaches s's output. The check: the
     * output tangent of each sample is exactly zero in the L directions that leave it unperturbed.
     */
    static void checkIndependence(MultiTensorFunction g, Tensor x, int b, int d) {
        checkIndependence("batchJacobian", "a wrong Jacobian", "Diff.jacobian for the full Jacobian of the batch", g, x, b, d);
    }

    /** The same check for another per-sample transform: {@code op} and what it would get wrong name the failure. */
    static void checkIndependence(String op, String wrong, String instead, MultiTensorFunction g, Tensor x, int b, int d) {
        if (structurallyIndependent(g, x, b, d)) return;
        long found = dependence(g, x, b, d);
        if (found >= 0) {
            IllegalArgumentException e = mixes(g, x, b, d, (int) (found >>> 32), (int) found);
            if (op.equals("batchJacobian")) throw e;
            String what = e.getMessage().substring("batchJacobian: f mixes samples: ".length(), e.getMessage().indexOf(". batchJacobian assumes"));
            throw new IllegalArgumentException(op + ": f mixes samples: " + what + ". " + op + " assumes that each sample's output depends"
                    + " on that sample alone (no batch mean, batch norm or attention across the batch), and would return " + wrong
                    + " here. Use " + instead + ".");
        }
    }

    /**
     * Whether each sample's output of f depends on that sample's input alone, by the check of
     * {@code batchJacobian} (one forward pass of 2⌈log₂ B⌉ directions, exact zeros): x is [B, D...] and
     * f(x) must keep the batch axis first, [B, C...].
     *
     * @return true when no sample's output is reached from another sample's input (also when B ≤ 1)
     */
    public static boolean samplesIndependent(TensorFunction f, Tensor x) {
        int b = x.rank() == 0 ? 0 : x.dim(0);
        if (b < 2) return true;
        MultiTensorFunction g = xs -> f.apply(xs[0]);
        return structurallyIndependent(g, x, b, x.size() / b) || dependence(g, x, b, x.size() / b) < 0;
    }

    /**
     * The cheap, exact half of the check: sparsity detection with each input element labelled by its sample (element
     * e of x by e / d, a universe of B labels), so a set holds the samples an element may depend on, and stays one
     * label long while f keeps samples apart. True when every output element of sample s depends on s alone (or on
     * nothing). The sparsity rules over-approximate, never under-approximate (the registry's conformance tests), so
     * true proves independence at this x, whatever the values, for the branches f takes here, the same premise as
     * the probe's. False is no verdict: an op without a sparsity rule counts as dense, a rule may be coarser than
     * the op (a product with a zero weight), and f may fail on the level (reading a value); the probe then decides,
     * and its exact zeros are what a dependence must show to be reported. The cost is one pass over f with a label
     * per element (shared arrays, unions that return their largest operand), a fraction of the probe's 2⌈log₂ B⌉
     * directions.
     */
    static boolean structurallyIndependent(MultiTensorFunction g, Tensor x, int b, int d) {
        int[][] labels = new int[b][];
        for (int s = 0; s < b; s++) labels[s] = new int[] {s};
        int[][] rows = new int[x.size()][];
        for (int e = 0; e < rows.length; e++) rows[e] = labels[e / d];
        SparsityLevel level = new SparsityLevel(b);
        try {
            Tensor y = g.apply(new Tensor[] {level.seed(x, Pattern.of(b, rows))});
            if (y == null || y.rank() == 0 || y.dim(0) != b) return false; // the probe's recording reports these
            Pattern p = level.patternOf(y);
            int c = y.size() / b;
            for (int o = 0; o < p.size(); o++) {
                int[] r = p.row(o);
                if (r.length > 1 || (r.length == 1 && r[0] != o / c)) return false;
            }
            return true;
        } catch (RuntimeException e) { // f cannot run on the level (e.g. it reads a value): the probe decides, and reports
            return false;
        } finally {
            level.close();
        }
    }

    /** The check's pass: −1 when independent, else (sample << 32) | the bits that reach it. */
    private static long dependence(MultiTensorFunction g, Tensor x, int b, int d) {
        int bits = 32 - Integer.numberOfLeadingZeros(b - 1); // ⌈log₂ b⌉, b ≥ 2
        int k = 2 * bits;
        // one random vector per sample, reused by its L directions: within a direction no two samples share one
        // (so their contributions cannot cancel), and B·D normal draws instead of 2L·B·D
        double[] r = Tensors.buffer(TensorRandom.seed(0x1dea).normal(b, d));
        double[] s = new double[k * b * d];
        for (int j = 0; j < bits; j++) {
            for (int sample = 0; sample < b; sample++) {
                int dir = 2 * j + (((sample >> j) & 1) == 1 ? 0 : 1); // the direction that perturbs this sample
                System.arraycopy(r, sample * d, s, (dir * b + sample) * d, d);
            }
        }
        double[] td = Tensors.buffer(Forward.jvp("batchJacobian", g, new Tensor[] {x},
                new Tensor[] {Tensors.adopt(s, Shape.concat(new int[] {k}, x.shape()))}, true).tangent());
        int c = td.length / (k * b);
        for (int sample = 0; sample < b; sample++) {
            int reached = 0; // bits j whose other side reaches this sample's output
            for (int j = 0; j < bits; j++) {
                int dir = 2 * j + ((sample >> j) & 1); // perturbs the samples on the other side of bit j
                if (nonZero(td, (dir * b + sample) * c, c) >= 0) reached |= 1 << j;
            }
            if (reached != 0) return ((long) sample << 32) | reached;
        }
        return -1;
    }

    /** The first element of td[off, off + n) that is not exactly 0 (NaN included), or −1. */
    private static int nonZero(double[] td, int off, int n) {
        for (int e = 0; e < n; e++) if (td[off + e] != 0) return e;
        return -1;
    }

    /**
     * Names one sample whose input the output of {@code sample} depends on. With a single such sample i,
     * the bits that reach {@code sample} are exactly those where i differs, so i = sample XOR reached is
     * tried first; otherwise the samples on the other side of the lowest bit that reached it are tried,
     * eight directions (one sample each) per forward pass. Only runs when the check has failed.
     */
    private static IllegalArgumentException mixes(MultiTensorFunction g, Tensor x, int b, int d, int sample, int reached) {
        int low = Integer.numberOfTrailingZeros(reached);
        java.util.List<Integer> candidates = new java.util.ArrayList<>();
        int guess = sample ^ reached;
        if (guess < b) candidates.add(guess);
        for (int i = 0; i < b; i++) if (i != guess && ((i ^ sample) >> low & 1) == 1) candidates.add(i);
        Tensor r = TensorRandom.seed(0x1deb).normal(b, d);
        for (int from = 0; from < candidates.size(); from += 8) {
            int n = Math.min(8, candidates.size() - from);
            double[] s = new double[n * b * d];
            for (int q = 0; q < n; q++) {
                int i = candidates.get(from + q);
                System.arraycopy(Tensors.buffer(r), i * d, s, (q * b + i) * d, d);
            }
            double[] td = Tensors.buffer(Forward.jvp("batchJacobian", g, new Tensor[] {x},
                    new Tensor[] {Tensors.adopt(s, Shape.concat(new int[] {n}, x.shape()))}, true).tangent());
            int c = td.length / (n * b);
            for (int q = 0; q < n; q++) {
                int e = nonZero(td, (q * b + sample) * c, c);
                if (e >= 0) {
                    return mixes(String.format(Locale.ROOT, "the output of sample %d depends on the input of sample %d (a tangent on"
                            + " sample %d alone changed output element %d of sample %d by %.3g)", sample, candidates.get(from + q),
                            candidates.get(from + q), e, sample, td[(q * b + sample) * c + e]));
                }
            }
        }
        // not reproduced by single-sample tangents (f is not deterministic?): name the group
        return mixes(String.format(Locale.ROOT, "the output of sample %d depends on the input of some sample whose index differs from %d"
                + " in bit %d", sample, sample, low));
    }

    private static IllegalArgumentException mixes(String what) {
        return new IllegalArgumentException("batchJacobian: f mixes samples: " + what + ". batchJacobian assumes that each sample's"
                + " output depends on that sample alone (no batch mean, batch norm or attention across the batch), and would"
                + " return a wrong Jacobian here. Use Diff.jacobian for the full Jacobian of the batch.");
    }

}
