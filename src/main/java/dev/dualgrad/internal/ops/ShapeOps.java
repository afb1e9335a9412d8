package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.kernels.Kernels;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * Linear ops that move, copy or pad elements. Each needs only its adjoint: the JVP is the op itself
 * applied to the tangent (over its batch prefix), the VJP is the adjoint applied to the cotangent.
 *
 * <pre>
 *   op           adjoint
 *   reshape      reshape back
 *   permute      inverse permutation
 *   broadcastTo  sum over the broadcast axes
 *   slice        pad with zeros
 *   pad          slice
 *   concat       slices
 *   where(m)     where(m, ȳ, 0) and where(m, 0, ȳ), each summed to its input's shape
 * </pre>
 * select, stack, squeeze and unsqueeze are compositions of these.
 */
public final class ShapeOps {
    private ShapeOps() {}

    // ----------------------------------------------------------------- public entry points, with validation

    public static Tensor reshape(Tensor x, int[] newShape) {
        Args.nonNull(newShape, "reshape", "newShape");
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one dimension may be -1, got " + Shape.str(newShape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Shape.str(newShape));
            } else {
                known = Math.min(known * s[i], (long) Shape.MAX_ELEMENTS + 1); // saturated: never wraps, and still too many for any tensor
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot infer the -1 in " + Shape.str(newShape) + " for a tensor of shape "
                        + Shape.str(x.shape()) + " (" + x.size() + " elements)");
            }
            s[infer] = (int) (x.size() / known);
        }
        if (Shape.size("reshape", s) != x.size()) {
            throw new IllegalArgumentException("reshape: shape " + Shape.str(x.shape()) + " (" + x.size() + " elements) cannot become "
                    + Shape.str(newShape) + " (" + Shape.size(s) + " elements)");
        }
        if (Arrays.equals(s, x.shape())) return x;
        return Dispatch.apply(new Reshape(s), x);
    }

    /** Inserts an axis of size 1; a negative axis counts in the result, as in NumPy's expand_dims. */
    public static Tensor unsqueeze(Tensor x, int axis) {
        int r = x.rank() + 1;
        if (axis < -r || axis >= r) {
            throw new IllegalArgumentException("unsqueeze: axis " + axis + " is out of range for a result of rank " + r
                    + " (input shape " + Shape.str(x.shape()) + "); valid axes are " + (-r) + ".." + (r - 1));
        }
        int a = axis < 0 ? axis + r : axis;
        int[] s = x.shape();
        int[] n = new int[r];
        for (int i = 0, j = 0; i < r; i++) n[i] = i == a ? 1 : s[j++];
        return reshape(x, n);
    }

    public static Tensor squeeze(Tensor x, int axis) {
        int a = Shape.axis("squeeze", axis, x.shape());
        if (x.dim(a) != 1) {
            throw new IllegalArgumentException("squeeze: axis " + axis + " of shape " + Shape.str(x.shape()) + " has size "
                    + x.dim(a) + ", not 1");
        }
        int[] s = x.shape();
        int[] n = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != a) n[j++] = s[i];
        return reshape(x, n);
    }

    public static Tensor permute(Tensor x, int[] perm) {
        Args.nonNull(perm, "permute", "perm");
        int r = x.rank();
        if (perm.length != r) {
            throw new IllegalArgumentException("permute: " + Shape.str(perm) + " has " + perm.length + " axes but the tensor has rank "
                    + r + " (shape " + Shape.str(x.shape()) + ")");
        }
        int[] p = new int[r];
        boolean[] seen = new boolean[r];
        boolean identity = true;
        for (int i = 0; i < r; i++) {
            p[i] = Shape.axis("permute", perm[i], x.shape());
            if (seen[p[i]]) throw new IllegalArgumentException("permute: " + Shape.str(perm) + " is not a permutation (axis " + perm[i] + " repeats)");
            seen[p[i]] = true;
            identity &= p[i] == i;
        }
        return identity ? x : Dispatch.apply(new Permute(p), x);
    }

    public static Tensor transpose(Tensor x, int a, int b) {
        int r = x.rank();
        int i = Shape.axis("transpose", a, x.shape()), j = Shape.axis("transpose", b, x.shape());
        int[] p = new int[r];
        for (int k = 0; k < r; k++) p[k] = k;
        p[i] = j;
        p[j] = i;
        return permute(x, p);
    }

    public static Tensor broadcastTo(Tensor x, int[] target) {
        Args.nonNull(target, "broadcastTo", "target");
        Shape.size("broadcastTo", target); // refuses negative sizes and more than 2³¹ − 1 elements before any work
        if (!Shape.broadcastsTo(x.shape(), target)) {
            throw new IllegalArgumentException("broadcastTo: shape " + Shape.str(x.shape()) + " cannot be broadcast to "
                    + Shape.str(target) + "; aligned on the right, each size must equal the target's or be 1.");
        }
        if (Arrays.equals(x.shape(), target)) return x;
        return Dispatch.apply(new BroadcastTo(target.clone()), x);
    }

    public static Tensor slice(Tensor x, int axis, int start, int end) {
        int a = Shape.axis("slice", axis, x.shape());
        int n = x.dim(a);
        // Negative positions count from the end, as select's index does: -1 is the last element.
        int s = start < 0 ? start + n : start, e = end < 0 ? end + n : end;
        if (s < 0 || e > n || s > e) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is not within axis " + axis
                    + " of size " + n + " (shape " + Shape.str(x.shape()) + "); positions lie in -" + n + ".." + n
                    + ", negative ones counting from the end, and the start must not come after the end");
        }
        if (s == 0 && e == n) return x;
        return Dispatch.apply(new Slice(a, s, e), x);
    }

    public static Tensor pad(Tensor x, int axis, int before, int after) {
        int a = Shape.axis("pad", axis, x.shape());
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("pad: the padding (" + before + ", " + after + ") must not be negative; use slice to cut");
        }
        if (before == 0 && after == 0) return x;
        int[] out = x.shape();
        out[a] = Shape.dimension("pad", (long) before + out[a] + after);
        Shape.size("pad", out);
        return Dispatch.apply(new Pad(a, before, after), x);
    }

    public static Tensor select(Tensor x, int axis, int index) {
        int a = Shape.axis("select", axis, x.shape());
        int n = x.dim(a);
        if (index < -n || index >= n) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for axis " + axis + " of size " + n
                    + " (shape " + Shape.str(x.shape()) + ")");
        }
        int i = index < 0 ? index + n : index;
        return squeeze(slice(x, a, i, i + 1), a);
    }

    public static Tensor concat(int axis, Tensor... parts) {
        Args.nonNullEntries(parts, "concat", "parts");
        if (parts.length == 0) throw new IllegalArgumentException("concat: needs at least one tensor");
        int[] s0 = parts[0].shape();
        int a = Shape.axis("concat", axis, s0);
        for (int i = 1; i < parts.length; i++) {
            int[] s = parts[i].shape();
            boolean ok = s.length == s0.length;
            for (int d = 0; ok && d < s.length; d++) ok = d == a || s[d] == s0[d];
            if (!ok) {
                throw new IllegalArgumentException("concat: part " + i + " has shape " + Shape.str(s) + " but part 0 has "
                        + Shape.str(s0) + "; all parts must match except along axis " + axis);
            }
        }
        if (parts.length == 1) return parts[0];
        long sum = 0;
        for (Tensor t : parts) sum += t.dim(a);
        int[] out = s0.clone();
        out[a] = Shape.dimension("concat", sum);
        Shape.size("concat", out);
        return Dispatch.apply(new Concat(a), parts);
    }

    public static Tensor stack(int axis, Tensor... parts) {
        Args.nonNullEntries(parts, "stack", "parts");
        if (parts.length == 0) throw new IllegalArgumentException("stack: needs at least one tensor");
        int[] s0 = parts[0].shape();
        int r = s0.length + 1;
        if (axis < -r || axis >= r) { // checked here so that the message names stack, not the unsqueeze it uses
            throw new IllegalArgumentException("stack: axis " + axis + " is out of range for a result of rank " + r
                    + " (part shape " + Shape.str(s0) + "); valid axes are " + (-r) + ".." + (r - 1));
        }
        Tensor[] u = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!Arrays.equals(parts[i].shape(), s0)) {
                throw new IllegalArgumentException("stack: part " + i + " has shape " + Shape.str(parts[i].shape())
                        + " but part 0 has " + Shape.str(s0) + "; stacked tensors must all have one shape");
            }
            u[i] = unsqueeze(parts[i], axis);
        }
        int a = axis < 0 ? axis + r : axis;
        return u.length == 1 ? u[0] : Dispatch.apply(new Concat(a), u);
    }

    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        Args.nonNull(mask, "where", "mask");
        Args.nonNull(a, "where", "a");
        Args.nonNull(b, "where", "b");
        return select(mask, a, b, false);
    }

    /**
     * where(mask, a, b) for a mask that is part of the function's structure, not computed from its
     * inputs' values (tril, triu): the sparsity rule may then read it, so that the zeroed elements depend
     * on nothing, where a value-dependent mask must keep the union of both branches.
     */
    static Tensor whereStructural(Tensor mask, Tensor a, Tensor b) {
        return select(mask, a, b, true);
    }

    private static Tensor select(Tensor mask, Tensor a, Tensor b, boolean structural) {
        int[] out = Shape.broadcast("where", Shape.broadcast("where", mask.shape(), a.shape()), b.shape());
        return Dispatch.apply(new Where(mask.detach(), out, structural), a, b);
    }

    // ----------------------------------------------------------------- primitives

    /** Prefix of a batched tangent, followed by {@code s}. */
    private static int[] withPrefix(Tensor t, int primalRank, int[] s) {
        return Shape.concat(Rules.prefix(t, primalRank), s);
    }

    static final class Reshape implements Primitive {
        final int[] shape;

        Reshape(int[] shape) { this.shape = shape; }

        public String name() { return "reshape"; }

        /**
         * Output element e is input element e (the row-major order is unchanged): the input's pattern itself, shared
         * (patterns are immutable), with none of the element codes' primal run that a general selection needs.
         */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) { return px[0]; }

        public Reads vjpReads() { return Reads.NOTHING; } // reshape back to x's shape

        public Tensor eval(Tensor[] x) { return Tensors.adopt(Tensors.buffer(x[0]), shape); } // immutable data: shared, not copied

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : dx[0].reshape(withPrefix(dx[0], x[0].rank(), shape));
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {gy.reshape(withPrefix(gy, shape.length, x[0].shape()))};
        }
    }

    static final class Permute implements Primitive {
        final int[] perm;

        Permute(int[] perm) { this.perm = perm; }

        public String name() { return "permute"; }

        /** A pure selection: each output element is a copy of one input element (or a zero of the padding). */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) { return Pattern.byIndexCodes(this, x, px); }

        public Reads vjpReads() { return Reads.NOTHING; } // the inverse permutation

        public Tensor eval(Tensor[] x) { return Kernels.permute(x[0], perm); }

        /** The permutation extended to a tangent with {@code p} leading batch axes, which stay in place. */
        static int[] shifted(int[] perm, int p) {
            int[] q = new int[p + perm.length];
            for (int i = 0; i < p; i++) q[i] = i;
            for (int i = 0; i < perm.length; i++) q[p + i] = perm[i] + p;
            return q;
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : dx[0].permute(shifted(perm, dx[0].rank() - perm.length));
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            int[] inv = new int[perm.length];
            for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
            return new Tensor[] {gy.permute(shifted(inv, gy.rank() - perm.length))};
        }
    }

    static final class BroadcastTo implements Primitive {
        final int[] target;

        BroadcastTo(int[] target) { this.target = target; }

        public String name() { return "broadcastTo"; }

        /** Output element o is the input element broadcasting reads at o: the elementwise ops' broadcast rule, one operand. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) { return Pattern.broadcast(y.shape(), x, px); }

        public Reads vjpReads() { return Reads.NOTHING; } // sum back to x's shape

        public Tensor eval(Tensor[] x) { return Kernels.broadcastTo(x[0], target); }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : Rules.expand(dx[0], x[0].shape(), target);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {Rules.unbroadcast(gy, target, x[0].shape())};
        }
    }

    static final class Slice implements Primitive {
        final int axis, start, end;

        Slice(int axis, int start, int end) {
            this.axis = axis;
            this.start = start;
            this.end = end;
        }

        public String name() { return "slice"; }

        /** Output element a along the axis is input element a + start. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            return Pattern.alongAxis(px[0], x[0].shape(), axis, end - start, a -> a + start);
        }

        public Reads vjpReads() { return Reads.NOTHING; } // pad back to x's shape

        public Tensor eval(Tensor[] in) {
            int[] s = in[0].shape();
            int inner = 1;
            for (int i = axis + 1; i < s.length; i++) inner *= s[i];
            int outer = Shape.size(Shape.prefix(s, axis));
            int len = end - start;
            double[] x = Tensors.buffer(in[0]);
            double[] y = new double[outer * len * inner];
            for (int o = 0; o < outer; o++) System.arraycopy(x, (o * s[axis] + start) * inner, y, o * len * inner, len * inner);
            int[] out = s.clone();
            out[axis] = len;
            return Tensors.adopt(y, out);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : dx[0].slice(Rules.fromEnd(axis, x[0].rank()), start, end);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {gy.pad(Rules.fromEnd(axis, x[0].rank()), start, x[0].dim(axis) - end)};
        }
    }

    static final class Pad implements Primitive {
        final int axis, before, after;

        Pad(int axis, int before, int after) {
            this.axis = axis;
            this.before = before;
            this.after = after;
        }

        public String name() { return "pad"; }

        /** Output element a along the axis is input element a − before, or a zero of the padding. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            int length = x[0].dim(axis);
            return Pattern.alongAxis(px[0], x[0].shape(), axis, before + length + after, a -> a >= before && a < before + length ? a - before : -1);
        }

        public Reads vjpReads() { return Reads.NOTHING; } // slice back to x's shape

        public Tensor eval(Tensor[] in) {
            int[] s = in[0].shape();
            int inner = 1;
            for (int i = axis + 1; i < s.length; i++) inner *= s[i];
            int outer = Shape.size(Shape.prefix(s, axis));
            int len = s[axis], total = Shape.dimension("pad", (long) before + len + after);
            double[] x = Tensors.buffer(in[0]);
            int[] out = s.clone();
            out[axis] = total;
            double[] y = new double[Shape.size("pad", out)]; // checked: a batched tangent's prefix may push it past 2³¹ − 1
            if (y.length > 0) for (int o = 0; o < outer; o++) System.arraycopy(x, o * len * inner, y, (o * total + before) * inner, len * inner);
            return Tensors.adopt(y, out);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : dx[0].pad(Rules.fromEnd(axis, x[0].rank()), before, after);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {gy.slice(Rules.fromEnd(axis, x[0].rank()), before, before + x[0].dim(axis))};
        }
    }

    static final class Concat implements Primitive {
        final int axis;

        Concat(int axis) { this.axis = axis; }

        public String name() { return "concat"; }

        /** A pure selection: each output element is a copy of one input element (or a zero of the padding). */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) { return Pattern.byIndexCodes(this, x, px); }

        public Reads vjpReads() { return Reads.NOTHING; } // slices at the parts' sizes

        public Tensor eval(Tensor[] in) {
            int[] s = in[0].shape();
            int inner = 1;
            for (int i = axis + 1; i < s.length; i++) inner *= s[i];
            int outer = Shape.size(Shape.prefix(s, axis));
            long sum = 0;
            for (Tensor t : in) sum += t.dim(axis);
            int total = Shape.dimension("concat", sum);
            int[] out = s.clone();
            out[axis] = total;
            double[] y = new double[Shape.size("concat", out)];
            int off = 0;
            for (Tensor t : in) {
                int len = t.dim(axis);
                double[] x = Tensors.buffer(t);
                if (y.length > 0) for (int o = 0; o < outer; o++) System.arraycopy(x, o * len * inner, y, (o * total + off) * inner, len * inner);
                off += len;
            }
            return Tensors.adopt(y, out);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            int[] p = null;
            for (int i = 0; i < dx.length && p == null; i++) if (dx[i] != null) p = Rules.prefix(dx[i], x[i].rank());
            if (p == null) return null;
            Tensor[] t = new Tensor[dx.length];
            for (int i = 0; i < dx.length; i++) t[i] = dx[i] != null ? dx[i] : Tensor.zeros(Shape.concat(p, x[i].shape()));
            return concat(Rules.fromEnd(axis, y.rank()), t);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            Tensor[] g = new Tensor[x.length];
            int a = Rules.fromEnd(axis, y.rank());
            int off = 0;
            for (int i = 0; i < x.length; i++) {
                int len = x[i].dim(axis);
                if (need[i]) g[i] = gy.slice(a, off, off + len);
                off += len;
            }
            return g;
        }
    }

    static final class Where implements Primitive {
        final Tensor mask;
        final int[] out;
        final boolean structural;

        Where(Tensor mask, int[] out, boolean structural) {
            this.mask = mask;
            this.out = out;
            this.structural = structural;
        }

        public String name() { return "where"; }

        /**
         * Elementwise over a and b broadcast: the union of both branches, whichever the mask picks at this x (a
         * mask computed from values may pick the other one elsewhere). A structural mask (tril, triu) is read:
         * each element depends on the branch it takes only.
         */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            if (!structural) return Pattern.broadcast(out, x, px);
            double[] m = Tensors.buffer(Kernels.broadcastTo(mask, out));
            int[][] src = new int[2][];
            for (int i = 0; i < 2; i++) {
                if (px[i] == null) continue;
                src[i] = Pattern.broadcastIndex(x[i].shape(), out);
                for (int o = 0; o < m.length; o++) if ((m[o] != 0) != (i == 0)) src[i][o] = -1;
            }
            return Pattern.gather(m.length, px, src);
        }

        public Reads vjpReads() { return Reads.NOTHING; } // the mask is a constant field; a and b are read for their shapes only

        public Tensor eval(Tensor[] x) {
            double[] m = Tensors.buffer(Kernels.broadcastTo(mask, out));
            double[] a = Tensors.buffer(Kernels.broadcastTo(x[0], out));
            double[] b = Tensors.buffer(Kernels.broadcastTo(x[1], out));
            double[] y = new double[m.length];
            for (int i = 0; i < y.length; i++) y[i] = m[i] != 0 ? a[i] : b[i];
            return Tensors.adopt(y, out);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            if (dx[0] == null && dx[1] == null) return null;
            Tensor zero = Tensor.scalar(0);
            Tensor a = dx[0] == null ? zero : Rules.align(dx[0], x[0].shape(), out.length);
            Tensor b = dx[1] == null ? zero : Rules.align(dx[1], x[1].shape(), out.length);
            Tensor t = select(mask, a, b, structural);
            int i = dx[0] != null ? 0 : 1;
            int[] target = withPrefix(dx[i], x[i].rank(), out);
            return Arrays.equals(t.shape(), target) ? t : t.broadcastTo(target);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            Tensor zero = Tensor.scalar(0);
            return new Tensor[] {
                need[0] ? Rules.unbroadcast(select(mask, gy, zero, structural), out, x[0].shape()) : null,
                need[1] ? Rules.unbroadcast(select(mask, zero, gy, structural), out, x[1].shape()) : null};
        }
    }
}
