/**
 * Sparse matrices: {@link dev.dualgrad.sparse.SparsityPattern}, the boolean structure of a Jacobian or Hessian
 * (which (i, j) may be nonzero), and {@link dev.dualgrad.sparse.SparseMatrix}, an immutable matrix of doubles in
 * compressed sparse row (CSR) form over such a pattern.
 *
 * <p>A sparse Jacobian J ∈ ℝ^{m×n} is computed from a few compressed products: the columns are coloured so that
 * no two columns of one colour share a row, and then J·S, with S the n×c seed matrix (S[j][colour(j)] = 1),
 * holds each J[i][j] alone at (i, colour(j)). c, the number of colours, is at least the largest row count
 * ({@link dev.dualgrad.sparse.SparsityPattern#maxRowCount()}) and does not grow with n for banded or stencil
 * structures. Hessians use a star colouring of their symmetric pattern in the same way.</p>
 */
package dev.dualgrad.sparse;
