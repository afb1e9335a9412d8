package dev.dualgrad.transforms;

/**
 * Options of the Jacobian-like transforms ({@code Diff.jacobian}, {@code Diff.batchJacobian},
 * {@code Diff.hessian}, {@code JacobianPenalty.exact}): the mode, the chunk size (directions per pass), a
 * memory budget for the tangents or cotangents of one pass, whether to verify the result with a
 * dot-product test, and whether {@code batchJacobian} checks that samples are independent. Immutable:
 * each setter returns a copy.
 *
 * <p>For f: ℝⁿ → ℝᵐ, forward mode computes the n columns J·e_j, k per pass; reverse mode records f once
 * and computes the m rows e_iᵀJ, c per sweep. {@link JacobianMode#AUTO} takes forward when n ≤ m,
 * reverse otherwise. With chunk size 0 the chunk is what the memory budget holds: ⌊budget / (8·d)⌋
 * directions, d the doubles one direction's tangents (or cotangents) take across the recorded ops, at
 * least 1 and at most all n (or m). The passes are ⌈n / k⌉ (or ⌈m / c⌉); the result does not depend on
 * the chunk size.</p>
 */
public final class JacobianOptions {
    /** 256 MiB: the default budget for the tangents (or cotangents) alive in one pass. */
    public static final long DEFAULT_MEMORY_BUDGET = 256L << 20;

    private final JacobianMode mode;
    private final int chunkSize;
    private final long memoryBudget;
    private final boolean verify;
    private final boolean checkIndependence;
    private final boolean proposeSparse, sparseWhenItPays;

    private JacobianOptions(JacobianMode mode, int chunkSize, long memoryBudget, boolean verify, boolean checkIndependence,
                            boolean proposeSparse, boolean sparseWhenItPays) {
        this.mode = mode;
        this.chunkSize = chunkSize;
        this.memoryBudget = memoryBudget;
        this.verify = verify;
        this.checkIndependence = checkIndependence;
        this.proposeSparse = proposeSparse || sparseWhenItPays;
        this.sparseWhenItPays = sparseWhenItPays;
    }

    /**
     * AUTO mode, automatic chunk size, the {@link #DEFAULT_MEMORY_BUDGET}, no verification, independence
     * check on.
     *
     * @return the default options
     */
    public static JacobianOptions defaults() {
        return new JacobianOptions(JacobianMode.AUTO, 0, DEFAULT_MEMORY_BUDGET, false, true, false, false);
    }

    /**
     * How to compute: {@link JacobianMode#FORWARD} (columns), {@link JacobianMode#REVERSE} (rows) or
     * {@link JacobianMode#AUTO} (forward when n ≤ m). {@code hessian} takes AUTO as forward (over reverse).
     *
     * @param m the mode
     * @return a copy with mode m
     * @throws IllegalArgumentException when m is null
     */
    public JacobianOptions mode(JacobianMode m) {
        if (m == null) throw new IllegalArgumentException("JacobianOptions.mode: m is null (the mode must not be null)");
        return new JacobianOptions(m, chunkSize, memoryBudget, verify, checkIndependence, proposeSparse, sparseWhenItPays);
    }

    /**
     * Directions per pass: k tangents per forward pass, or c cotangents per reverse sweep. 0 (the default)
     * lets the memory budget decide ({@code hessian} instead takes min(n, 128) columns per pass).
     *
     * @param k at least 1, or 0 for automatic
     * @return a copy with chunk size k
     * @throws IllegalArgumentException when k is negative
     */
    public JacobianOptions chunkSize(int k) {
        if (k < 0) throw new IllegalArgumentException("jacobian: chunk size must be ≥ 1 (or 0 for automatic), got " + k);
        return new JacobianOptions(mode, k, memoryBudget, verify, checkIndependence, proposeSparse, sparseWhenItPays);
    }

    /**
     * Bytes that the tangents or cotangents of one pass may take; bounds the automatic chunk size to
     * ⌊bytes / (8·d)⌋ directions (d: doubles per direction), at least one. Ignored when a chunk size is set,
     * and by {@code hessian}.
     *
     * @param bytes a positive number of bytes
     * @return a copy with that budget
     * @throws IllegalArgumentException when bytes is not positive
     */
    public JacobianOptions memoryBudget(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("jacobian: the memory budget must be positive, got " + bytes);
        return new JacobianOptions(mode, chunkSize, bytes, verify, checkIndependence, proposeSparse, sparseWhenItPays);
    }

    /**
     * {@code jacobian} (and {@code hessian}) only: after computing J, the dot-product test for random u
     * (shaped like the output) and v (like the input): ⟨u, J·v⟩ by one forward pass, ⟨uᵀJ, v⟩ by one reverse
     * sweep and uᵀJv from the computed J must agree to rounding (1e-10 of the sum of the |terms|, the
     * tolerance of {@code GradCheck}'s dot-product test). The computation then throws
     * {@link IllegalStateException} if a forward or reverse rule is wrong.
     *
     * @param v true to verify
     * @return a copy with verification on or off
     */
    public JacobianOptions verify(boolean v) {
        return new JacobianOptions(mode, chunkSize, memoryBudget, v, checkIndependence, proposeSparse, sparseWhenItPays);
    }

    /**
     * {@code batchJacobian} only (default on): before computing, one forward pass with tangents on the first
     * and the last sample checks that every other sample's output stays exactly unchanged, and throws
     * if f mixes samples. Costs one pass of two directions. {@code JacobianPenalty} does not check.
     *
     * @param c true to check
     * @return a copy with the check on or off
     */
    public JacobianOptions checkIndependence(boolean c) {
        return new JacobianOptions(mode, chunkSize, memoryBudget, verify, c, proposeSparse, sparseWhenItPays);
    }

    /**
     * Whether {@code batchJacobian} checks that f does not mix samples.
     *
     * @return true when the check runs
     */
    public boolean checkIndependence() {
        return checkIndependence;
    }

    /**
     * The requested mode.
     *
     * @return FORWARD, REVERSE or AUTO
     */
    public JacobianMode mode() {
        return mode;
    }

    /**
     * The requested directions per pass.
     *
     * @return at least 1, or 0 for automatic
     */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * The bytes one pass's tangents or cotangents may take.
     *
     * @return the budget in bytes
     */
    public long memoryBudget() {
        return memoryBudget;
    }

    /**
     * Whether {@code jacobian} verifies its result by the dot-product test.
     *
     * @return true when it verifies
     */
    public boolean verify() {
        return verify;
    }

    /**
     * {@code jacobian} of one input only (default off): also detect the Jacobian's sparsity pattern and colour
     * it, and say in the plan's reason how many passes the sparse route ({@code Diff.sparseJacobian}) would
     * take against the dense route's. Costs one run of f on index sets and the colouring; the Jacobian is
     * still computed densely unless {@link #sparseWhenItPays} is set.
     *
     * @param p true to detect and propose
     * @return a copy with the proposal on or off
     */
    public JacobianOptions proposeSparse(boolean p) {
        return new JacobianOptions(mode, chunkSize, memoryBudget, verify, checkIndependence, p, sparseWhenItPays && p);
    }

    /**
     * {@code jacobian} of one constant input only (default off): detect the pattern as {@link #proposeSparse}
     * does and, when the coloured route takes at most half the directions of the dense one, compute the
     * Jacobian that way (one pass with one direction per colour) and return it dense, as always. The plan
     * says which route was taken and why. An input that an enclosing transform differentiates keeps the
     * dense route, which that transform can differentiate.
     *
     * @param t true to take the sparse route when it pays
     * @return a copy with the choice on or off (on implies {@link #proposeSparse})
     */
    public JacobianOptions sparseWhenItPays(boolean t) {
        return new JacobianOptions(mode, chunkSize, memoryBudget, verify, checkIndependence, proposeSparse || t, t);
    }

    /**
     * Whether {@code jacobian} detects the sparsity pattern and proposes the sparse route in its plan.
     *
     * @return true when it proposes
     */
    public boolean proposeSparse() {
        return proposeSparse;
    }

    /**
     * Whether {@code jacobian} takes the sparse route when it needs at most half the dense route's directions.
     *
     * @return true when it may take it
     */
    public boolean sparseWhenItPays() {
        return sparseWhenItPays;
    }
}
