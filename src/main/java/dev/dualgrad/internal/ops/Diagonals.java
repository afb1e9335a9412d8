package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;

/**
 * Diagonals and triangles of matrices, batched over the other axes. With offset k (k &gt; 0 above the main
 * diagonal, k &lt; 0 below):
 * <pre>
 *   diagonal  y[..., t] = x[..., t + max(0, −k), t + max(0, k)]   a {@link FlatGather}; adjoint: embed
 *   diag      y[..., t + max(0, −k), t + max(0, k)] = x[..., t]    the embedding: diagonal's adjoint, zeros elsewhere
 *   tril      y = where(j − i ≤ k, x, 0)      triu: where(j − i ≥ k, x, 0)
 *   trace     y = Σ_t diagonal(x)[..., t]     of the last two axes
 * </pre>
 */
public final class Diagonals {
    private Diagonals() {}

    /** The diagonal of axes (rows, columns), appended as the last axis, as NumPy's diagonal(x, offset, rows, columns). */
    public static Tensor diagonal(Tensor x, int offset, int rows, int columns) {
        int[] xs = x.shape();
        if (xs.length < 2) throw new IllegalArgumentException("diagonal: needs a tensor of rank ≥ 2, got shape " + Shape.str(xs));
        int a1 = Shape.axis("diagonal", rows, xs), a2 = Shape.axis("diagonal", columns, xs);
        if (a1 == a2) {
            throw new IllegalArgumentException("diagonal: the row axis " + rows + " and the column axis " + columns + " are both axis " + a1
                    + " of shape " + Shape.str(xs) + "; give two different axes");
        }
        long n1 = xs[a1], n2 = xs[a2], k = offset;
        int len = (int) Math.max(0, k >= 0 ? Math.min(n1, n2 - k) : Math.min(n1 + k, n2));
        int r0 = (int) Math.max(0, Math.min(n1, -k)), c0 = (int) Math.max(0, Math.min(n2, k)); // only used when len > 0, where they are < n
        int[] out = new int[xs.length - 1];
        int[] st = Shape.strides(xs), ost = new int[xs.length - 1];
        for (int d = 0, j = 0; d < xs.length; d++) {
            if (d == a1 || d == a2) continue;
            ost[j] = st[d];
            out[j++] = xs[d];
        }
        out[out.length - 1] = len;
        int last = out.length - 1;
        int[] map = FlatGather.separable(out, (d, c) -> d < last ? c * ost[d] : (c + r0) * st[a1] + (c + c0) * st[a2]);
        return FlatGather.gather("diagonal", x, map, xs, out);
    }

    /** Embeds the last axis [..., n] as the diagonal of [..., n + |k|, n + |k|] matrices, as PyTorch's diag_embed (NumPy's diag for a vector). */
    public static Tensor diag(Tensor x, int offset) {
        int[] xs = x.shape();
        if (xs.length < 1) throw new IllegalArgumentException("diag: needs a vector (or vectors [..., n]); a 0-d tensor has no diagonal");
        long k = offset;
        int n = xs[xs.length - 1], m = Shape.dimension("diag", n + Math.abs(k));
        int[] out = Shape.concat(Shape.prefix(xs, xs.length - 1), new int[] {m, m});
        Shape.size("diag", out);
        int r0 = (int) Math.max(0, -k), c0 = (int) Math.max(0, k);
        int[] ost = Shape.strides(out);
        int last = xs.length - 1;
        int[] map = FlatGather.separable(xs, (d, c) -> d < last ? c * ost[d] : (c + r0) * ost[last] + (c + c0) * ost[last + 1]);
        return FlatGather.scatterAdd("diag", x, map, xs, out);
    }

    /** The lower triangle (upper = false: j − i ≤ k) or the upper one (j − i ≥ k) of the last two axes, zeros elsewhere. */
    public static Tensor triangle(String op, Tensor x, int offset, boolean upper) {
        int[] xs = x.shape();
        if (xs.length < 2) throw new IllegalArgumentException(op + ": needs a matrix or a batch of matrices [..., n, m], got shape " + Shape.str(xs));
        int n = xs[xs.length - 2], m = xs[xs.length - 1];
        double[] mask = new double[Shape.size(op, new int[] {n, m})];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                long d = (long) j - i;
                mask[i * m + j] = (upper ? d >= offset : d <= offset) ? 1 : 0;
            }
        }
        return ShapeOps.whereStructural(Tensor.of(mask, n, m), x, Tensor.scalar(0));
    }

    public static Tensor trace(Tensor x) {
        if (x.rank() < 2) throw new IllegalArgumentException("trace: needs a matrix or a batch of matrices [..., n, m], got shape " + Shape.str(x.shape()));
        return diagonal(x, 0, -2, -1).sum(-1);
    }
}
