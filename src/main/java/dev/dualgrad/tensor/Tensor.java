package dev.dualgrad.tensor;

import dev.dualgrad.internal.engine.Level;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Shape;

import dev.dualgrad.internal.ops.BinaryOps;
import dev.dualgrad.internal.ops.Comparisons;
import dev.dualgrad.internal.ops.Indexing;
import dev.dualgrad.internal.ops.MatMul;
import dev.dualgrad.internal.ops.Reductions;
import dev.dualgrad.internal.ops.ShapeOps;
import dev.dualgrad.internal.ops.UnaryOps;
import java.util.Arrays;
import java.util.Locale;

/**
 * An immutable n-dimensional array of float64 values, row-major, with NumPy broadcasting.
 *
 * <p>Every op computes its primal value and, when an input carries a tangent of an active
 * {@code jvp} (or is recorded by an active tape), the derivative information of that transform in
 * the same call. A tensor with no tangent costs nothing extra: constants never get a zero tangent.</p>
 *
 * <p>Internally a tensor is either concrete (a {@code double[]} and a shape) or belongs to one
 * {@link Level}: a dual tensor holds its primal and its tangent ({@code [k, ...shape]}, k directions at
 * once) one level down; a traced tensor holds its value one level down and a node of a tape. The
 * concrete value is always available, at any level, from {@link #toArray()} and friends.</p>
 */
public final class Tensor {
    private final int[] shape;
    private final double[] data;
    private final Level level;
    private final Tensor inner;
    private final Tensor tangent;
    private final int node;

    private Tensor(int[] shape, double[] data, Level level, Tensor inner, Tensor tangent, int node) {
        this.shape = shape;
        this.data = data;
        this.level = level;
        this.inner = inner;
        this.tangent = tangent;
        this.node = node;
    }

    // ------------------------------------------------------------------ creation

    /** A tensor of the given shape holding a copy of {@code data} (row-major). */
    public static Tensor of(double[] data, int... shape) {
        int n = Shape.size(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape " + Shape.str(shape)
                    + ", which holds " + n);
        }
        return new Tensor(shape.clone(), data.clone(), null, null, null, -1);
    }

    /** A 2-d tensor from rows, which must all have the same length. */
    public static Tensor of(double[][] rows) {
        int m = rows.length;
        int n = m == 0 ? 0 : rows[0].length;
        double[] d = new double[m * n];
        for (int i = 0; i < m; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " has " + rows[i].length + " values but row 0 has " + n);
            }
            System.arraycopy(rows[i], 0, d, i * n, n);
        }
        return new Tensor(new int[] {m, n}, d, null, null, null, -1);
    }

    /**
     * A 3-d tensor from nested arrays, which must be rectangular.
     *
     * @param values values[i][j][k] becomes element [i, j, k]
     * @return a new tensor of shape [values.length, values[0].length, values[0][0].length]
     * @throws IllegalArgumentException naming the first ragged position
     */
    public static Tensor of(double[][][] values) {
        return fromArray(values);
    }

    /**
     * A tensor of any rank from nested {@code double} arrays ({@code double[]}, {@code double[][]},
     * {@code double[][][]}, …), which must be rectangular: every array at one depth has the same length.
     * The values are copied.
     *
     * @param nested a {@code double[]} or an array of arrays, down to {@code double[]}
     * @return a new tensor whose rank is the nesting depth
     * @throws IllegalArgumentException when {@code nested} is not such an array, is ragged (the message
     *     names the first position whose length differs) or is too large
     * @throws NullPointerException when it or any sub-array is null
     */
    public static Tensor fromArray(Object nested) {
        java.util.Objects.requireNonNull(nested, "fromArray: the array is null");
        java.util.List<Integer> dims = new java.util.ArrayList<>();
        Object o = nested;
        while (o instanceof Object[]) {
            Object[] arr = (Object[]) o;
            dims.add(arr.length);
            if (arr.length == 0) {
                throw new IllegalArgumentException("fromArray: an empty array at depth " + (dims.size() - 1)
                        + " leaves the inner dimensions unknown; use Tensor.zeros(shape...) for an empty tensor");
            }
            o = arr[0];
        }
        if (!(o instanceof double[])) {
            throw new IllegalArgumentException("fromArray: expected nested double arrays (double[], double[][], ...), got "
                    + (o == null ? "null" : o.getClass().getSimpleName()) + " at depth " + dims.size());
        }
        dims.add(((double[]) o).length);
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = dims.get(i);
        double[] d = new double[Shape.size(shape)];
        fill(nested, shape, 0, d, 0, "");
        return new Tensor(shape, d, null, null, null, -1);
    }

    private static int fill(Object a, int[] shape, int depth, double[] out, int off, String path) {
        if (depth == shape.length - 1) {
            if (!(a instanceof double[])) throw ragged(path, "a double[]", a);
            double[] row = (double[]) a;
            if (row.length != shape[depth]) throw ragged(path, "length " + shape[depth], "length " + row.length);
            System.arraycopy(row, 0, out, off, row.length);
            return off + row.length;
        }
        if (!(a instanceof Object[])) throw ragged(path, "an array of arrays", a);
        Object[] arr = (Object[]) a;
        if (arr.length != shape[depth]) throw ragged(path, "length " + shape[depth], "length " + arr.length);
        for (int i = 0; i < arr.length; i++) off = fill(arr[i], shape, depth + 1, out, off, path + "[" + i + "]");
        return off;
    }

    private static IllegalArgumentException ragged(String path, String expected, Object got) {
        if (got == null) throw new NullPointerException("fromArray: the array at " + (path.isEmpty() ? "the top" : path) + " is null");
        String g = got instanceof String ? (String) got : got.getClass().getSimpleName();
        return new IllegalArgumentException("fromArray: the arrays are not rectangular: at " + (path.isEmpty() ? "the top" : path)
                + " expected " + expected + " but found " + g);
    }

    /** A 1-d tensor. */
    public static Tensor vector(double... values) {
        return of(values, values.length);
    }

    /** A 0-d tensor. */
    public static Tensor scalar(double value) {
        return new Tensor(new int[0], new double[] {value}, null, null, null, -1);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(shape.clone(), new double[Shape.size(shape)], null, null, null, -1);
    }

    public static Tensor ones(int... shape) {
        return full(1.0, shape);
    }

    public static Tensor full(double value, int... shape) {
        double[] d = new double[Shape.size(shape)];
        Arrays.fill(d, value);
        return new Tensor(shape.clone(), d, null, null, null, -1);
    }

    /** The n×n identity. */
    public static Tensor eye(int n) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) d[i * n + i] = 1;
        return new Tensor(new int[] {n, n}, d, null, null, null, -1);
    }

    static {
        Tensors.install(new Tensors.Access() {
            @Override public Tensor adopt(double[] data, int[] shape) {
                if (data.length != Shape.size(shape)) {
                    throw new IllegalArgumentException("adopt: " + data.length + " values for shape " + Shape.str(shape));
                }
                return new Tensor(shape, data, null, null, null, -1);
            }
            @Override public Tensor shapeOnly(Tensor x) { return new Tensor(x.shape, null, null, null, null, -1); }
            @Override public boolean isShapeOnly(Tensor x) { return x.data == null; }
            @Override public Tensor dual(Level level, Tensor primal, Tensor tangent) {
                return new Tensor(primal.shape, primal.data, level, primal, tangent, -1);
            }
            @Override public Tensor traced(Level level, Tensor value, int node) {
                return new Tensor(value.shape, value.data, level, value, null, node);
            }
            @Override public Level level(Tensor x) { return x.level; }
            @Override public Tensor inner(Tensor x) { return x.inner; }
            @Override public Tensor tangentPart(Tensor x) { return x.tangent; }
            @Override public int node(Tensor x) { return x.node; }
            @Override public double[] buffer(Tensor x) { return x.values(); }
            @Override public Tensor mulStrongZero(Tensor a, Tensor b) { return BinaryOps.MUL_STRONG_ZERO.apply(a, b); }
        });
    }

    /** The backing array, for reading only; throws for a tape's shape-only stand-in. */
    private double[] values() {
        if (data == null) throw notKept();
        return data;
    }

    private static IllegalStateException notKept() {
        return new IllegalStateException("this tensor is a shape-only stand-in kept by a tape: a derivative rule read a value "
                + "its primitive declared it does not read (Primitive.vjpReads)");
    }

    /** The same values as a constant: no tangent, no tape node (PyTorch's {@code detach}, JAX's {@code stop_gradient}). */
    public Tensor detach() {
        return level == null ? this : new Tensor(shape, data, null, null, null, -1);
    }

    /** True when this tensor carries no tangent and no tape node. */
    public boolean isConstant() {
        return level == null;
    }

    // ------------------------------------------------------------------ reading

    public int[] shape() {
        return shape.clone();
    }

    /** Size of one axis (negative axes count from the end). */
    public int dim(int axis) {
        return shape[Shape.axis("dim", axis, shape)];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data != null ? data.length : Shape.size(shape);
    }

    /** A copy of the values, row-major. */
    public double[] toArray() {
        return values().clone();
    }

    /** The single value of a tensor of size 1. */
    public double item() {
        double[] data = values();
        if (data.length != 1) {
            throw new IllegalArgumentException("item: the tensor has shape " + Shape.str(shape) + " (" + data.length
                    + " values); item() needs exactly one. Use get(index...) or toArray().");
        }
        return data[0];
    }

    /** The value at a full index. */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of rank " + shape.length
                    + " (shape " + Shape.str(shape) + ")");
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("get: index " + index[i] + " on axis " + i + " of shape " + Shape.str(shape));
            }
            off = off * shape[i] + index[i];
        }
        return values()[off];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tensor(");
        if (data == null) return "tensor(values not kept, shape=" + Shape.str(shape) + ")";
        if (shape.length == 0) sb.append(fmt(data[0]));
        else format(sb, 0, 0, 7);
        if (shape.length > 1 || data.length > 8) sb.append(", shape=").append(Shape.str(shape));
        if (level != null) sb.append(", ").append(tangent != null ? "tangent of " : "traced by ").append(level);
        return sb.append(')').toString();
    }

    private int format(StringBuilder sb, int axis, int off, int indent) {
        int n = shape[axis];
        sb.append('[');
        int stride = 1;
        for (int i = axis + 1; i < shape.length; i++) stride *= shape[i];
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(indent + axis + 1));
            if (n > 12 && i == 6) {
                sb.append("...");
                i = n - 4;
                continue;
            }
            if (axis == shape.length - 1) sb.append(fmt(data[off + i]));
            else format(sb, axis + 1, off + i * stride, indent);
        }
        sb.append(']');
        return off;
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.6g", v);
    }

    // ------------------------------------------------------------------ arithmetic

    public Tensor add(Tensor o) { return BinaryOps.ADD.apply(this, o); }
    public Tensor add(double c) { return add(scalar(c)); }
    public Tensor sub(Tensor o) { return BinaryOps.SUB.apply(this, o); }
    public Tensor sub(double c) { return sub(scalar(c)); }
    public Tensor mul(Tensor o) { return BinaryOps.MUL.apply(this, o); }
    public Tensor mul(double c) { return mul(scalar(c)); }
    public Tensor div(Tensor o) { return BinaryOps.DIV.apply(this, o); }
    public Tensor div(double c) { return div(scalar(c)); }
    /**
     * c − x elementwise (PyTorch's {@code rsub}): {@code x.rsub(1)} is 1 − x.
     *
     * @param c the minuend
     * @return c − this, with derivative −1
     */
    public Tensor rsub(double c) { return scalar(c).sub(this); }
    /**
     * c / x elementwise: {@code x.rdiv(1)} is 1/x.
     *
     * @param c the dividend
     * @return c / this, with derivative −c/x²
     */
    public Tensor rdiv(double c) { return scalar(c).div(this); }
    /** {@code this ^ e} elementwise; ∂/∂base is 0 where the exponent is 0, ∂/∂exponent is 0 where base is 0 and e ≥ 0. */
    public Tensor pow(Tensor e) { return BinaryOps.POW.apply(this, e); }
    /** {@code this ^ c}; the derivative is c·x^(c−1), and exactly 0 when c = 0. */
    public Tensor pow(double c) { return UnaryOps.pow(c).apply(this); }
    /** Elementwise maximum; at a tie each input gets half the derivative. */
    public Tensor maximum(Tensor o) { return BinaryOps.MAXIMUM.apply(this, o); }
    /** Elementwise minimum; at a tie each input gets half the derivative. */
    public Tensor minimum(Tensor o) { return BinaryOps.MINIMUM.apply(this, o); }
    public Tensor neg() { return UnaryOps.NEG.apply(this); }
    public Tensor reciprocal() { return scalar(1).div(this); }

    // ------------------------------------------------------------------ elementwise functions

    public Tensor exp() { return UnaryOps.EXP.apply(this); }
    public Tensor log() { return UnaryOps.LOG.apply(this); }
    public Tensor log1p() { return UnaryOps.LOG1P.apply(this); }
    /** √x; the derivative at 0 is +∞ (and a zero tangent there stays 0). */
    public Tensor sqrt() { return UnaryOps.SQRT.apply(this); }
    public Tensor square() { return UnaryOps.SQUARE.apply(this); }
    /** |x|; the derivative at 0 is 0. */
    public Tensor abs() { return UnaryOps.ABS.apply(this); }
    public Tensor sin() { return UnaryOps.SIN.apply(this); }
    public Tensor cos() { return UnaryOps.COS.apply(this); }
    public Tensor tanh() { return UnaryOps.TANH.apply(this); }
    public Tensor sigmoid() { return UnaryOps.SIGMOID.apply(this); }
    /** max(x, 0); the derivative at 0 is 0. */
    public Tensor relu() { return UnaryOps.RELU.apply(this); }
    /** log(1 + eˣ), computed as max(x,0) + log1p(e^−|x|) so that it is finite for any finite x. */
    public Tensor softplus() { return UnaryOps.SOFTPLUS.apply(this); }
    /** Clamps into [lo, hi]; the derivative is 1 on the closed interval (as PyTorch) and 0 outside. */
    public Tensor clamp(double lo, double hi) { return UnaryOps.clamp(lo, hi).apply(this); }

    // ------------------------------------------------------------------ reductions

    /** Sum of every element: a 0-d tensor. */
    public Tensor sum() { return Reductions.sum(this, Shape.allAxes(rank()), false); }
    public Tensor sum(int axis) { return Reductions.sum(this, new int[] {axis}, false); }
    public Tensor sum(int axis, boolean keepDims) { return Reductions.sum(this, new int[] {axis}, keepDims); }
    public Tensor sum(int[] axes, boolean keepDims) { return Reductions.sum(this, axes, keepDims); }
    public Tensor mean() { return Reductions.mean(this, Shape.allAxes(rank()), false); }
    public Tensor mean(int axis) { return Reductions.mean(this, new int[] {axis}, false); }
    public Tensor mean(int axis, boolean keepDims) { return Reductions.mean(this, new int[] {axis}, keepDims); }
    public Tensor mean(int[] axes, boolean keepDims) { return Reductions.mean(this, axes, keepDims); }
    /** Maximum of every element; ties share the derivative equally. */
    public Tensor max() { return Reductions.max(this, Shape.allAxes(rank()), false); }
    public Tensor max(int axis) { return Reductions.max(this, new int[] {axis}, false); }
    public Tensor max(int axis, boolean keepDims) { return Reductions.max(this, new int[] {axis}, keepDims); }
    public Tensor max(int[] axes, boolean keepDims) { return Reductions.max(this, axes, keepDims); }
    /** log Σ exp along an axis, shifted by the maximum so that it neither overflows nor underflows. */
    public Tensor logsumexp(int axis) { return Reductions.logsumexp(this, axis, false); }
    public Tensor logsumexp(int axis, boolean keepDims) { return Reductions.logsumexp(this, axis, keepDims); }
    public Tensor softmax(int axis) { return Reductions.softmax(this, axis); }
    /** x − logsumexp(x) along an axis, computed stably; never log(softmax(x)). */
    public Tensor logSoftmax(int axis) { return Reductions.logSoftmax(this, axis); }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with NumPy's rules: 2-d × 2-d, matrix × vector, vector × matrix, and batched
     * over leading axes that broadcast.
     */
    public Tensor matmul(Tensor o) { return MatMul.matmul(this, o); }

    /**
     * op(this)·op(o), op transposing the last two axes when its flag is set (BLAS's transa/transb):
     * bitwise {@code this.transpose().matmul(o)} and so on, without copying a transpose. Both operands
     * need rank ≥ 2.
     */
    public Tensor matmul(Tensor o, boolean transposeThis, boolean transposeOther) { return MatMul.matmul(this, o, transposeThis, transposeOther); }

    // ------------------------------------------------------------------ shape

    /** A new shape with the same elements; one dimension may be -1 and is inferred. */
    public Tensor reshape(int... newShape) { return ShapeOps.reshape(this, newShape); }
    public Tensor flatten() { return reshape(-1); }
    /** Inserts an axis of size 1. */
    public Tensor unsqueeze(int axis) { return ShapeOps.unsqueeze(this, axis); }
    /** Removes an axis of size 1. */
    public Tensor squeeze(int axis) { return ShapeOps.squeeze(this, axis); }
    public Tensor permute(int... perm) { return ShapeOps.permute(this, perm); }
    /** Swaps the last two axes (a matrix transpose, batched over leading axes); a vector is returned as is. */
    public Tensor transpose() { return shape.length < 2 ? this : transpose(-2, -1); }
    public Tensor transpose(int a, int b) { return ShapeOps.transpose(this, a, b); }
    public Tensor broadcastTo(int... target) { return ShapeOps.broadcastTo(this, target); }
    /**
     * Elements {@code start} (inclusive) to {@code end} (exclusive) along an axis. Negative positions
     * count from the end, as in {@link #select}: {@code slice(0, -2, n)} is the last two rows.
     *
     * @param axis the axis; negative counts from the end
     * @param start the first position kept, in −n..n
     * @param end the position after the last one kept, in −n..n, not before start
     * @return the slice, with the axis shortened to end − start
     * @throws IllegalArgumentException when the axis or the range is out of bounds
     */
    public Tensor slice(int axis, int start, int end) { return ShapeOps.slice(this, axis, start, end); }
    /**
     * Elements from {@code start} to the end of an axis: {@code slice(-1, -3)} is the last three along the last axis.
     *
     * @param axis the axis; negative counts from the end
     * @param start the first position kept, in −n..n
     * @return the slice
     */
    public Tensor slice(int axis, int start) { return ShapeOps.slice(this, axis, start, dim(axis)); }
    /** Zero padding along an axis: the adjoint of {@link #slice}. */
    public Tensor pad(int axis, int before, int after) { return ShapeOps.pad(this, axis, before, after); }
    /** The sub-tensor at {@code index} along an axis, which is removed. */
    public Tensor select(int axis, int index) { return ShapeOps.select(this, axis, index); }
    public static Tensor concat(int axis, Tensor... parts) { return ShapeOps.concat(axis, parts); }
    public static Tensor stack(int axis, Tensor... parts) { return ShapeOps.stack(axis, parts); }
    /**
     * {@code mask ? a : b} elementwise, all three broadcast together. The mask is a constant (any
     * non-zero value selects {@code a}); only {@code a} and {@code b} are differentiated.
     */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) { return ShapeOps.where(mask, a, b); }

    /**
     * For this tensor of shape [..., N, C] and N class indices, y[..., n] = x[..., n, index[n]]: picks
     * one entry of each row, as NLL does. Indices are plain ints: they are never differentiated.
     */
    public Tensor pick(int[] index) { return Indexing.pick(this, index); }
    /** The adjoint of {@link #pick}: for shape [..., N], a tensor [..., N, classes] of zeros with x[..., n] at column index[n]. */
    public Tensor scatter(int[] index, int classes) { return Indexing.scatter(this, index, classes); }

    // ------------------------------------------------------------------ comparisons: constant masks (1.0 / 0.0)

    public Tensor gt(Tensor o) { return Comparisons.GT.apply(this, o); }
    public Tensor gt(double c) { return gt(scalar(c)); }
    public Tensor ge(Tensor o) { return Comparisons.GE.apply(this, o); }
    public Tensor ge(double c) { return ge(scalar(c)); }
    public Tensor lt(Tensor o) { return Comparisons.LT.apply(this, o); }
    public Tensor lt(double c) { return lt(scalar(c)); }
    public Tensor le(Tensor o) { return Comparisons.LE.apply(this, o); }
    public Tensor le(double c) { return le(scalar(c)); }
    public Tensor eq(Tensor o) { return Comparisons.EQ.apply(this, o); }
    public Tensor eq(double c) { return eq(scalar(c)); }
    /** −1, 0 or +1 (NaN for NaN): a constant. */
    public Tensor sign() { return Comparisons.sign(this); }
    /** Index of the largest entry along the last axis, per row (first one at a tie). */
    public int[] argmax() { return Comparisons.argmax(this); }
}
