package dev.dualgrad.internal.sparsity;

import dev.dualgrad.sparse.SparsityPattern;

/** The position of the transposed entry of each stored entry of a symmetric pattern. */
final class Mirror {
    private Mirror() {}

    /**
     * mirror[p] = the position of (j, i) for the entry p = (i, j); O(n + nnz). Rows are visited in increasing i,
     * so the entries (j, i) of each row j are met in its own (sorted) column order: one cursor per row suffices.
     *
     * @throws IllegalArgumentException when the pattern is not symmetric
     */
    static int[] of(SparsityPattern pattern, String op) {
        int n = pattern.rows();
        if (n != pattern.columns()) {
            throw new IllegalArgumentException(op + ": the pattern is " + n + "×" + pattern.columns() + ", not square");
        }
        int[] ptr = SparseAccess.rowPointers(pattern), adj = SparseAccess.columnIndices(pattern);
        int[] cursor = java.util.Arrays.copyOf(ptr, n);
        int[] mirror = new int[adj.length];
        for (int i = 0; i < n; i++) {
            for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                int j = adj[p];
                int q = cursor[j]++;
                if (q >= ptr[j + 1] || adj[q] != i) {
                    throw new IllegalArgumentException(op + ": the pattern is not symmetric (" + i + ", " + j
                            + ") is stored but (" + j + ", " + i + ") is not, or vice versa; use SparsityPattern.symmetrized()");
                }
                mirror[p] = q;
            }
        }
        return mirror;
    }
}
