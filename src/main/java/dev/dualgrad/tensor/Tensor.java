package dev.dualgrad.tensor;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Level;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Shape;

import dev.dualgrad.internal.ops.ActivationOps;
import dev.dualgrad.internal.ops.BinaryFunctions;
import dev.dualgrad.internal.ops.BinaryOps;
import dev.dualgrad.internal.ops.Comparisons;
import dev.dualgrad.internal.ops.ElementaryOps;
import dev.dualgrad.internal.ops.Indexing;
import dev.dualgrad.internal.ops.MatMul;
import dev.dualgrad.internal.ops.Reductions;
import dev.dualgrad.internal.ops.ShapeOps;
import dev.dualgrad.internal.ops.SpecialOps;
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
 * once) one level down; a traced tensor holds its value one level down and a node of a tape. While
 * its transform runs, {@link #toArray()}, {@link #item()} and {@link #get} refuse to hand out its
 * value as doubles (the derivative would be lost); {@link #at} and {@link #select} keep it, and
 * {@code detach()} reads it on purpose. {@code toString()} and the comparisons always work.</p>
 */
public final class Tensor {
    private final int[] shape;
    private final double[] data;
    private final Level level;
    private final Tensor inner;
    private final Tensor tangent;
    private final int node;
    /** Whether every value is finite, as far as known: a cache for the engine ({@link Tensors#allFinite}); the values never change. */
    private byte finiteness;

    private Tensor(int[] shape, double[] data, Level level, Tensor inner, Tensor tangent, int node) {
        this.shape = shape;
        this.data = data;
        this.level = level;
        this.inner = inner;
        this.tangent = tangent;
        this.node = node;
    }

    // ------------------------------------------------------------------ creation

    /**
     * A tensor of the given shape holding a copy of {@code data}, row-major.
     *
     * @param data the values, as many as the shape holds
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new constant tensor
     * @throws IllegalArgumentException when the count does not fill the shape or a dimension is negative
     */
    public static Tensor of(double[] data, int... shape) {
        Args.nonNull(data, "Tensor.of", "data");
        int n = Shape.size("Tensor.of", shape);
        if (data.length != n) {
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape " + Shape.str(shape)
                    + ", which holds " + n);
        }
        return new Tensor(shape.clone(), data.clone(), null, null, null, -1);
    }

    /**
     * A 2-d tensor from rows, which must all have the same length; the values are copied.
     *
     * @param rows rows[i][j] becomes element [i, j]
     * @return a new tensor [rows.length, rows[0].length]
     * @throws IllegalArgumentException naming the first row whose length differs
     */
    public static Tensor of(double[][] rows) {
        Args.nonNullEntries(rows, "Tensor.of", "rows");
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
        Args.nonNull(values, "Tensor.of", "values");
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
        Args.nonNull(nested, "fromArray", "nested");
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
        double[] d = new double[Shape.size("Tensor.fromArray", shape)];
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

    /**
     * A 1-d tensor; the values are copied.
     *
     * @param values the elements
     * @return a new tensor [values.length]
     */
    public static Tensor vector(double... values) {
        Args.nonNull(values, "Tensor.vector", "values");
        return of(values, values.length);
    }

    /**
     * A 0-d tensor (shape []).
     *
     * @param value its single value
     * @return a new tensor of rank 0
     */
    public static Tensor scalar(double value) {
        return new Tensor(new int[0], new double[] {value}, null, null, null, -1);
    }

    /**
     * A tensor of zeros.
     *
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor of that shape
     * @throws IllegalArgumentException when a dimension is negative or the size exceeds 2³¹ − 1
     */
    public static Tensor zeros(int... shape) {
        Args.nonNull(shape, "Tensor.zeros", "shape");
        return new Tensor(shape.clone(), new double[Shape.size("Tensor.zeros", shape)], null, null, null, -1);
    }

    /**
     * A tensor of ones.
     *
     * @param shape the dimensions
     * @return a new tensor of that shape
     * @throws IllegalArgumentException when a dimension is negative or the size exceeds 2³¹ − 1
     */
    public static Tensor ones(int... shape) {
        return filled("Tensor.ones", 1.0, shape);
    }

    /**
     * A tensor with every element equal to {@code value}.
     *
     * @param value the value of every element
     * @param shape the dimensions
     * @return a new tensor of that shape
     * @throws IllegalArgumentException when a dimension is negative or the size exceeds 2³¹ − 1
     */
    public static Tensor full(double value, int... shape) {
        return filled("Tensor.full", value, shape);
    }

    private static Tensor filled(String op, double value, int[] shape) {
        double[] d = new double[Shape.size(op, shape)];
        Arrays.fill(d, value);
        return new Tensor(shape.clone(), d, null, null, null, -1);
    }

    /**
     * The n×n identity matrix.
     *
     * @param n the size
     * @return a new tensor [n, n] with ones on the diagonal
     * @throws IllegalArgumentException when n is negative
     */
    public static Tensor eye(int n) {
        double[] d = new double[Shape.size("Tensor.eye", new int[] {n, n})]; // refuses n < 0 and n² ≥ 2³¹ instead of overflowing
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
            @Override public byte finiteness(Tensor x) { return x.finiteness; }
            @Override public void finiteness(Tensor x, byte f) { x.finiteness = f; }
        });
    }

    /** The backing array, for reading only; throws for a tape's shape-only stand-in. */
    private double[] values() {
        if (data == null) throw notKept();
        return data;
    }

    private static IllegalStateException notKept() {
        return new Tensors.ValueNotKept("this tensor is a shape-only stand-in kept by a tape: a derivative rule read a value "
                + "its primitive declared it does not read (Primitive.vjpReads)");
    }

    /**
     * The same values as a constant: no tangent, no tape node (PyTorch's {@code detach}, JAX's {@code stop_gradient}). Its derivative is zero.
     *
     * @return this tensor if it is a constant already, else a constant with the same values
     */
    public Tensor detach() {
        return level == null ? this : new Tensor(shape, data, null, null, null, -1);
    }

    /**
     * Whether this tensor carries no tangent and no tape node, i.e. is not being differentiated.
     *
     * @return true for a constant
     */
    public boolean isConstant() {
        return level == null;
    }

    // ------------------------------------------------------------------ reading

    /**
     * The dimensions, outermost first; empty for a 0-d tensor.
     *
     * @return a copy of the shape
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The size of one axis.
     *
     * @param axis the axis; negative counts from the end (−1 is the last)
     * @return its size
     * @throws IllegalArgumentException when the axis is out of range
     */
    public int dim(int axis) {
        return shape[Shape.axis("dim", axis, shape)];
    }

    /**
     * The number of axes: 0 for a scalar.
     *
     * @return the rank
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The number of elements: the product of the dimensions (1 for a 0-d tensor).
     *
     * @return the number of elements
     */
    public int size() {
        return data != null ? data.length : Shape.size(shape);
    }

    /**
     * A copy of the values, row-major. The tensor never hands out its own array.
     *
     * <p>Like {@link #item()} and {@link #get}, it refuses a tensor that an active transform is
     * differentiating: a {@code double} carries no derivative, so reading one inside the function
     * would silently make everything computed from it a constant. Keep it a tensor ({@link #at},
     * {@link #select}), or read the value on purpose with {@code detach().toArray()}.</p>
     *
     * @return a new array
     * @throws IllegalStateException when the tensor carries the tangent or tape node of a transform that is still running
     */
    public double[] toArray() {
        requireReadable("toArray()");
        return values().clone();
    }

    /**
     * Refuses to read a value out of a tensor that an active transform differentiates (here or at a
     * level further down, as in a jvp nested in a grad): the derivative would be dropped silently, as
     * JAX refuses a concrete read of a traced value. A tensor whose transforms have all returned reads
     * as a constant.
     */
    private void requireReadable(String read) {
        for (Tensor t = this; t != null && t.level != null; t = t.inner) {
            if (t.level.isActive()) throw tracedRead(read, t.tangent != null, t.level);
        }
    }

    private IllegalStateException tracedRead(String read, boolean dual, Level l) {
        return new IllegalStateException(read + " on a tensor that carries " + (dual ? "a tangent of " : "a tape node of ") + l
                + ", a transform that is still running: a double has no derivative, so whatever is computed from it inside the"
                + " differentiated function would be a constant and its derivative silently lost (a Jacobian of zeros). To keep"
                + " the derivative, stay with tensors: at(index...) is the element as a 0-d tensor (p.at(1) instead of p.get(1)),"
                + " select(axis, i) a slice. To read the value on purpose, as a constant, call detach() first:"
                + " detach()." + read + ".");
    }

    /**
     * The single value of a tensor of size 1.
     *
     * <p>Refused inside a transform that differentiates this tensor, as {@link #toArray()} explains:
     * use the tensor itself (or {@link #at}), or {@code detach().item()}.</p>
     *
     * @return the value
     * @throws IllegalArgumentException when the tensor has more or fewer than one element
     * @throws IllegalStateException when the tensor carries the tangent or tape node of a transform that is still running
     */
    public double item() {
        requireReadable("item()");
        double[] data = values();
        if (data.length != 1) {
            throw new IllegalArgumentException("item: the tensor has shape " + Shape.str(shape) + " (" + data.length
                    + " values); item() needs exactly one. Use get(index...) or toArray().");
        }
        return data[0];
    }

    /**
     * The value at a full index, as a {@code double}: no derivative. Refused inside a transform that
     * differentiates this tensor, as {@link #toArray()} explains; {@link #at} is the differentiable form.
     *
     * @param index one index per axis, each in 0..dim − 1
     * @return the value
     * @throws IllegalArgumentException when the number of indices is not the rank
     * @throws IndexOutOfBoundsException when an index is out of range
     * @throws IllegalStateException when the tensor carries the tangent or tape node of a transform that is still running
     */
    public double get(int... index) {
        int off = offset("get", index);
        requireReadable("get(" + indexString(index) + ")");
        return values()[off];
    }

    /**
     * The element at a full index as a 0-d tensor, differentiable: {@code get} that keeps the
     * derivative. ∂y/∂x is 1 at that element and 0 elsewhere (the adjoint scatters ȳ to it). A 0-d
     * tensor with no index is returned as is.
     *
     * @param index one index per axis, each in 0..dim − 1 (as {@link #get}; no negative positions)
     * @return a 0-d tensor
     * @throws IllegalArgumentException when the number of indices is not the rank
     * @throws IndexOutOfBoundsException when an index is out of range
     */
    public Tensor at(int... index) {
        int off = offset("at", index);
        if (shape.length == 0) return this;
        return ShapeOps.select(reshape(-1), 0, off);
    }

    /** The row-major offset of a full index, checked. */
    private int offset(String op, int[] index) {
        Args.nonNull(index, op, "index");
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of rank " + shape.length
                    + " (shape " + Shape.str(shape) + ")");
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + index[i] + " on axis " + i + " of shape " + Shape.str(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    private static String indexString(int[] index) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < index.length; i++) sb.append(i == 0 ? "" : ", ").append(index[i]);
        return sb.toString();
    }

    /**
     * The values (abbreviated when long), the shape, and whether the tensor is being differentiated.
     *
     * @return a readable summary
     */
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

    /**
     * this + o elementwise, with NumPy broadcasting. ∂/∂this = 1, ∂/∂o = 1; a broadcast operand's derivative is summed over the axes it was broadcast along.
     *
     * @param o the other operand
     * @return the result, shaped as the two shapes broadcast
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor add(Tensor o) { return BinaryOps.ADD.apply(this, o); }
    /**
     * this + c elementwise for a constant c.
     *
     * @param c the constant
     * @return the result, shaped like this tensor
     */
    public Tensor add(double c) { return add(scalar(c)); }
    /**
     * this − o elementwise, with NumPy broadcasting. ∂/∂this = 1, ∂/∂o = −1.
     *
     * @param o the other operand
     * @return the result, shaped as the two shapes broadcast
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor sub(Tensor o) { return BinaryOps.SUB.apply(this, o); }
    /**
     * this − c elementwise for a constant c.
     *
     * @param c the constant
     * @return the result, shaped like this tensor
     */
    public Tensor sub(double c) { return sub(scalar(c)); }
    /**
     * this · o elementwise, with NumPy broadcasting. ∂/∂this = o, ∂/∂o = this.
     *
     * @param o the other operand
     * @return the result, shaped as the two shapes broadcast
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor mul(Tensor o) { return BinaryOps.MUL.apply(this, o); }
    /**
     * this · c elementwise for a constant c.
     *
     * @param c the constant
     * @return the result, shaped like this tensor
     */
    public Tensor mul(double c) { return mul(scalar(c)); }
    /**
     * this / o elementwise, with NumPy broadcasting. ∂/∂this = 1/o, ∂/∂o = −this/o².
     *
     * @param o the other operand
     * @return the result, shaped as the two shapes broadcast
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor div(Tensor o) { return BinaryOps.DIV.apply(this, o); }
    /**
     * this / c elementwise for a constant c.
     *
     * @param c the constant
     * @return the result, shaped like this tensor
     */
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
    /**
     * this^e elementwise, with broadcasting: ∂/∂this = e·this^(e−1) (0 where e = 0), ∂/∂e = this^e·log(this).
     *
     * @param o the exponent e
     * @return the result, shaped as the two shapes broadcast
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor pow(Tensor o) { return BinaryOps.POW.apply(this, o); }
    /**
     * this^c for a constant exponent: the derivative is c·this^(c−1), and 0 for c = 0.
     *
     * @param c the exponent
     * @return a new tensor of this shape
     */
    public Tensor pow(double c) { return UnaryOps.pow(c).apply(this); }
    /**
     * max(this, o) elementwise with broadcasting; at a tie each input gets half the derivative. NaN in either gives NaN.
     *
     * @param o the other operand
     * @return the result
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor maximum(Tensor o) { return BinaryOps.MAXIMUM.apply(this, o); }
    /**
     * min(this, o) elementwise with broadcasting; at a tie each input gets half the derivative.
     *
     * @param o the other operand
     * @return the result
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor minimum(Tensor o) { return BinaryOps.MINIMUM.apply(this, o); }
    /**
     * −x elementwise; the derivative is −1.
     *
     * @return a new tensor of this shape
     */
    public Tensor neg() { return UnaryOps.NEG.apply(this); }
    /**
     * 1/x elementwise; the derivative is −1/x².
     *
     * @return a new tensor of this shape
     */
    public Tensor reciprocal() { return scalar(1).div(this); }

    // ------------------------------------------------------------------ elementwise functions

    /**
     * eˣ elementwise; the derivative is eˣ.
     *
     * @return a new tensor of this shape
     */
    public Tensor exp() { return UnaryOps.EXP.apply(this); }
    /**
     * log x (natural) elementwise; the derivative is 1/x. log 0 = −∞ and log of a negative number is NaN.
     *
     * @return a new tensor of this shape
     */
    public Tensor log() { return UnaryOps.LOG.apply(this); }
    /**
     * log(1 + x), accurate near 0, elementwise; the derivative is 1/(1 + x).
     *
     * @return a new tensor of this shape
     */
    public Tensor log1p() { return UnaryOps.LOG1P.apply(this); }
    /**
     * √x elementwise; the derivative is 1/(2√x), +∞ at 0.
     *
     * @return a new tensor of this shape
     */
    public Tensor sqrt() { return UnaryOps.SQRT.apply(this); }
    /**
     * x² elementwise; the derivative is 2x.
     *
     * @return a new tensor of this shape
     */
    public Tensor square() { return UnaryOps.SQUARE.apply(this); }
    /**
     * |x| elementwise; the derivative is sign(x), 0 at 0.
     *
     * @return a new tensor of this shape
     */
    public Tensor abs() { return UnaryOps.ABS.apply(this); }
    /**
     * sin x elementwise; the derivative is cos x.
     *
     * @return a new tensor of this shape
     */
    public Tensor sin() { return UnaryOps.SIN.apply(this); }
    /**
     * cos x elementwise; the derivative is −sin x.
     *
     * @return a new tensor of this shape
     */
    public Tensor cos() { return UnaryOps.COS.apply(this); }
    /**
     * tanh x elementwise; the derivative is 1 − tanh² x.
     *
     * @return a new tensor of this shape
     */
    public Tensor tanh() { return UnaryOps.TANH.apply(this); }
    /**
     * σ(x) = 1/(1 + e⁻ˣ) elementwise; the derivative is σ(x)(1 − σ(x)).
     *
     * @return a new tensor of this shape
     */
    public Tensor sigmoid() { return UnaryOps.SIGMOID.apply(this); }
    /**
     * max(x, 0) elementwise; the derivative is 1 for x &gt; 0 and 0 otherwise (0 at 0, as PyTorch).
     *
     * @return a new tensor of this shape
     */
    public Tensor relu() { return UnaryOps.RELU.apply(this); }
    /**
     * log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) so that it is finite for any finite x, elementwise; the derivative is σ(x).
     *
     * @return a new tensor of this shape
     */
    public Tensor softplus() { return UnaryOps.SOFTPLUS.apply(this); }
    /**
     * Clamps into [lo, hi]: min(max(x, lo), hi). The derivative is 1 on the closed interval (as PyTorch) and 0 outside.
     *
     * @param lo the lower bound
     * @param hi the upper bound, not below lo
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when lo &gt; hi or a bound is NaN
     */
    public Tensor clamp(double lo, double hi) { return UnaryOps.clamp(lo, hi).apply(this); }

    // Issue 20's elementwise functions (the ops are declared in internal.ops: ElementaryOps, SpecialOps,
    // ActivationOps, BinaryFunctions; their conventions are listed there and in the README).
    /**
     * tan x elementwise; the derivative is 1 + tan² x. Near the poles π/2 + kπ the values are large and finite
     * (π/2 is not a double).
     *
     * @return a new tensor of this shape
     */
    public Tensor tan() { return ElementaryOps.TAN.apply(this); }
    /**
     * asin x elementwise, in [−π/2, π/2]; the derivative is 1/√(1 − x²), +∞ at ±1. NaN outside [−1, 1].
     *
     * @return a new tensor of this shape
     */
    public Tensor asin() { return ElementaryOps.ASIN.apply(this); }
    /**
     * acos x elementwise, in [0, π]; the derivative is −1/√(1 − x²), −∞ at ±1. NaN outside [−1, 1].
     *
     * @return a new tensor of this shape
     */
    public Tensor acos() { return ElementaryOps.ACOS.apply(this); }
    /**
     * atan x elementwise, in (−π/2, π/2); the derivative is 1/(1 + x²).
     *
     * @return a new tensor of this shape
     */
    public Tensor atan() { return ElementaryOps.ATAN.apply(this); }
    /**
     * sinh x elementwise; the derivative is cosh x. ±∞ beyond |x| ≈ 710.
     *
     * @return a new tensor of this shape
     */
    public Tensor sinh() { return ElementaryOps.SINH.apply(this); }
    /**
     * cosh x elementwise; the derivative is sinh x. +∞ beyond |x| ≈ 710.
     *
     * @return a new tensor of this shape
     */
    public Tensor cosh() { return ElementaryOps.COSH.apply(this); }
    /**
     * asinh x = log(x + √(x² + 1)) elementwise, computed without overflow or cancellation; the derivative is
     * 1/√(x² + 1) (as 1/hypot(x, 1), finite for every finite x).
     *
     * @return a new tensor of this shape
     */
    public Tensor asinh() { return ElementaryOps.ASINH.apply(this); }
    /**
     * acosh x = log(x + √(x² − 1)) elementwise, for x ≥ 1 (NaN below); the derivative is 1/√(x² − 1), +∞ at 1.
     *
     * @return a new tensor of this shape
     */
    public Tensor acosh() { return ElementaryOps.ACOSH.apply(this); }
    /**
     * atanh x = ½ log((1 + x)/(1 − x)) elementwise, for |x| ≤ 1: ±∞ at ±1, NaN outside; the derivative is
     * 1/(1 − x²), +∞ at ±1.
     *
     * @return a new tensor of this shape
     */
    public Tensor atanh() { return ElementaryOps.ATANH.apply(this); }
    /**
     * eˣ − 1 elementwise, accurate near 0; the derivative is eˣ.
     *
     * @return a new tensor of this shape
     */
    public Tensor expm1() { return ElementaryOps.EXPM1.apply(this); }
    /**
     * log₂ x elementwise, exact at powers of 2; the derivative is 1/(x ln 2). As {@link #log()}: −∞ at 0, NaN below.
     *
     * @return a new tensor of this shape
     */
    public Tensor log2() { return ElementaryOps.LOG2.apply(this); }
    /**
     * log₁₀ x elementwise, exact at powers of 10; the derivative is 1/(x ln 10). As {@link #log()}: −∞ at 0, NaN below.
     *
     * @return a new tensor of this shape
     */
    public Tensor log10() { return ElementaryOps.LOG10.apply(this); }
    /**
     * The error function erf x = (2/√π)∫₀ˣ e^{−t²} dt elementwise (dualgrad's own fitted polynomials, within
     * 1 ulp measured against mpmath); the derivative is (2/√π)e^{−x²}. erf(±∞) = ±1.
     *
     * @return a new tensor of this shape
     */
    public Tensor erf() { return SpecialOps.ERF.apply(this); }
    /**
     * The complementary error function erfc x = 1 − erf x elementwise, with its relative accuracy kept for
     * large x (within 2 ulp measured, down to 1e-308 near x = 26.5); the derivative is −(2/√π)e^{−x²}.
     *
     * @return a new tensor of this shape
     */
    public Tensor erfc() { return SpecialOps.ERFC.apply(this); }
    /**
     * log|Γ(x)| elementwise (Commons Math's {@code Gamma.logGamma} for x &gt; 0, the reflection formula for
     * x &lt; 0); the derivative is digamma ψ(x). +∞ at the poles 0, −1, −2, … and at ±∞.
     *
     * @return a new tensor of this shape
     */
    public Tensor lgamma() { return SpecialOps.LGAMMA.apply(this); }
    /**
     * The digamma function ψ(x) = Γ′(x)/Γ(x) elementwise; the derivative is the trigamma function ψ⁽¹⁾(x)
     * (itself differentiable). ψ(+0) = −∞ and ψ(−0) = +∞ (as PyTorch), NaN at −1, −2, … and at −∞.
     *
     * @return a new tensor of this shape
     */
    public Tensor digamma() { return SpecialOps.DIGAMMA.apply(this); }
    /**
     * log σ(x) = −softplus(−x) elementwise, finite for every finite x; the derivative is σ(−x).
     *
     * @return a new tensor of this shape
     */
    public Tensor logSigmoid() { return ActivationOps.LOG_SIGMOID.apply(this); }
    /**
     * GELU in its exact form, x·Φ(x) = ½x·erfc(−x/√2) with Φ the standard normal CDF (PyTorch's default
     * {@code approximate='none'}); the derivative is Φ(x) + x·φ(x). gelu(−∞) = 0. See {@link #geluTanh()}.
     *
     * @return a new tensor of this shape
     */
    public Tensor gelu() { return ActivationOps.GELU.apply(this); }
    /**
     * GELU's tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch's {@code approximate='tanh'}),
     * computed as x·σ(2u) to avoid the cancellation of 1 + tanh u for negative x; the derivative is
     * σ(2u) + x·σ(2u)(1 − σ(2u))·2u′ with u′ = √(2/π)(1 + 0.134145x²).
     *
     * @return a new tensor of this shape
     */
    public Tensor geluTanh() { return ActivationOps.GELU_TANH.apply(this); }
    /**
     * SiLU (swish) x·σ(x) elementwise; the derivative is σ(x)(1 + x(1 − σ(x))). silu(−∞) = 0.
     *
     * @return a new tensor of this shape
     */
    public Tensor silu() { return ActivationOps.SILU.apply(this); }
    /**
     * ELU with α = 1: see {@link #elu(double)}.
     *
     * @return a new tensor of this shape
     */
    public Tensor elu() { return elu(1); }
    /**
     * ELU: x for x &gt; 0 and α(eˣ − 1) otherwise; the derivative is 1 for x &gt; 0 and αeˣ otherwise, so α at
     * 0 (as PyTorch).
     *
     * @param alpha α, the value approached as x → −∞ is −α
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when alpha is not finite
     */
    public Tensor elu(double alpha) { return ActivationOps.elu(alpha).apply(this); }
    /**
     * Leaky ReLU with PyTorch's default slope 0.01: see {@link #leakyRelu(double)}.
     *
     * @return a new tensor of this shape
     */
    public Tensor leakyRelu() { return leakyRelu(0.01); }
    /**
     * Leaky ReLU: x for x &gt; 0 and slope·x otherwise; the derivative is 1 for x &gt; 0 and the slope otherwise,
     * so the slope at 0 (as PyTorch). NaN gives NaN, value and derivative.
     *
     * @param slope the slope for x ≤ 0
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when the slope is not finite
     */
    public Tensor leakyRelu(double slope) { return ActivationOps.leakyRelu(slope).apply(this); }
    /**
     * The angle of the point (o, this), atan2(this, o) as {@link Math#atan2(double, double)} (this tensor is
     * the y-coordinate, o the x-coordinate; as PyTorch's {@code atan2(input, other)}), in [−π, π], with
     * broadcasting and Math.atan2's signed zeros (atan2(±0, −0) = ±π). ∂/∂this = o/(this² + o²),
     * ∂/∂o = −this/(this² + o²), computed without squaring; NaN at the origin, where the angle has no limit, and
     * where an argument is infinite.
     *
     * @param o the x-coordinate
     * @return the result, shaped as the two shapes broadcast
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor atan2(Tensor o) { return BinaryFunctions.ATAN2.apply(this, o); }
    /**
     * √(this² + o²) elementwise without overflow or underflow ({@link Math#hypot(double, double)}: ∞ when
     * either is infinite, even against NaN), with broadcasting. ∂/∂this = this/y, ∂/∂o = o/y, and 0 at the
     * origin (the subgradient, as abs′(0) = 0; PyTorch gives NaN there); NaN where an argument is infinite.
     *
     * @param o the other operand
     * @return the result, shaped as the two shapes broadcast
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor hypot(Tensor o) { return BinaryFunctions.HYPOT.apply(this, o); }
    /**
     * log(eᵗʰⁱˢ + eᵒ) elementwise with broadcasting, as max + log1p(e^−|this − o|): exact for huge arguments
     * (logaddexp(1e308, 1e308) = 1e308) and at ±∞ (logaddexp(−∞, −∞) = −∞). ∂/∂this = σ(this − o),
     * ∂/∂o = σ(o − this), ½ each where both are the same infinity.
     *
     * @param o the other operand
     * @return the result, shaped as the two shapes broadcast
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor logaddexp(Tensor o) { return BinaryFunctions.LOGADDEXP.apply(this, o); }
    /**
     * The largest integer ≤ x, elementwise: a constant, whose derivative is 0 everywhere (also at the jumps);
     * ±0, ±∞ and NaN stay as they are.
     *
     * @return a new constant tensor of this shape
     */
    public Tensor floor() { return ElementaryOps.FLOOR.apply(this); }
    /**
     * The smallest integer ≥ x, elementwise: a constant, whose derivative is 0 everywhere; ceil(−0.5) = −0.
     *
     * @return a new constant tensor of this shape
     */
    public Tensor ceil() { return ElementaryOps.CEIL.apply(this); }
    /**
     * The nearest integer, ties to even (round(0.5) = 0, round(2.5) = 2, as NumPy and PyTorch), elementwise:
     * a constant, whose derivative is 0 everywhere.
     *
     * @return a new constant tensor of this shape
     */
    public Tensor round() { return ElementaryOps.ROUND.apply(this); }
    /**
     * x rounded toward 0, elementwise: a constant, whose derivative is 0 everywhere; trunc(−0.5) = −0.
     *
     * @return a new constant tensor of this shape
     */
    public Tensor trunc() { return ElementaryOps.TRUNC.apply(this); }

    // ------------------------------------------------------------------ reductions

    /**
     * The sum of every element, y = Σᵢ xᵢ; ∂y/∂xᵢ = 1.
     *
     * @return a 0-d tensor (of a 0-d tensor: the tensor itself)
     */
    public Tensor sum() { return Reductions.sum(this, Shape.allAxes(rank()), false); }
    /**
     * The sum along one axis, which is removed.
     *
     * @param axis the axis; negative counts from the end
     * @return the sums
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor sum(int axis) { return Reductions.sum(this, new int[] {axis}, false); }
    /**
     * The sum along one axis.
     *
     * @param axis the axis; negative counts from the end
     * @param keepDims whether the axis stays, with size 1
     * @return the sums
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor sum(int axis, boolean keepDims) { return Reductions.sum(this, new int[] {axis}, keepDims); }
    /**
     * The sum over exactly the given axes. An empty list reduces nothing and returns this tensor (NumPy's {@code axis=()}); {@link #sum()} sums every axis.
     *
     * @param axes the axes, in any order; negative ones count from the end
     * @param keepDims whether the axes stay, with size 1
     * @return the sums
     * @throws IllegalArgumentException when an axis is out of range or given twice
     */
    public Tensor sum(int[] axes, boolean keepDims) { return Reductions.sum(this, axes, keepDims); }
    /**
     * The mean of every element, Σᵢ xᵢ / n; ∂/∂xᵢ = 1/n. Of no elements it is NaN.
     *
     * @return a 0-d tensor
     */
    public Tensor mean() { return Reductions.mean(this, Shape.allAxes(rank()), false); }
    /**
     * The mean along one axis, which is removed.
     *
     * @param axis the axis; negative counts from the end
     * @return the means
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor mean(int axis) { return Reductions.mean(this, new int[] {axis}, false); }
    /**
     * The mean along one axis.
     *
     * @param axis the axis; negative counts from the end
     * @param keepDims whether the axis stays, with size 1
     * @return the means
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor mean(int axis, boolean keepDims) { return Reductions.mean(this, new int[] {axis}, keepDims); }
    /**
     * The mean over exactly the given axes; an empty list returns this tensor.
     *
     * @param axes the axes; negative ones count from the end
     * @param keepDims whether the axes stay, with size 1
     * @return the means
     * @throws IllegalArgumentException when an axis is out of range or given twice
     */
    public Tensor mean(int[] axes, boolean keepDims) { return Reductions.mean(this, axes, keepDims); }
    /**
     * The largest element; the derivative is shared equally by the elements that tie for it. NaN anywhere gives NaN.
     *
     * @return a 0-d tensor
     * @throws IllegalArgumentException when the tensor is empty
     */
    public Tensor max() { return Reductions.max(this, Shape.allAxes(rank()), false); }
    /**
     * The maximum along one axis, which is removed; ties share the derivative equally.
     *
     * @param axis the axis; negative counts from the end
     * @return the maxima
     * @throws IllegalArgumentException when the axis is out of range or empty
     */
    public Tensor max(int axis) { return Reductions.max(this, new int[] {axis}, false); }
    /**
     * The maximum along one axis; ties share the derivative equally.
     *
     * @param axis the axis; negative counts from the end
     * @param keepDims whether the axis stays, with size 1
     * @return the maxima
     * @throws IllegalArgumentException when the axis is out of range or empty
     */
    public Tensor max(int axis, boolean keepDims) { return Reductions.max(this, new int[] {axis}, keepDims); }
    /**
     * The maximum over exactly the given axes; an empty list returns this tensor.
     *
     * @param axes the axes; negative ones count from the end
     * @param keepDims whether the axes stay, with size 1
     * @return the maxima
     * @throws IllegalArgumentException when an axis is out of range, given twice or empty
     */
    public Tensor max(int[] axes, boolean keepDims) { return Reductions.max(this, axes, keepDims); }
    /**
     * log Σⱼ exp(xⱼ) along an axis, which is removed; shifted by the maximum so that it neither overflows nor underflows. The derivative is softmax(x).
     *
     * @param axis the axis; negative counts from the end
     * @return the results
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor logsumexp(int axis) { return Reductions.logsumexp(this, axis, false); }
    /**
     * log Σⱼ exp(xⱼ) along an axis, computed stably; the derivative is softmax(x).
     *
     * @param axis the axis; negative counts from the end
     * @param keepDims whether the axis stays, with size 1
     * @return the results
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor logsumexp(int axis, boolean keepDims) { return Reductions.logsumexp(this, axis, keepDims); }
    /**
     * softmax(x)ⱼ = exp(xⱼ) / Σₖ exp(xₖ) along an axis, computed stably. Its JVP is y ⊙ (ẋ − Σ y ⊙ ẋ).
     *
     * @param axis the axis; negative counts from the end
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor softmax(int axis) { return Reductions.softmax(this, axis); }
    /**
     * x − logsumexp(x) along an axis, computed stably; never log(softmax(x)).
     *
     * @param axis the axis; negative counts from the end
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor logSoftmax(int axis) { return Reductions.logSoftmax(this, axis); }

    // ---- issue 20's reductions: min, argmin, prod, var, std, norm, cumsum, cumprod, logcumsumexp

    /**
     * The smallest element, −max(−x): the derivative is shared equally by the elements that tie for it (max's convention). NaN anywhere gives NaN.
     *
     * @return a 0-d tensor
     * @throws IllegalArgumentException when the tensor is empty
     */
    public Tensor min() { return Reductions.min(this, Shape.allAxes(rank()), false); }
    /**
     * The minimum along one axis, which is removed; ties share the derivative equally.
     *
     * @param axis the axis; negative counts from the end
     * @return the minima
     * @throws IllegalArgumentException when the axis is out of range or empty
     */
    public Tensor min(int axis) { return Reductions.min(this, new int[] {axis}, false); }
    /**
     * The minimum along one axis; ties share the derivative equally.
     *
     * @param axis the axis; negative counts from the end
     * @param keepDims whether the axis stays, with size 1
     * @return the minima
     * @throws IllegalArgumentException when the axis is out of range or empty
     */
    public Tensor min(int axis, boolean keepDims) { return Reductions.min(this, new int[] {axis}, keepDims); }
    /**
     * The minimum over exactly the given axes; an empty list returns this tensor.
     *
     * @param axes the axes; negative ones count from the end
     * @param keepDims whether the axes stay, with size 1
     * @return the minima
     * @throws IllegalArgumentException when an axis is out of range, given twice or empty
     */
    public Tensor min(int[] axes, boolean keepDims) { return Reductions.min(this, axes, keepDims); }
    /**
     * The index of the smallest entry along the last axis, per row (the first one at a tie; a row with a NaN gives its first NaN's index, as argmax).
     *
     * @return one index per row: size()/dim(−1) of them
     * @throws IllegalArgumentException when the tensor is 0-d or its last axis is empty
     */
    public int[] argmin() { return Comparisons.argmin(this); }
    /**
     * The product of every element, y = Πᵢ xᵢ; ∂y/∂xᵢ = Π_{j≠i} xⱼ, computed without dividing by xᵢ: exact with one zero (the product of the others there, 0 elsewhere) and with two or more (0 everywhere). Of no elements it is 1.
     *
     * @return a 0-d tensor (of a 0-d tensor: the tensor itself)
     */
    public Tensor prod() { return Reductions.prod(this, Shape.allAxes(rank()), false); }
    /**
     * The product along one axis, which is removed; exact derivatives with zeros, as {@link #prod()}.
     *
     * @param axis the axis; negative counts from the end
     * @return the products
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor prod(int axis) { return Reductions.prod(this, new int[] {axis}, false); }
    /**
     * The product along one axis.
     *
     * @param axis the axis; negative counts from the end
     * @param keepDims whether the axis stays, with size 1
     * @return the products
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor prod(int axis, boolean keepDims) { return Reductions.prod(this, new int[] {axis}, keepDims); }
    /**
     * The product over exactly the given axes; an empty list returns this tensor.
     *
     * @param axes the axes; negative ones count from the end
     * @param keepDims whether the axes stay, with size 1
     * @return the products
     * @throws IllegalArgumentException when an axis is out of range or given twice
     */
    public Tensor prod(int[] axes, boolean keepDims) { return Reductions.prod(this, axes, keepDims); }
    /**
     * The unbiased variance of every element, Σ (x − mean)² / (N − 1), as PyTorch's default (correction 1); ∂/∂xᵢ = 2(xᵢ − mean)/(N − 1). One element gives NaN.
     *
     * @return a 0-d tensor
     */
    public Tensor var() { return var(Shape.allAxes(rank()), VarianceOptions.defaults()); }
    /**
     * The variance of every element with the given correction: Σ (x − mean)² / max(0, N − c).
     *
     * @param options the correction c (1 unless set) and keepDims
     * @return the variance
     */
    public Tensor var(VarianceOptions options) { return var(Shape.allAxes(rank()), options); }
    /**
     * The unbiased variance (correction 1) over exactly the given axes, which are removed.
     *
     * @param axes the axes; negative ones count from the end
     * @return the variances
     * @throws IllegalArgumentException when an axis is out of range or given twice
     */
    public Tensor var(int[] axes) { return var(axes, VarianceOptions.defaults()); }
    /**
     * The variance over exactly the given axes, Σ_A (x − mean_A)² / max(0, N − c) with N the number of elements reduced, computed in two passes (the mean, then the squared deviations).
     *
     * @param axes the axes; negative ones count from the end
     * @param options the correction c (1 unless set) and keepDims
     * @return the variances
     * @throws IllegalArgumentException when an axis is out of range or given twice
     */
    public Tensor var(int[] axes, VarianceOptions options) {
        Args.nonNull(options, "var", "options");
        return Reductions.variance("var", this, axes, options.correction(), options.keepDims());
    }
    /**
     * The standard deviation of every element, √var with correction 1 (PyTorch's default). At zero variance its derivative is 0 (the subgradient, as the 2-norm at 0), as PyTorch.
     *
     * @return a 0-d tensor
     */
    public Tensor std() { return std(Shape.allAxes(rank()), VarianceOptions.defaults()); }
    /**
     * The standard deviation of every element, √var with the given correction.
     *
     * @param options the correction c (1 unless set) and keepDims
     * @return the standard deviation
     */
    public Tensor std(VarianceOptions options) { return std(Shape.allAxes(rank()), options); }
    /**
     * The standard deviation (correction 1) over exactly the given axes, which are removed.
     *
     * @param axes the axes; negative ones count from the end
     * @return the standard deviations
     * @throws IllegalArgumentException when an axis is out of range or given twice
     */
    public Tensor std(int[] axes) { return std(axes, VarianceOptions.defaults()); }
    /**
     * √var over the given axes; ∂/∂xᵢ = (xᵢ − mean)/((N − c)·std), and 0 where the variance is 0 (all elements equal): sqrt′(0) = ∞ meets a zero derivative of the variance, and the strong-zero product gives 0.
     *
     * @param axes the axes; negative ones count from the end
     * @param options the correction c (1 unless set) and keepDims
     * @return the standard deviations
     * @throws IllegalArgumentException when an axis is out of range or given twice
     */
    public Tensor std(int[] axes, VarianceOptions options) {
        Args.nonNull(options, "std", "options");
        return Reductions.variance("std", this, axes, options.correction(), options.keepDims()).sqrt();
    }
    /**
     * The Euclidean norm of every element, √(Σ x²), computed with scaling (no overflow or underflow where the norm itself does not); the derivative x/‖x‖, 0 at x = 0.
     *
     * @return a 0-d tensor
     */
    public Tensor norm() { return norm(Shape.allAxes(rank()), NormOptions.defaults()); }
    /**
     * The p-norm of every element, p ∈ {1, 2, ∞}.
     *
     * @param options p (2 unless set) and keepDims
     * @return the norm
     * @throws IllegalArgumentException for p = ∞ of an empty tensor
     */
    public Tensor norm(NormOptions options) { return norm(Shape.allAxes(rank()), options); }
    /**
     * The Euclidean norm over exactly the given axes, which are removed.
     *
     * @param axes the axes; negative ones count from the end
     * @return the norms
     * @throws IllegalArgumentException when an axis is out of range or given twice
     */
    public Tensor norm(int[] axes) { return norm(axes, NormOptions.defaults()); }
    /**
     * The p-norm over exactly the given axes: Σ|x| (p = 1, derivative sign x, 0 at 0), √(Σ x²) (p = 2, derivative x/‖x‖, 0 where ‖x‖ = 0) or max|x| (p = ∞, ties share the derivative equally, 0 at 0). An empty list gives |x|.
     *
     * @param axes the axes; negative ones count from the end
     * @param options p (2 unless set) and keepDims
     * @return the norms
     * @throws IllegalArgumentException when an axis is out of range or given twice, or empty for p = ∞
     */
    public Tensor norm(int[] axes, NormOptions options) {
        Args.nonNull(options, "norm", "options");
        return Reductions.norm(this, axes, options.p(), options.keepDims());
    }
    /**
     * The running sum along an axis, yᵢ = Σ_{j≤i} xⱼ; its VJP is the running sum of ȳ from the end.
     *
     * @param axis the axis; negative counts from the end
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when the axis is out of range (a 0-d tensor has none)
     */
    public Tensor cumsum(int axis) { return Reductions.cumsum(this, axis); }
    /**
     * The running product along an axis, yᵢ = Π_{j≤i} xⱼ; its derivatives ∂yᵢ/∂xⱼ = Π_{k≤i, k≠j} xₖ are computed as linear recurrences, without dividing by x, so exact where x has zeros.
     *
     * @param axis the axis; negative counts from the end
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when the axis is out of range (a 0-d tensor has none)
     */
    public Tensor cumprod(int axis) { return Reductions.cumprod(this, axis); }
    /**
     * yᵢ = log Σ_{j≤i} exp(xⱼ) along an axis, computed stably (yᵢ = logaddexp(yᵢ₋₁, xᵢ)); ∂yᵢ/∂xⱼ = exp(xⱼ − yᵢ), every exponent ≤ 0. A leading −∞ gives a NaN derivative there, as 0/0.
     *
     * @param axis the axis; negative counts from the end
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when the axis is out of range (a 0-d tensor has none)
     */
    public Tensor logcumsumexp(int axis) { return Reductions.logcumsumexp(this, axis); }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with NumPy's rules: 2-d × 2-d, matrix × vector, vector × matrix, and batched over leading axes that broadcast. For C = A·B: Ā = C̄·Bᵀ and B̄ = Aᵀ·C̄.
     *
     * @param o the right operand
     * @return the product
     * @throws IllegalArgumentException when the inner dimensions differ, an operand is 0-d, or the batch axes do not broadcast
     */
    public Tensor matmul(Tensor o) { return MatMul.matmul(this, o); }

    /**
     * op(this)·op(o), op transposing the last two axes when its flag is set (BLAS's transa/transb): bitwise {@code this.transpose().matmul(o)} and so on, without copying a transpose.
     *
     * @param o the right operand
     * @param transposeThis whether to use this tensor's transpose
     * @param transposeOther whether to use o's transpose
     * @return the product
     * @throws IllegalArgumentException when an operand has rank below 2 or the inner dimensions differ
     */
    public Tensor matmul(Tensor o, boolean transposeThis, boolean transposeOther) { return MatMul.matmul(this, o, transposeThis, transposeOther); }

    // ------------------------------------------------------------------ shape

    /**
     * The same elements, row-major, in a new shape; one dimension may be −1 and is inferred.
     *
     * @param newShape the dimensions
     * @return this tensor if the shape is unchanged, else a reshaped view of the values
     * @throws IllegalArgumentException when the sizes differ or more than one dimension is −1
     */
    public Tensor reshape(int... newShape) { return ShapeOps.reshape(this, newShape); }
    /**
     * The elements as a 1-d tensor, row-major.
     *
     * @return a tensor [size()]
     */
    public Tensor flatten() { return reshape(-1); }
    /**
     * Inserts an axis of size 1; a negative axis counts in the result, as NumPy's expand_dims.
     *
     * @param axis where the new axis goes, in −(rank+1)..rank
     * @return a tensor of rank + 1
     * @throws IllegalArgumentException when the axis is out of range
     */
    public Tensor unsqueeze(int axis) { return ShapeOps.unsqueeze(this, axis); }
    /**
     * Removes an axis of size 1.
     *
     * @param axis the axis; negative counts from the end
     * @return a tensor of rank − 1
     * @throws IllegalArgumentException when the axis is out of range or its size is not 1
     */
    public Tensor squeeze(int axis) { return ShapeOps.squeeze(this, axis); }
    /**
     * Reorders the axes: axis i of the result is axis perm[i] of this tensor.
     *
     * @param perm a permutation of 0..rank − 1; negative entries count from the end
     * @return the permuted tensor
     * @throws IllegalArgumentException when perm is not a permutation of the axes
     */
    public Tensor permute(int... perm) { return ShapeOps.permute(this, perm); }
    /**
     * Swaps the last two axes (a matrix transpose, batched over leading axes); a tensor of rank below 2 is returned as is.
     *
     * @return the transpose
     */
    public Tensor transpose() { return shape.length < 2 ? this : transpose(-2, -1); }
    /**
     * Swaps two axes.
     *
     * @param a one axis; negative counts from the end
     * @param b the other axis
     * @return the tensor with axes a and b exchanged
     * @throws IllegalArgumentException when an axis is out of range
     */
    public Tensor transpose(int a, int b) { return ShapeOps.transpose(this, a, b); }
    /**
     * Repeats the values along new leading axes and along axes of size 1 to fill {@code target}, as NumPy's broadcast_to; the derivative sums them back.
     *
     * @param target the shape to broadcast to
     * @return a tensor of that shape
     * @throws IllegalArgumentException when this shape does not broadcast to target
     */
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
    /**
     * Zero padding along an axis: {@code before} zeros in front and {@code after} behind. The adjoint of {@link #slice}.
     *
     * @param axis the axis; negative counts from the end
     * @param before how many zeros go before the first element
     * @param after how many zeros go after the last
     * @return the padded tensor
     * @throws IllegalArgumentException when the axis is out of range or a padding is negative
     */
    public Tensor pad(int axis, int before, int after) { return ShapeOps.pad(this, axis, before, after); }
    /**
     * The sub-tensor at {@code index} along an axis, which is removed.
     *
     * @param axis the axis; negative counts from the end
     * @param index the position, in −n..n − 1; negative counts from the end
     * @return a tensor of rank − 1
     * @throws IllegalArgumentException when the axis is out of range
     * @throws IndexOutOfBoundsException when the index is out of range
     */
    public Tensor select(int axis, int index) { return ShapeOps.select(this, axis, index); }
    /**
     * Joins tensors along an existing axis; all other dimensions must agree.
     *
     * @param axis the axis; negative counts from the end
     * @param parts the tensors, at least one
     * @return the joined tensor
     * @throws IllegalArgumentException when there are no parts or their shapes disagree
     */
    public static Tensor concat(int axis, Tensor... parts) { return ShapeOps.concat(axis, parts); }
    /**
     * Stacks tensors of one shape along a new axis.
     *
     * @param axis where the new axis goes; negative counts in the result
     * @param parts the tensors, at least one, all of one shape
     * @return a tensor of rank + 1
     * @throws IllegalArgumentException when there are no parts or their shapes differ
     */
    public static Tensor stack(int axis, Tensor... parts) { return ShapeOps.stack(axis, parts); }
    /**
     * {@code mask ? a : b} elementwise, all three broadcast together. The mask is a constant (any non-zero value selects {@code a}); only {@code a} and {@code b} are differentiated.
     *
     * @param mask the selector, not differentiated
     * @param a the values where the mask is non-zero
     * @param b the values where it is zero
     * @return the selection, shaped as the three shapes broadcast
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) { return ShapeOps.where(mask, a, b); }

    /**
     * For this tensor of shape [..., N, C] and N class indices, y[..., n] = x[..., n, index[n]]: picks one entry of each row, as NLL does. The indices are plain ints: they are never differentiated.
     *
     * @param index one column per row, each in 0..C − 1
     * @return a tensor [..., N]
     * @throws IllegalArgumentException when the count is not N or an index is out of range
     */
    public Tensor pick(int[] index) { return Indexing.pick(this, index); }
    /**
     * The adjoint of {@link #pick}: for this tensor [..., N], a tensor [..., N, classes] of zeros with x[..., n] at column index[n].
     *
     * @param index one column per row
     * @param classes the number of columns
     * @return a tensor [..., N, classes]
     * @throws IllegalArgumentException when the count is not N or an index is out of range
     */
    public Tensor scatter(int[] index, int classes) { return Indexing.scatter(this, index, classes); }

    // ---- indexing and shape (issue 20): gathers along an axis, rearrangements, diagonals and triangles, outer, einsum.
    // Each index op is one gather by a precomputed map, whose adjoint (the VJP) is a scatter-add by the same map.

    /**
     * NumPy's take_along_axis: y[..., j, ...] = x[..., index[..., j, ...], ...] along {@code axis}, the other
     * axes taken position by position (PyTorch's gather(axis, index) when index has x's size off the axis).
     * index has x's rank; off the axis each of its sizes equals x's or one of the two is 1 (broadcast). The
     * derivative scatter-adds the cotangent back, so an index repeated accumulates.
     *
     * @param index a constant tensor of integers, each in −n..n − 1 (n = x.dim(axis)); negative ones count from the end
     * @param axis the axis indexed; negative counts from the end
     * @return a tensor shaped as x and index broadcast off the axis, with index's size along it
     * @throws NullPointerException when index is null
     * @throws IllegalArgumentException when the ranks differ, the shapes do not broadcast, the axis is out of range, or
     *         index is not constant or holds a non-integer
     * @throws IndexOutOfBoundsException when an index lies outside −n..n − 1
     */
    public Tensor takeAlongAxis(Tensor index, int axis) { return dev.dualgrad.internal.ops.AxisIndexing.takeAlongAxis(this, index, axis); }
    /**
     * The adjoint of {@link #takeAlongAxis}, added to this tensor: y = x, then y[..., index[..., j, ...], ...] += values[..., j, ...]
     * along {@code axis}, in row-major order of j (PyTorch's scatter_add(axis, index, values), NumPy's add.at). Repeated indices accumulate.
     * Differentiable in x (ȳ) and in values (ȳ gathered by index).
     *
     * @param index a constant tensor of integers shaped as values, with x's size on every axis but {@code axis}; each in −n..n − 1
     * @param values the values added
     * @param axis the axis indexed; negative counts from the end
     * @return a tensor shaped as x
     * @throws NullPointerException when index or values is null
     * @throws IllegalArgumentException when the shapes disagree, the axis is out of range, or index is not constant or holds a non-integer
     * @throws IndexOutOfBoundsException when an index lies outside −n..n − 1
     */
    public Tensor scatterAdd(Tensor index, Tensor values, int axis) { return dev.dualgrad.internal.ops.AxisIndexing.scatterAdd(this, index, values, axis); }
    /**
     * The slices at {@code index} along an axis, in that order, repeats allowed: NumPy's take(x, index, axis), PyTorch's
     * index_select(axis, index). The derivative scatter-adds the cotangent back.
     *
     * @param index positions along the axis, each in −n..n − 1; negative ones count from the end
     * @param axis the axis; negative counts from the end
     * @return a tensor shaped as x with index.length along the axis
     * @throws NullPointerException when index is null
     * @throws IllegalArgumentException when the axis is out of range
     * @throws IndexOutOfBoundsException when an index lies outside −n..n − 1
     */
    public Tensor indexSelect(int[] index, int axis) { return dev.dualgrad.internal.ops.AxisIndexing.indexSelect(this, index, axis); }
    /**
     * Reverses the order of the elements along the given axes, as NumPy's flip and PyTorch's flip: y[..., i, ...] = x[..., n − 1 − i, ...].
     *
     * @param axes at least one axis, none twice; negative ones count from the end
     * @return a tensor shaped as x
     * @throws NullPointerException when axes is null
     * @throws IllegalArgumentException when no axis is given, an axis repeats or is out of range
     */
    public Tensor flip(int... axes) { return dev.dualgrad.internal.ops.Rearrange.flip(this, axes); }
    /**
     * Shifts the elements cyclically, as NumPy's and PyTorch's roll: along each axis y[..., (i + s) mod n, ...] = x[..., i, ...],
     * so {@code roll(RollOptions.shifts(1).axes(0))} of [a, b, c] is [c, a, b] and a shift of −1 gives [b, c, a]. Without axes the
     * flattened tensor is rolled and the shape restored.
     *
     * @param options the shifts and the axes
     * @return a tensor shaped as x
     * @throws NullPointerException when options is null
     * @throws IllegalArgumentException when an axis is out of range, or several shifts are given without axes
     */
    public Tensor roll(RollOptions options) {
        Args.nonNull(options, "roll", "options");
        return dev.dualgrad.internal.ops.Rearrange.roll(this, options.shifts, options.axes);
    }
    /**
     * NumPy's tile, and PyTorch's torch.tile: the tensor repeated reps[d] times along each axis d. When reps is shorter
     * than the rank, it is padded with leading 1s; when longer, the tensor gets leading axes of size 1 first. (PyTorch's
     * Tensor.repeat is the same when reps has at least rank entries; NumPy's repeat, which repeats each element, is another op.)
     * The derivative sums the copies.
     *
     * @param reps the repetitions per axis, each ≥ 0
     * @return a tensor of rank max(rank, reps.length), with sizes s[d]·reps[d]
     * @throws NullPointerException when reps is null
     * @throws IllegalArgumentException when a repetition is negative or the result is too large
     */
    public Tensor tile(int... reps) { return dev.dualgrad.internal.ops.Rearrange.tile(this, reps); }
    /**
     * The lower triangle of each matrix of the last two axes (batched over the leading ones), zeros above: NumPy's tril.
     *
     * @return a tensor shaped as x, with x[..., i, j] where j ≤ i and 0 elsewhere
     * @throws IllegalArgumentException when the rank is below 2
     */
    public Tensor tril() { return tril(0); }
    /**
     * The elements on and below the diagonal of offset k of each matrix of the last two axes, zeros elsewhere: NumPy's tril(x, k).
     *
     * @param offset k: keeps x[..., i, j] where j − i ≤ k; k &lt; 0 cuts below the main diagonal, k &gt; 0 keeps more
     * @return a tensor shaped as x
     * @throws IllegalArgumentException when the rank is below 2
     */
    public Tensor tril(int offset) { return dev.dualgrad.internal.ops.Diagonals.triangle("tril", this, offset, false); }
    /**
     * The upper triangle of each matrix of the last two axes, zeros below: NumPy's triu.
     *
     * @return a tensor shaped as x, with x[..., i, j] where j ≥ i and 0 elsewhere
     * @throws IllegalArgumentException when the rank is below 2
     */
    public Tensor triu() { return triu(0); }
    /**
     * The elements on and above the diagonal of offset k of each matrix of the last two axes, zeros elsewhere: NumPy's triu(x, k).
     *
     * @param offset k: keeps x[..., i, j] where j − i ≥ k; k &gt; 0 starts above the main diagonal, k &lt; 0 keeps more
     * @return a tensor shaped as x
     * @throws IllegalArgumentException when the rank is below 2
     */
    public Tensor triu(int offset) { return dev.dualgrad.internal.ops.Diagonals.triangle("triu", this, offset, true); }
    /**
     * The main diagonal of each matrix of the last two axes: y[..., t] = x[..., t, t] (torch.linalg.diagonal).
     *
     * @return a tensor [..., min(n, m)]
     * @throws IllegalArgumentException when the rank is below 2
     */
    public Tensor diagonal() { return diagonal(DiagonalOptions.defaults()); }
    /**
     * A diagonal, as NumPy's diagonal(x, offset, rows, columns): the two axes are removed and the diagonal, of offset k,
     * becomes the last axis, y[..., t] = x[t + max(0, −k) on rows, t + max(0, k) on columns]. Its length is
     * max(0, min(n, m − k)) for k ≥ 0 and max(0, min(n + k, m)) for k &lt; 0. The derivative embeds the cotangent back (zeros elsewhere).
     *
     * @param options the offset and the two axes (by default 0 and the last two axes, unlike NumPy's first two)
     * @return a tensor of rank − 1
     * @throws NullPointerException when options is null
     * @throws IllegalArgumentException when the rank is below 2, an axis is out of range, or both axes are one
     */
    public Tensor diagonal(DiagonalOptions options) {
        Args.nonNull(options, "diagonal", "options");
        return dev.dualgrad.internal.ops.Diagonals.diagonal(this, options.offset, options.rows, options.columns);
    }
    /**
     * The vector as the diagonal of a square matrix, zeros elsewhere: NumPy's diag(v) for a vector [n] → [n, n]; a batch [..., n]
     * gives [..., n, n] (PyTorch's diag_embed). The adjoint of {@link #diagonal()}.
     *
     * @return a tensor [..., n, n]
     * @throws IllegalArgumentException when the tensor is 0-d
     */
    public Tensor diag() { return diag(0); }
    /**
     * The vector as the diagonal of offset k of a square matrix of side n + |k|: y[..., t + max(0, −k), t + max(0, k)] = x[..., t],
     * as NumPy's diag(v, k), batched over leading axes.
     *
     * @param offset k: above the main diagonal when positive, below when negative
     * @return a tensor [..., n + |k|, n + |k|]
     * @throws IllegalArgumentException when the tensor is 0-d or the result is too large
     */
    public Tensor diag(int offset) { return dev.dualgrad.internal.ops.Diagonals.diag(this, offset); }
    /**
     * The sum of the main diagonal of each matrix of the last two axes: Σ_t x[..., t, t] (0 for an empty matrix).
     *
     * @return a tensor [...] (0-d for a matrix)
     * @throws IllegalArgumentException when the rank is below 2
     */
    public Tensor trace() { return dev.dualgrad.internal.ops.Diagonals.trace(this); }
    /**
     * The outer product of two vectors: y[i, j] = x[i]·o[j] (NumPy's and PyTorch's outer; for batches use einsum).
     *
     * @param o the second vector
     * @return a tensor [n, m]
     * @throws NullPointerException when o is null
     * @throws IllegalArgumentException when either is not a vector
     */
    public Tensor outer(Tensor o) { return dev.dualgrad.internal.ops.Einsum.outer(this, o); }
    /**
     * Einstein summation, NumPy's einsum: {@code einsum("ij,jk->ik", a, b)} is a·b, {@code "bij,bjk->bik"} a batched product,
     * {@code "ii->"} the trace, {@code "ii->i"} the diagonal, {@code "i,j->ij"} the outer product, {@code "ij->ji"} the transpose,
     * {@code "ij->"} the sum. One term of letters (a–z, A–Z) per operand, separated by commas; a letter repeated within an
     * operand takes its diagonal; a letter absent from the output is summed over. {@code "..."} (once per term) stands for
     * the remaining axes, which broadcast as in NumPy ({@code "...ij,...jk->...ik"}). Without {@code "->"} the output is
     * NumPy's implicit one: the '...' axes, then the letters that occur exactly once, in alphabetical order (uppercase
     * first). Spaces are ignored. Unlike NumPy, a letter's sizes must agree exactly (size-1 broadcasting only through '...').
     * Lowered to diagonal, sum, permute, reshape and (batched) matmul, contracting left to right; the derivative is theirs.
     *
     * @param subscripts the equation, for example "ij,jk->ik"
     * @param operands one tensor per term
     * @return the contraction, shaped by the output term
     * @throws NullPointerException when subscripts or operands (or an operand) is null
     * @throws IllegalArgumentException for a malformed equation: a bad character, the wrong number of operands, a term whose
     *         letters do not match its operand's rank, a letter with two sizes, '...' axes that do not broadcast, an output letter
     *         in no input or repeated, or operands' '...' axes missing from an explicit output
     */
    public static Tensor einsum(String subscripts, Tensor... operands) { return dev.dualgrad.internal.ops.Einsum.einsum(subscripts, operands); }

    // ------------------------------------------------------------------ comparisons: constant masks (1.0 / 0.0)

    /**
     * 1.0 where this &gt; o and 0.0 elsewhere, with broadcasting: a constant mask, never differentiated.
     *
     * @param o the other operand
     * @return a constant tensor
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor gt(Tensor o) { return Comparisons.GT.apply(this, o); }
    /**
     * 1.0 where this &gt; c and 0.0 elsewhere: a constant mask.
     *
     * @param c the constant
     * @return a constant tensor of this shape
     */
    public Tensor gt(double c) { return gt(scalar(c)); }
    /**
     * 1.0 where this ≥ o and 0.0 elsewhere, with broadcasting: a constant mask, never differentiated.
     *
     * @param o the other operand
     * @return a constant tensor
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor ge(Tensor o) { return Comparisons.GE.apply(this, o); }
    /**
     * 1.0 where this ≥ c and 0.0 elsewhere: a constant mask.
     *
     * @param c the constant
     * @return a constant tensor of this shape
     */
    public Tensor ge(double c) { return ge(scalar(c)); }
    /**
     * 1.0 where this &lt; o and 0.0 elsewhere, with broadcasting: a constant mask, never differentiated.
     *
     * @param o the other operand
     * @return a constant tensor
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor lt(Tensor o) { return Comparisons.LT.apply(this, o); }
    /**
     * 1.0 where this &lt; c and 0.0 elsewhere: a constant mask.
     *
     * @param c the constant
     * @return a constant tensor of this shape
     */
    public Tensor lt(double c) { return lt(scalar(c)); }
    /**
     * 1.0 where this ≤ o and 0.0 elsewhere, with broadcasting: a constant mask, never differentiated.
     *
     * @param o the other operand
     * @return a constant tensor
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor le(Tensor o) { return Comparisons.LE.apply(this, o); }
    /**
     * 1.0 where this ≤ c and 0.0 elsewhere: a constant mask.
     *
     * @param c the constant
     * @return a constant tensor of this shape
     */
    public Tensor le(double c) { return le(scalar(c)); }
    /**
     * 1.0 where this = o and 0.0 elsewhere, with broadcasting: a constant mask, never differentiated.
     *
     * @param o the other operand
     * @return a constant tensor
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor eq(Tensor o) { return Comparisons.EQ.apply(this, o); }
    /**
     * 1.0 where this = c and 0.0 elsewhere: a constant mask.
     *
     * @param c the constant
     * @return a constant tensor of this shape
     */
    public Tensor eq(double c) { return eq(scalar(c)); }
    /**
     * −1, 0 or +1 elementwise (NaN for NaN): a constant, never differentiated.
     *
     * @return a constant tensor of this shape
     */
    public Tensor sign() { return Comparisons.sign(this); }
    /**
     * The index of the largest entry along the last axis, per row (the first one at a tie).
     *
     * @return one index per row: size()/dim(−1) of them
     * @throws IllegalArgumentException when the tensor is 0-d or its last axis is empty
     */
    public int[] argmax() { return Comparisons.argmax(this); }
}
