package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;

/**
 * Picking one class per row by integer index, and its adjoint. Both are linear in the tensor; the
 * indices are plain {@code int[]} and are never differentiated.
 *
 * <pre>
 *   pick     y[..., n] = x[..., n, i_n]          adjoint: scatter
 *   scatter  y[..., n, c] = x[..., n]·[c = i_n]  adjoint: pick
 * </pre>
 */
public final class Indexing {
    private Indexing() {}

    public static Tensor pick(Tensor x, int[] index) {
        Args.nonNull(index, "pick", "index");
        if (x.rank() < 2) {
            throw new IllegalArgumentException("pick: needs a tensor of shape [..., N, C], got " + Shape.str(x.shape()));
        }
        check("pick", index, x.dim(-2), x.dim(-1), x.shape());
        return Dispatch.apply(new Pick(index.clone(), x.dim(-1)), x);
    }

    public static Tensor scatter(Tensor x, int[] index, int classes) {
        Args.nonNull(index, "scatter", "index");
        if (x.rank() < 1) throw new IllegalArgumentException("scatter: needs a tensor of shape [..., N], got a scalar");
        if (classes < 0) throw new IllegalArgumentException("scatter: classes must not be negative, got " + classes);
        Shape.size("scatter", Shape.concat(x.shape(), new int[] {classes}));
        check("scatter", index, x.dim(-1), classes, x.shape());
        return Dispatch.apply(new Scatter(index.clone(), classes), x);
    }

    private static void check(String op, int[] index, int n, int classes, int[] shape) {
        if (index.length != n) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for " + n + " rows (shape " + Shape.str(shape)
                    + "); give one index per row");
        }
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= classes) {
                throw new IndexOutOfBoundsException(op + ": index[" + i + "] = " + index[i] + " is out of range for " + classes
                        + " classes (shape " + Shape.str(shape) + "); indices must lie in [0, " + classes + ")");
            }
        }
    }

    static final class Pick implements Primitive {
        final int[] index;
        final int classes;

        Pick(int[] index, int classes) {
            this.index = index;
            this.classes = classes;
        }

        public String name() { return "pick"; }

        public Reads vjpReads() { return Reads.NOTHING; } // scatter ȳ: shapes only

        public Tensor eval(Tensor[] in) {
            double[] x = Tensors.buffer(in[0]);
            int n = index.length;
            double[] y = new double[Shape.size(Shape.prefix(in[0].shape(), in[0].rank() - 1))]; // not x.length / classes: C may be 0
            for (int b = 0; b < y.length; b += n) {
                for (int i = 0; i < n; i++) y[b + i] = x[(b + i) * classes + index[i]];
            }
            int[] s = in[0].shape();
            return Tensors.adopt(y, Shape.prefix(s, s.length - 1));
        }

        /** A selection: y[..., n] depends on what x[..., n, i_n] depends on (the indices are attributes, not inputs). */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            int n = index.length;
            int[] src = new int[y.size()];
            for (int b = 0; b < src.length; b += n) {
                for (int i = 0; i < n; i++) src[b + i] = (b + i) * classes + index[i];
            }
            return Pattern.gather(src.length, px, new int[][] {src});
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : dx[0].pick(index);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {gy.scatter(index, classes)};
        }
    }

    static final class Scatter implements Primitive {
        final int[] index;
        final int classes;

        Scatter(int[] index, int classes) {
            this.index = index;
            this.classes = classes;
        }

        public String name() { return "scatter"; }

        public Reads vjpReads() { return Reads.NOTHING; } // pick ȳ: shapes only

        public Tensor eval(Tensor[] in) {
            double[] x = Tensors.buffer(in[0]);
            int n = index.length;
            double[] y = new double[Shape.size("scatter", Shape.concat(in[0].shape(), new int[] {classes}))];
            for (int b = 0; b < x.length; b += n) {
                for (int i = 0; i < n; i++) y[(b + i) * classes + index[i]] = x[b + i];
            }
            return Tensors.adopt(y, Shape.concat(in[0].shape(), new int[] {classes}));
        }

        /** y[..., n, i_n] depends on what x[..., n] depends on; every other entry is the constant 0. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            int n = index.length;
            int[] src = new int[y.size()];
            java.util.Arrays.fill(src, -1);
            for (int b = 0; b < x[0].size(); b += n) {
                for (int i = 0; i < n; i++) src[(b + i) * classes + index[i]] = b + i;
            }
            return Pattern.gather(src.length, px, new int[][] {src});
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : dx[0].scatter(index, classes);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {gy.pick(index)};
        }
    }
}
