package dev.dualgrad.internal.sparsity;

import dev.dualgrad.sparse.SparsityPattern;

/**
 * The position of the transposed entry of each stored entry of a symmetric pattern, and the symmetry check
 * itself ({@link SparsityPattern#isSymmetric} asks {@link #find}): one cursor walk for both.
 */
public final class Mirror {
    private Mirror() {}

    /**
     * mirror[p] = the position of (j, i) for the entry p = (i, j); O(n + nnz).
     *
     * @throws IllegalArgumentException when the pattern is not square or not symmetric
     */
    static int[] of(SparsityPattern pattern, String op) {
        int n = pattern.rows();
        if (n != pattern.columns()) {
            throw new IllegalArgumentException(op + ": the pattern is " + n + "×" + pattern.columns() + ", not square");
        }
        int[] ptr = SparseAccess.rowPointers(pattern), adj = SparseAccess.columnIndices(pattern);
        int[] mirror = new int[adj.length];
        int missing = find(n, ptr, adj, mirror);
        if (missing >= 0) {
            int i = rowOf(missing, ptr), j = adj[missing];
            throw new IllegalArgumentException(op + ": the pattern is not symmetric (" + i + ", " + j
                    + ") is stored but (" + j + ", " + i + ") is not, or vice versa; use SparsityPattern.symmetrized()");
        }
        return mirror;
    }

    /**
     * Finds each stored entry's mirror in the n×n CSR pattern (ptr, adj), writing its position to {@code mirror}
     * when that is not null. Rows are visited in increasing i, so the entries (j, i) of each row j are met in its own
     * sorted column order and one cursor per row suffices; every entry matched once means every entry has its mirror
     * (the cursors step nnz times in all). O(n + nnz), no transpose built.
     *
     * @return -1 when the pattern is symmetric, else the position of the first entry met without its mirror
     */
    public static int find(int n, int[] ptr, int[] adj, int[] mirror) {
        int[] cursor = java.util.Arrays.copyOf(ptr, n);
        for (int i = 0; i < n; i++) {
            for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                int j = adj[p], q = cursor[j]++;
                if (q >= ptr[j + 1] || adj[q] != i) return p;
                if (mirror != null) mirror[p] = q;
            }
        }
        return -1;
    }

    private static int rowOf(int p, int[] ptr) {
        int i = 0;
        while (ptr[i + 1] <= p) i++;
        return i;
    }
}
