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
 * A sparse Hessian of a scalar function, prepared once (pattern and star colouring) and evaluated at many
 * points, each evaluation one pass of Hessian-vector products (forward over reverse), one per colour.
 *
 * <p>H[i][j] = ∂²f/∂xᵢ∂xⱼ for x of any shape, read row-major (n = x.size()). The pattern is that of ∇f,
 * detected by tracing the reverse sweep, and made symmetric. A star colouring (Gebremedhin, Manne and
 * Pothen 2005) is a distance-1 colouring in which every path on four vertices uses at least three
 * colours (so the plan's lower bound is the one of {@code Coloring.starLowerBound}: 3 once a path on four
 * vertices or a triangle exists, 2 for star-shaped patterns; the largest row count is no bound here); with S[j][colour(j)] = 1, every entry is then read directly from B = H·S: H[i][j] = B[i][colour(j)]
 * when no other neighbour of i has j's colour, else H[i][j] = H[j][i] = B[j][colour(i)]. A tridiagonal
 * Hessian (Rosenbrock's) takes 3 colours, whatever n.</p>
 *
 * <p>As for {@link SparseJacobian}, the pattern holds wherever f takes the branches it took at the point of
 * preparation; {@code JacobianOptions.verify(true)} checks each evaluation against one Hessian-vector
 * product along a random direction.</p>
 *
 * <p>Immutable once prepared: {@link #evaluate} may be called from several threads at once, each call running
 * its own transforms.</p>
 */
public final class SparseHessian {
    private static final String OP = "sparseHessian";
    private final TensorFunction f;
    private final int[] inputShape;
    private final SparsityPattern pattern;
    private final SparsePlan plan;
    private final int[] colour;
    private final Decompression.Plan decompression;
    private final boolean verify;

    /**
     * onePass: for one evaluation, first fit on the columns (O(nnz)) is taken when it needs no more colours than any star
     * colouring could ({@link Coloring#starLowerBound}): columns of one colour share no row, so H·S still gives every
     * entry directly, without the star colouring's bookkeeping. Else, and always when prepared, the star colouring.
     */
    private SparseHessian(TensorFunction f, Tensor x, JacobianOptions options, boolean onePass) {
        this.f = f;
        this.inputShape = x.shape();
        this.verify = options.verify();
        Detection.Result detected = Detection.hessian(OP, f, x);
        pattern = SparsityPattern.fromRows(x.size(), detected.rows());
        int lowerBound = Coloring.starLowerBound(pattern);
        Coloring firstFit = onePass ? Coloring.columns(pattern, Coloring.Order.NATURAL) : null;
        Coloring chosen;
        String how;
        if (firstFit != null && firstFit.count() <= lowerBound) {
            chosen = firstFit;
            decompression = Decompression.forwardPlan(pattern, firstFit);
            how = "one per colour of a column colouring (first fit, as few colours as any star colouring), which reads every entry directly.";
        } else {
            Decompression.Star starred = Decompression.star(pattern);
            chosen = starred.coloring();
            decompression = starred.plan();
            how = "one per colour of a star colouring, which reads every entry directly.";
        }
        colour = chosen.colors();
        JacobianOptions o = options.mode(JacobianMode.FORWARD);
        // detection traced f and its reverse sweep: the ops a Hessian-vector product carries a tangent through
        CompressedSweeps.Plan c = CompressedSweeps.choose(o, chosen.count(), chosen.count(), detected.perDirection());
        String why = "Hessian-vector products by forward over reverse, " + how + c.why().substring(c.why().indexOf('.') + 1);
        int colours = pattern.nonZeros() == 0 ? 0 : chosen.count(); // an empty pattern needs no product at all
        plan = new SparsePlan(JacobianMode.FORWARD, pattern.rows(), pattern.columns(), pattern.nonZeros(), colours,
                lowerBound, colours, colours, c.chunk(), (colours + c.chunk() - 1) / c.chunk(), why);
    }

    /**
     * Detects the Hessian pattern of f at x and star-colours it.
     *
     * @param f a scalar function (one output element)
     * @param x the point of detection (its shape is the one {@link #evaluate} accepts)
     * @return the prepared Hessian
     * @throws NullPointerException when f or x is null
     * @throws IllegalArgumentException when f is not scalar, returns null, or x is not a constant
     */
    public static SparseHessian prepare(TensorFunction f, Tensor x) {
        return prepare(f, x, JacobianOptions.defaults());
    }

    /**
     * As {@link #prepare(TensorFunction, Tensor)}, with the colours per pass ({@code chunkSize}, else as many
     * as fit the memory budget) and {@code verify} set. The mode must be AUTO or FORWARD: the products are
     * forward over reverse.
     *
     * @param f a scalar function
     * @param x the point of detection
     * @param options chunk size, memory budget and verification
     * @return the prepared Hessian
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the mode is REVERSE, f is not scalar or returns null, or x is not a constant
     */
    public static SparseHessian prepare(TensorFunction f, Tensor x, JacobianOptions options) {
        checkPreparing(f, x, options);
        return new SparseHessian(f, x, options, false);
    }

    /**
     * H(x) once, as {@code Diff.sparseHessian} computes it: {@code prepare(f, x, options).evaluate(x)}, except that a
     * column colouring by first fit is taken when it has no more colours than any star colouring could (see the
     * constructor): Rosenbrock's tridiagonal Hessian is then coloured in O(nnz). The same entries.
     */
    static SparseMatrix once(TensorFunction f, Tensor x, JacobianOptions options) {
        checkPreparing(f, x, options);
        return new SparseHessian(f, x, options, true).evaluate(x);
    }

    private static void checkPreparing(TensorFunction f, Tensor x, JacobianOptions options) {
        Verification.preparing(OP, f, x, options);
        if (options.mode() == JacobianMode.REVERSE) {
            throw new IllegalArgumentException(OP + ": mode REVERSE was requested, but a sparse Hessian is computed as Hessian-vector"
                    + " products by forward over reverse; use AUTO or FORWARD");
        }
    }

    /**
     * The Hessian at x, with no new detection.
     *
     * @param x a point of the shape given to {@link #prepare}
     * @return H(x), n×n and symmetric, in the prepared pattern
     * @throws NullPointerException when x is null
     * @throws IllegalArgumentException when x has another shape or is not a constant
     * @throws IllegalStateException when {@code verify} is set and H(x)·v disagrees with the Hessian-vector product along v
     */
    public SparseMatrix evaluate(Tensor x) {
        Verification.evaluating(OP, x, inputShape, "Hessian");
        SparseMatrix h = plan.colours() == 0 ? SparseMatrix.of(pattern, new double[0]) // no entry can be nonzero: no product
                : decompression.decompress(CompressedSweeps.hessian(OP, f, x, colour, plan.colours(), plan.chunk()));
        if (verify) Verification.hessian(OP, f, x, h);
        return h;
    }

    /** The compressed products H·S at x (x checked by the caller; colours ≥ 1). */
    double[] compressed(Tensor x) {
        return CompressedSweeps.hessian(OP, f, x, colour, plan.colours(), plan.chunk());
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
     * The detected pattern, n×n and symmetric.
     *
     * @return the pattern
     */
    public SparsityPattern pattern() {
        return pattern;
    }

    /**
     * The colour count against its lower bound, the colours per pass, and why.
     *
     * @return the plan
     */
    public SparsePlan plan() {
        return plan;
    }
}
