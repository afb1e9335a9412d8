package dev.dualgrad.commons;

import dev.dualgrad.internal.engine.Gang;
import dev.dualgrad.internal.engine.Level;
import dev.dualgrad.internal.engine.Pools;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.transforms.BatchJacobians;
import dev.dualgrad.internal.transforms.Jacobians;
import dev.dualgrad.internal.transforms.RepeatedJacobian;
import dev.dualgrad.internal.transforms.TapePullback;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import java.util.Locale;

/**
 * The Jacobian of a curve fit g(p; x) whose samples are independent (row i of the predictions depends on
 * row i of x alone), taken block by block: J's rows for samples [lo, hi) are the Jacobian of
 * p ↦ g(p; x[lo, hi)), a small problem of b·q rows (q predictions per sample) and n &gt; b·q parameters
 * that {@link Jacobians#choose} takes in reverse mode. Each block costs about b·q sweeps of a recording b
 * samples long, so all of J costs about b·q primal evaluations instead of forward mode's n (49 tangents
 * through every op of a 49-parameter MLP), plus a fixed cost per block that {@link Jacobians#rowBlock}
 * weighs against it. This is JAX's vmap of a per-sample gradient, obtained without rewriting the model.
 *
 * <p>Used only when it is safe: {@link #tryAt} checks, at a seeded random point near the start (where no
 * parameter is zero by accident), that no sample's prediction depends on another sample's input (the
 * exact-zero tangent test of {@code batchJacobian}) and that the blocks' predictions, laid end to end,
 * agree with the whole model's, and at the start that the blocks' first evaluation agrees too; otherwise (or when the model fails
 * on a block, such as a model that reads the batch size or captures per-sample data) curveFit keeps the
 * single Jacobian of the whole problem. Every block's J equals the whole problem's reverse-mode rows.</p>
 */
final class RowBlocks implements LeastSquaresModel.Evaluator {
    /** Relative agreement of the blocks' predictions with the whole model's at the start: rounding only. */
    private static final double SAME_VALUE = 1e-12;

    private final RepeatedJacobian[] blocks;
    private final int[] valueShape;
    private final int values;
    /** The predictions of every block but perhaps the last: b samples × q. */
    private final int rowsPerBlock;
    /** Set once, at the start, when the first block's plan knows its bytes per sweep. */
    private volatile JacobianPlan plan;
    /** The first block's plan at the latest evaluation. */
    private volatile JacobianPlan firstBlock;

    private RowBlocks(RepeatedJacobian[] blocks, int[] valueShape, int values, int rowsPerBlock) {
        this.blocks = blocks;
        this.rowsPerBlock = rowsPerBlock;
        this.valueShape = valueShape;
        this.values = values;
    }

    /**
     * The blocked evaluator with its first evaluation at p₀ (for curveFit to keep), or null when the whole
     * problem's Jacobian is to be taken instead: the options fix a mode or chunk, forward mode on the whole
     * is the cheaper by {@link Jacobians#rowBlock}, the inputs and predictions do not share a leading
     * sample axis, or the checks above fail.
     *
     * @param whole the recording of the whole model at p₀ (its value, size and ops)
     */
    static Started tryAt(ParametricModel model, Tensor x, Tensor p0, TapePullback whole, JacobianOptions options) {
        Tensor y = whole.value();
        int n = p0.size();
        if (x.rank() == 0 || y.rank() == 0 || x.dim(0) != y.dim(0) || x.dim(0) < 2) return null;
        int samples = x.dim(0), perRow = y.size() / samples;
        int b = Jacobians.rowBlock(options, n, samples, perRow, whole.recordedElements(), whole.recordedOps());
        if (b == 0) return null;
        int count = (samples + b - 1) / b;
        Tensor[] inputs = new Tensor[count];
        RepeatedJacobian[] blocks = new RepeatedJacobian[count];
        for (int i = 0; i < count; i++) {
            Tensor xi = inputs[i] = x.slice(0, i * b, Math.min(samples, (i + 1) * b)).detach();
            blocks[i] = new RepeatedJacobian("LeastSquares", q -> model.predict(q, xi), options);
        }
        RowBlocks r = new RowBlocks(blocks, y.shape(), y.size(), b * perRow);
        RepeatedJacobian.Evaluation first;
        try {
            // at a point near p₀ rather than at p₀ itself, where a zero parameter can hide a dependence (c·mean(x) with c = 0)
            Tensor near = near(p0);
            if (!BatchJacobians.samplesIndependent(in -> model.predict(near, in), x)) return null;
            if (!agrees(r.values(model, inputs, near), model.predict(near, x).toArray())) return null;
            first = r.evaluate(p0);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return null; // the model does not take a block of samples (it reads the batch size, or captures data per sample)
        }
        if (!agrees(first.value().toArray(), y.toArray())) return null;
        r.plan = new JacobianPlan(JacobianMode.REVERSE, n, y.size(), b * perRow, count, r.firstBlock.bytesPerPass(), String.format(Locale.ROOT,
                "The %d samples are independent (checked at the start), so J is taken in %d blocks of %d sample%s, each block's %d"
                        + " row%s by reverse mode (%d parameters against %d rows; %s); forward mode on the whole would carry %d tangents"
                        + " through every op.", samples, count, b, b == 1 ? "" : "s", b * perRow, b * perRow == 1 ? "" : "s", n, b * perRow,
                "the block size weighs each block's fixed cost against its directions", n));
        return new Started(r, new RepeatedJacobian.Evaluation(first.value(), first.jacobian(), r.plan));
    }

    /** The evaluator and its evaluation at the start. */
    record Started(RowBlocks evaluator, RepeatedJacobian.Evaluation first) {}

    /**
     * J block by block, on the threads in effect ({@link Parallelism}) when there are several:
     * contiguous ranges of blocks, each block writing its own rows, so how they are cut changes no bit. Inside
     * another transform (p carrying its tangents or tape) the blocks run on the calling thread, whose level that is.
     */
    @Override
    public RepeatedJacobian.Evaluation evaluate(Tensor p) {
        double[] value = new double[values];
        double[][] jac = new double[values][];
        Gang gang = Level.anyActiveOnThisThread() || !p.isConstant() ? null : Pools.acquire();
        try {
            int parts = gang == null ? 1 : Math.min(blocks.length, gang.threads());
            if (parts < 2) evaluate(p, 0, blocks.length, value, jac);
            else Pools.runRanges(gang, parts, blocks.length, (t, from, to) -> evaluate(p, from, to, value, jac));
        } finally {
            Pools.release(gang);
        }
        return new RepeatedJacobian.Evaluation(Tensors.adopt(value, valueShape), jac, plan);
    }

    /** Blocks [from, to) into their rows of value and J; block i's rows start at i·(rows per full block). */
    private void evaluate(Tensor p, int from, int to, double[] value, double[][] jac) {
        for (int i = from; i < to; i++) {
            RepeatedJacobian.Evaluation e = blocks[i].evaluate(p);
            if (i == 0) firstBlock = e.plan();
            double[] v = e.value().toArray();
            int at = i * rowsPerBlock, expected = Math.min(values, at + rowsPerBlock) - at;
            if (v.length != expected) {
                throw new IllegalArgumentException("LeastSquares.curveFit: block " + i + " of samples gave " + v.length
                        + " predictions, not " + expected + ": the model's predictions do not follow its samples");
            }
            System.arraycopy(v, 0, value, at, v.length);
            System.arraycopy(e.jacobian(), 0, jac, at, v.length); // the rows are fresh arrays: no copy of their entries
        }
    }

    /** p₀ + δ, δⱼ ~ N(0, 0.1²·max(1, |p₀ⱼ|)²) from a fixed seed: a point where no parameter is zero by accident. */
    private static Tensor near(Tensor p0) {
        double[] p = p0.toArray(), d = TensorRandom.seed(0x5eed).normal(p.length).toArray();
        for (int j = 0; j < p.length; j++) p[j] += 0.1 * Math.max(1, Math.abs(p[j])) * d[j];
        return Tensors.adopt(p, p.length);
    }

    /** The blocks' plain predictions at p, laid end to end. */
    private double[] values(ParametricModel model, Tensor[] inputs, Tensor p) {
        double[] v = new double[values];
        int at = 0;
        for (Tensor xi : inputs) {
            double[] vi = model.predict(p, xi).toArray();
            if (at + vi.length > values) return new double[0];
            System.arraycopy(vi, 0, v, at, vi.length);
            at += vi.length;
        }
        return at == values ? v : new double[0];
    }

    private static boolean agrees(double[] a, double[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= SAME_VALUE * Math.max(Math.abs(a[i]), Math.abs(b[i])))) return false;
        }
        return true;
    }
}
