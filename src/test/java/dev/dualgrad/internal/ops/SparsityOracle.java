package dev.dualgrad.internal.ops;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The references SparsityConformanceTest compares detected patterns with, none of them computed by the
 * sparsity code: nonzeros of the dense Jacobian and Hessian (Diff.jacobian / Diff.hessian, plain forward
 * and reverse mode), and patterns written from the shapes alone (the diagonal, NumPy broadcasting).
 * A pattern is a boolean matrix here, rows = output elements, columns = the packed input elements.
 */
final class SparsityOracle {
    private SparsityOracle() {}

    /** The op's inputs flattened and concatenated, in argument order: the one vector detection is seeded with. */
    static Tensor pack(Tensor[] xs) {
        int n = 0;
        for (Tensor x : xs) n += x.size();
        double[] all = new double[n];
        int off = 0;
        for (Tensor x : xs) {
            double[] v = x.toArray();
            System.arraycopy(v, 0, all, off, v.length);
            off += v.length;
        }
        return Tensor.of(all, n);
    }

    /** Where each argument starts in the packed vector. */
    static int[] offsets(int[][] shapes) {
        int[] off = new int[shapes.length];
        for (int k = 1; k < shapes.length; k++) off[k] = off[k - 1] + size(shapes[k - 1]);
        return off;
    }

    static int size(int[] shape) {
        int s = 1;
        for (int d : shape) s *= d;
        return s;
    }

    /** z ↦ op(parts of z): each argument a slice of z reshaped to its shape. */
    static TensorFunction unpacked(OpSpec spec, int[][] shapes) {
        int[] off = offsets(shapes);
        return z -> {
            Tensor[] parts = new Tensor[shapes.length];
            for (int k = 0; k < shapes.length; k++) parts[k] = z.slice(0, off[k], off[k] + size(shapes[k])).reshape(shapes[k]);
            return spec.apply(parts);
        };
    }

    /** The dense Jacobian of f at z as an m × n row-major array (m = f(z).size(), n = z.size()). */
    static double[] denseJacobian(TensorFunction f, Tensor z) {
        return Diff.jacobian(f, z).toArray();
    }

    /** The nonzeros (|a| > 0) of an m × n row-major array. NaN counts as a nonzero: it must come from somewhere. */
    static boolean[][] nonzeros(double[] a, int m, int n) {
        if (a.length != m * n) throw new IllegalStateException("expected " + m + "×" + n + " entries, got " + a.length);
        boolean[][] nz = new boolean[m][n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) nz[i][j] = !(a[i * n + j] == 0);
        return nz;
    }

    /** In place: a |= b. */
    static void orInto(boolean[][] a, boolean[][] b) {
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[i].length; j++) a[i][j] |= b[i][j];
    }

    /** Detected rows as a boolean matrix, checking they are well formed: m rows, sorted, distinct, in [0, n). */
    static boolean[][] matrix(String what, int[][] rows, int m, int n) {
        if (rows == null || rows.length != m) {
            throw new AssertionError(what + ": the detected pattern has " + (rows == null ? "no" : rows.length) + " rows, the output " + m + " elements");
        }
        boolean[][] p = new boolean[m][n];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < rows[i].length; k++) {
                int j = rows[i][k];
                if (j < 0 || j >= n || (k > 0 && rows[i][k - 1] >= j)) {
                    throw new AssertionError(what + ": row " + i + " of the detected pattern is not sorted, distinct and in [0, " + n + "): " + Arrays.toString(rows[i]));
                }
                p[i][j] = true;
            }
        }
        return p;
    }

    /** The entries set in {@code a} but not in {@code b}, as "(i,j)" pairs (the first 20). */
    static List<String> missing(boolean[][] a, boolean[][] b) {
        List<String> out = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                if (a[i][j] && !b[i][j]) {
                    if (count < 20) out.add("(" + i + "," + j + ")");
                    count++;
                }
            }
        }
        if (count > 20) out.add("… " + (count - 20) + " more");
        return out;
    }

    static int count(boolean[][] a) {
        int c = 0;
        for (boolean[] r : a) for (boolean b : r) if (b) c++;
        return c;
    }

    /** Elementwise unary: output element o depends on input element o alone, written from the shape. */
    static boolean[][] diagonal(int n) {
        boolean[][] p = new boolean[n][n];
        for (int i = 0; i < n; i++) p[i][i] = true;
        return p;
    }

    /** The diagonal as rows: row i = {i}. */
    static int[][] diagonalRows(int n) {
        int[][] r = new int[n][];
        for (int i = 0; i < n; i++) r[i] = new int[] {i};
        return r;
    }

    /**
     * NumPy broadcasting, written out: output element o (multi-index over {@code out}) reads element
     * idx of argument k, where shapes are right-aligned and a dimension of size 1 is read at 0.
     */
    static boolean[][] broadcast(int[] out, int[][] shapes) {
        int m = size(out), n = 0;
        for (int[] s : shapes) n += size(s);
        int[] off = offsets(shapes);
        boolean[][] p = new boolean[m][n];
        int[] idx = new int[out.length];
        for (int o = 0; o < m; o++) {
            int rest = o; // unravel o, row-major
            for (int d = out.length - 1; d >= 0; d--) {
                idx[d] = rest % out[d];
                rest /= out[d];
            }
            for (int k = 0; k < shapes.length; k++) {
                int[] s = shapes[k];
                int lead = out.length - s.length, flat = 0;
                for (int d = 0; d < s.length; d++) {
                    if (s[d] != 1 && s[d] != out[lead + d]) throw new IllegalStateException("shape " + Arrays.toString(s) + " does not broadcast to " + Arrays.toString(out));
                    flat = flat * s[d] + (s[d] == 1 ? 0 : idx[lead + d]);
                }
                p[o][off[k] + flat] = true;
            }
        }
        return p;
    }

    /**
     * The Hessian pattern of z ↦ Σₒ wₒ·sin(fₒ(z)) implied by f's Jacobian pattern when each fₒ depends on
     * all of its row jointly (true of elementwise and copy maps): the union over o of rowₒ × rowₒ.
     */
    static boolean[][] outerUnion(boolean[][] jac, int n) {
        boolean[][] h = new boolean[n][n];
        for (boolean[] row : jac) {
            for (int i = 0; i < n; i++) {
                if (!row[i]) continue;
                for (int j = 0; j < n; j++) if (row[j]) h[i][j] = true;
            }
        }
        return h;
    }
}
