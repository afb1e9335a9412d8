package dev.dualgrad.tensor;

/**
 * Options of {@link Linalg#triangularSolve(Tensor, Tensor, TriangularSolveOptions)}: which triangle of A
 * is read (lower or upper), whether the system is A·X = B or Aᵀ·X = B, and whether A's diagonal is taken
 * as all ones (not read). Immutable: each method returns a modified copy.
 *
 * <pre>{@code
 * Linalg.triangularSolve(l, b, TriangularSolveOptions.lower().transposed()); // Lᵀ·X = B
 * }</pre>
 */
public final class TriangularSolveOptions {
    final boolean upper, transposed, unitDiagonal;

    private TriangularSolveOptions(boolean upper, boolean transposed, boolean unitDiagonal) {
        this.upper = upper;
        this.transposed = transposed;
        this.unitDiagonal = unitDiagonal;
    }

    /**
     * A is lower triangular: its entries above the diagonal are ignored. The default.
     *
     * @return options solving A·X = B with the lower triangle of A
     */
    public static TriangularSolveOptions lower() {
        return new TriangularSolveOptions(false, false, false);
    }

    /**
     * A is upper triangular: its entries below the diagonal are ignored.
     *
     * @return options solving A·X = B with the upper triangle of A
     */
    public static TriangularSolveOptions upper() {
        return new TriangularSolveOptions(true, false, false);
    }

    /**
     * Solve Aᵀ·X = B instead of A·X = B (the triangle read is still the one named, of A as stored).
     *
     * @return a copy that solves with the transpose
     */
    public TriangularSolveOptions transposed() {
        return new TriangularSolveOptions(upper, true, unitDiagonal);
    }

    /**
     * Take A's diagonal as all ones and do not read it (as for the L factor of an LU factorisation).
     *
     * @return a copy with a unit diagonal
     */
    public TriangularSolveOptions unitDiagonal() {
        return new TriangularSolveOptions(upper, transposed, true);
    }

    /** @return e.g. "lower, transposed" */
    @Override
    public String toString() {
        return (upper ? "upper" : "lower") + (transposed ? ", transposed" : "") + (unitDiagonal ? ", unit diagonal" : "");
    }
}
