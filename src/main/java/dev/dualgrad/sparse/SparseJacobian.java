package dev.dualgrad.sparse;

import dev.dualgrad.internal.sparsity.Coloring;
import dev.dualgrad.internal.sparsity.Decompression;
import dev.dualgrad.internal.sparsity.Detection;
import dev.dualgrad.internal.transforms.CompressedSweeps;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;

/**
 * A sparse Jacobian prepared once and evaluated at many points (Newton iterations, implicit time steps):
 * the pattern is detected and coloured when it is prepared, and each {@link #evaluate} is one batched
 * pass with one direction per colour, then a gather into the CSR values.
 *
 * <p>For f: ℝⁿ → ℝᵐ (x and f(x) of any shape, read row-major), J[i][j] = ∂f(x)ᵢ/∂xⱼ. Detection runs f once
 * on index sets ({@code Diff.sparseJacobian}'s javadoc says what the pattern means). Columns of one colour
 * share no row, so with S the n×c seed matrix (S[j][colour(j)] = 1) the compressed product J·S holds every
 * entry once: J[i][j] = (J·S)[i][colour(j)]. Reverse mode colours the rows instead and computes Sᵀ·J with c
 * cotangents in one backward sweep. The mode with the fewer colours is taken, as {@code Diff.jacobian}'s
 * AUTO takes the fewer directions; {@link #plan()} says which and why.</p>
 *
 * <p>The pattern is global: it holds at every point where f takes the branches it took at the point of
 * preparation. A function whose control flow depends on values (an {@code if} on {@code x.detach()}) may
 * have another pattern elsewhere: prepare with {@code JacobianOptions.verify(true)} to check every
 * evaluation against one JVP along a random direction.</p>
 *
 * <p>Immutable once prepared: {@link #evaluate} may be called from several threads at once, each call running
 * its own transforms.</p>
 */
public final class SparseJacobian {
    private static final String OP = "sparseJacobian";
    private final TensorFunction f;
    private final int[] inputShape;
    private final SparsityPattern pattern;
    private final SparsePlan plan;
    private final int[] colour;
    private final Decompression.Plan decompression;
    private final boolean verify;

    /** onePass: the colourings are chosen for one evaluation ({@link Coloring#forOnePass}), else for many (DSATUR). */
    private SparseJacobian(TensorFunction f, Tensor x, JacobianOptions options, boolean onePass) {
        this.f = f;
        this.inputShape = x.shape();
        this.verify = options.verify();
        Detection.Result detected = Detection.jacobian(OP, f, x);
        pattern = SparsityPattern.fromRows(x.size(), detected.rows());
        Coloring columns = onePass ? Coloring.forOnePass(pattern, false, detected.perDirection()) : Coloring.columns(pattern);
        Coloring rows = pattern.isSymmetric() ? columns // a symmetric pattern: the same graph
                : onePass ? Coloring.forOnePass(pattern, true, detected.perDirection()) : Coloring.rows(pattern);
        CompressedSweeps.Plan c = CompressedSweeps.choose(options, columns.count(), rows.count(), detected.perDirection());
        boolean forward = c.mode() == JacobianMode.FORWARD;
        Coloring chosen = forward ? columns : rows;
        colour = chosen.colors();
        decompression = forward ? Decompression.forwardPlan(pattern, chosen) : Decompression.reversePlan(pattern, chosen);
        int colours = pattern.nonZeros() == 0 ? 0 : chosen.count(); // an empty pattern needs no pass at all
        int passes = (colours + c.chunk() - 1) / c.chunk();
        plan = new SparsePlan(c.mode(), pattern.rows(), pattern.columns(), pattern.nonZeros(), colours,
                forward ? pattern.maxRowCount() : pattern.maxColumnCount(), columns.count(), rows.count(), c.chunk(), passes, c.why());
    }

    /**
     * Detects f's Jacobian pattern at x and colours it, the mode chosen by the colour counts.
     *
     * @param f the function
     * @param x the point of detection (its shape is the one {@link #evaluate} accepts)
     * @return the prepared Jacobian
     * @throws NullPointerException when f or x is null
     * @throws IllegalArgumentException when x is not a constant, or f returns null
     */
    public static SparseJacobian prepare(TensorFunction f, Tensor x) {
        return prepare(f, x, JacobianOptions.defaults());
    }

    /**
     * As {@link #prepare(TensorFunction, Tensor)}, with the mode (AUTO: the fewer colours), the colours per
     * pass ({@code chunkSize}, else as many as fit the memory budget) and {@code verify} (each evaluation
     * checked against a JVP along a random direction) set.
     *
     * @param f the function
     * @param x the point of detection
     * @param options mode, chunk size, memory budget and verification
     * @return the prepared Jacobian
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when x is not a constant, or f returns null
     */
    public static SparseJacobian prepare(TensorFunction f, Tensor x, JacobianOptions options) {
        Verification.preparing(OP, f, x, options);
        return new SparseJacobian(f, x, options, false);
    }

    /**
     * J(x) once, as {@code Diff.sparseJacobian} computes it: {@code prepare(f, x, options).evaluate(x)}, except that
     * the colouring is chosen for one evaluation ({@link Coloring#forOnePass}): a cheaper colouring with more
     * colours when the colours saved would not repay the search in that one pass. The same pattern and entries.
     */
    static SparseMatrix once(TensorFunction f, Tensor x, JacobianOptions options) {
        Verification.preparing(OP, f, x, options);
        return new SparseJacobian(f, x, options, true).evaluate(x);
    }

    /**
     * The Jacobian at x, with no new detection.
     *
     * @param x a point of the shape given to {@link #prepare}
     * @return J(x), m×n, in the prepared pattern
     * @throws NullPointerException when x is null
     * @throws IllegalArgumentException when x has another shape, is not a constant, or f's output changed size
     * @throws IllegalStateException when {@code verify} is set and J(x)·v disagrees with the JVP along v
     */
    public SparseMatrix evaluate(Tensor x) {
        Verification.evaluating(OP, x, inputShape, "Jacobian");
        if (plan.colours() == 0) { // nothing can be nonzero: no pass, one primal to check the output's size
            Tensor y = f.apply(x);
            if (y == null) throw new IllegalArgumentException(OP + ": the function returned null; it must return a Tensor");
            if (y.size() != plan.rows()) {
                throw new IllegalArgumentException(OP + ": f's output has " + y.size() + " elements at this x but " + plan.rows()
                        + " where the Jacobian was prepared");
            }
            SparseMatrix empty = SparseMatrix.of(pattern, new double[0]);
            if (verify) Verification.jacobian(OP, f, x, empty);
            return empty;
        }
        SparseMatrix j = decompression.decompress(compressed(x));
        if (verify) Verification.jacobian(OP, f, x, j);
        return j;
    }

    /** The compressed products at x, checked against the prepared output size (x checked by the caller; colours ≥ 1). */
    double[] compressed(Tensor x) {
        boolean forward = plan.mode() == JacobianMode.FORWARD;
        double[] compressed = forward
                ? CompressedSweeps.forward(OP, f, x, colour, plan.colours(), plan.chunk())
                : CompressedSweeps.reverse(OP, f, x, colour, plan.colours(), plan.chunk());
        long expected = (long) plan.colours() * (forward ? plan.rows() : plan.columns());
        if (compressed.length != expected) {
            throw new IllegalArgumentException(OP + ": f's output has " + compressed.length / Math.max(1, plan.colours())
                    + " elements at this x but " + plan.rows() + " where the Jacobian was prepared");
        }
        return compressed;
    }

    /** The shape x must have. */
    int[] inputShape() {
        return inputShape.clone();
    }

    /** The prepared decompression, for {@link EjmlSparse}'s direct write. */
    Decompression.Plan decompression() {
        return decompression;
    }

    /** Whether each evaluation is verified (then {@link EjmlSparse} goes through {@link #evaluate}). */
    boolean verifies() {
        return verify;
    }

    /**
     * The detected pattern, m×n.
     *
     * @return the pattern
     */
    public SparsityPattern pattern() {
        return pattern;
    }

    /**
     * The mode, the colour counts against their lower bound, and why.
     *
     * @return the plan
     */
    public SparsePlan plan() {
        return plan;
    }
}
