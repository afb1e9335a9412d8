package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;

/**
 * Indexing along one axis, each op a {@link FlatGather} by a map built here once (so its JVP is the same
 * gather of the tangent and its VJP the scatter-add of the cotangent):
 * <pre>
 *   takeAlongAxis  y[..., j, ...] = x[..., index[..., j, ...], ...]   NumPy's take_along_axis
 *   indexSelect    y[..., j, ...] = x[..., index[j], ...]             NumPy's take(x, index, axis)
 *   scatterAdd     y = x;  y[..., index[..., j, ...], ...] += v[..., j, ...]
 * </pre>
 * Indices count from the end when negative (−1 is the last); one outside −n..n − 1 throws an
 * IndexOutOfBoundsException naming the op. An index tensor must be constant and hold integers.
 */
public final class AxisIndexing {
    private AxisIndexing() {}

    public static Tensor takeAlongAxis(Tensor x, Tensor index, int axis) {
        String op = "takeAlongAxis";
        Args.nonNull(index, op, "index");
        int[] xs = x.shape(), is = index.shape();
        int a = Shape.axis(op, axis, xs);
        sameRank(op, xs, is);
        int[] out = new int[xs.length];
        for (int d = 0; d < xs.length; d++) {
            if (d == a || xs[d] == is[d] || xs[d] == 1) out[d] = is[d];
            else if (is[d] == 1) out[d] = xs[d];
            else {
                throw new IllegalArgumentException(op + ": index of shape " + Shape.str(is) + " does not broadcast against x of shape "
                        + Shape.str(xs) + " off axis " + axis + " (axis " + d + ": " + is[d] + " vs " + xs[d] + "); each size must agree or be 1");
            }
        }
        Shape.size(op, out);
        int[] k = indices(op, index, xs, a);
        int[] xst = Shape.strides(xs), ist = Shape.broadcastStrides(is, out);
        for (int d = 0; d < xs.length; d++) if (d != a && xs[d] == 1) xst[d] = 0; // x broadcast along d
        return FlatGather.gather(op, x, alongAxis(out, k, ist, xst, a), xs, out);
    }

    public static Tensor scatterAdd(Tensor x, Tensor index, Tensor values, int axis) {
        String op = "scatterAdd";
        Args.nonNull(index, op, "index");
        Args.nonNull(values, op, "values");
        int[] xs = x.shape(), is = index.shape();
        int a = Shape.axis(op, axis, xs);
        sameRank(op, xs, is);
        if (!java.util.Arrays.equals(is, values.shape())) {
            throw new IllegalArgumentException(op + ": values of shape " + Shape.str(values.shape()) + " and index of shape " + Shape.str(is)
                    + " must have one shape (one index per value)");
        }
        for (int d = 0; d < xs.length; d++) {
            if (d != a && is[d] != xs[d]) {
                throw new IllegalArgumentException(op + ": index of shape " + Shape.str(is) + " must match x of shape " + Shape.str(xs)
                        + " on every axis but " + axis + " (axis " + d + ": " + is[d] + " vs " + xs[d] + ")");
            }
        }
        int[] k = indices(op, index, xs, a);
        int[] xst = Shape.strides(xs), ist = Shape.strides(is);
        int[] map = alongAxis(is, k, ist, xst, a);
        return x.add(FlatGather.scatterAdd(op, values, map, is, xs));
    }

    public static Tensor indexSelect(Tensor x, int[] index, int axis) {
        String op = "indexSelect";
        Args.nonNull(index, op, "index");
        int[] xs = x.shape();
        int a = Shape.axis(op, axis, xs);
        int[] k = new int[index.length];
        for (int i = 0; i < index.length; i++) k[i] = normalise(op, index[i], "index[" + i + "]", xs, a);
        int[] out = xs.clone();
        out[a] = index.length;
        Shape.size(op, out);
        int[] st = Shape.strides(xs);
        int[] map = FlatGather.separable(out, (d, c) -> (d == a ? k[c] : c) * st[d]);
        return FlatGather.gather(op, x, map, xs, out);
    }

    /**
     * The map of an index along axis a: for each position c of {@code shape}, x's position with coordinate
     * k[index position of c] on the axis and c elsewhere (strides 0 where x or the index is broadcast).
     */
    private static int[] alongAxis(int[] shape, int[] k, int[] indexStrides, int[] xStrides, int a) {
        return FlatGather.map(shape, c -> {
            int p = 0, q = 0;
            for (int d = 0; d < c.length; d++) {
                q += c[d] * indexStrides[d];
                if (d != a) p += c[d] * xStrides[d];
            }
            return p + k[q] * xStrides[a];
        });
    }

    private static void sameRank(String op, int[] xs, int[] is) {
        if (is.length != xs.length) {
            throw new IllegalArgumentException(op + ": index of shape " + Shape.str(is) + " has rank " + is.length + " but x of shape "
                    + Shape.str(xs) + " has rank " + xs.length + "; they must have the same rank (axes of size 1 broadcast)");
        }
    }

    /** The entries of a constant integer-valued index tensor, normalised to 0..n − 1 for axis a of a tensor shaped xs. */
    private static int[] indices(String op, Tensor index, int[] xs, int a) {
        if (!index.isConstant()) {
            throw new IllegalArgumentException(op + ": index must be a constant tensor (indices are never differentiated); pass index.detach()");
        }
        double[] v = Tensors.buffer(index);
        int[] k = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": index element " + i + " (row-major) is " + v[i] + ", not an integer");
            }
            k[i] = normalise(op, (int) v[i], "index element " + i + " (row-major)", xs, a);
        }
        return k;
    }

    /** An index in −n..n − 1 along axis a, as 0..n − 1. */
    static int normalise(String op, int k, String what, int[] xs, int a) {
        int n = xs[a];
        if (k < -n || k >= n) {
            throw new IndexOutOfBoundsException(op + ": " + what + " = " + k + " is out of range for axis " + a + " of size " + n + " (shape "
                    + Shape.str(xs) + "); indices lie in " + (n == 0 ? "nothing (the axis is empty)" : -n + ".." + (n - 1) + ", negative ones counting from the end"));
        }
        return k < 0 ? k + n : k;
    }
}
