package dev.dualgrad.sparse;

import dev.dualgrad.transforms.JacobianMode;
import java.util.Locale;

/**
 * What a sparse Jacobian or Hessian decided and why. The matrix has {@code nonZeros} stored entries in
 * its detected pattern; columns (forward) or rows (reverse) of one colour are structurally orthogonal, so
 * one direction per colour recovers them all: {@code colours} directions instead of {@code columns} (or
 * {@code rows}). No colouring can use fewer colours than the most entries in one row (forward: those
 * columns all meet in that row) or in one column (reverse), {@code lowerBound}; greedy colouring is
 * usually at or near it on banded and stencil patterns. A Hessian's star colouring can beat its largest row
 * (an arrow pattern takes 2 colours), so its bound is the star colouring's own: 3 once the pattern holds a
 * path on four vertices or a triangle, 2 when it is star-shaped, 1 when diagonal.
 *
 * @param mode          FORWARD (J·S, or H·S by forward over reverse for a Hessian) or REVERSE (Sᵀ·J), never AUTO
 * @param rows          m, rows of the matrix (output elements)
 * @param columns       n, columns (input elements)
 * @param nonZeros      entries of the detected pattern
 * @param colours       directions of the chosen mode: column colours (forward) or row colours (reverse)
 * @param lowerBound    no valid colouring has fewer colours: the largest row count (forward) or column count (reverse), for a
 *                      Hessian the star colouring's bound (above)
 * @param columnColours colours of the column colouring (for a Hessian, of the star colouring)
 * @param rowColours    colours of the row colouring; for a Hessian, equal to columnColours (H is symmetric)
 * @param chunk         colours seeded per pass
 * @param passes        forward passes or backward sweeps: ⌈colours / chunk⌉
 * @param reason        why this mode was chosen
 */
public record SparsePlan(JacobianMode mode, int rows, int columns, long nonZeros, int colours, int lowerBound,
                         int columnColours, int rowColours, int chunk, int passes, String reason) {
    /**
     * The plan in words.
     *
     * @return one line of text
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "sparse plan: %s mode, %d×%d with %d nonzeros (density %.3g), %d colour%s (lower bound %d),"
                        + " %d direction%s per pass, %d pass%s. %s", mode, rows, columns, nonZeros,
                rows == 0 || columns == 0 ? 0.0 : nonZeros / ((double) rows * columns), colours, colours == 1 ? "" : "s", lowerBound,
                chunk, chunk == 1 ? "" : "s", passes, passes == 1 ? "" : "es", reason);
    }
}
