package dev.dualgrad.internal.engine;

import java.util.Arrays;

/**
 * Static helpers for shapes: sizes, strides, NumPy broadcasting and axis normalisation.
 * A shape is a plain {@code int[]}; the empty array is the shape of a 0-d scalar.
 */
public final class Shape {
    private Shape() {}

    /** The most elements a tensor can hold: 2³¹ − 1, the length limit of a Java array. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE;

    /**
     * Number of elements of a tensor of this shape (1 for a scalar), computed exactly: a shape with a
     * size-0 axis holds 0 elements whatever its other axes, and any other product above
     * {@link #MAX_ELEMENTS} is refused (a long product of int dimensions could itself wrap, to 0 for
     * 65536⁴, so it is never formed past the limit).
     *
     * @throws IllegalArgumentException when a dimension is negative or the shape holds more than 2³¹ − 1 elements
     */
    public static int size(int[] shape) {
        return size(null, shape);
    }

    /** {@link #size(int[])}, the message naming {@code op} (none when it is null). */
    public static int size(String op, int[] shape) {
        Args.nonNull(shape, op == null ? "shape" : op, "shape");
        boolean empty = false;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(prefix(op) + "shape " + str(shape) + " has a negative dimension (" + d + ")");
            empty |= d == 0;
        }
        if (empty) return 0;
        long n = 1;
        for (int d : shape) {
            n *= d; // n ≤ 2³¹ − 1 and d ≤ 2³¹ − 1 before each step: the product fits in a long
            if (n > MAX_ELEMENTS) throw tooLarge(op, shape);
        }
        return (int) n;
    }

    /** The refusal of a shape holding more than 2³¹ − 1 elements, naming the op and the limit. */
    public static IllegalArgumentException tooLarge(String op, int[] shape) {
        return new IllegalArgumentException(prefix(op) + "shape " + str(shape) + " holds more than 2³¹ − 1 = " + MAX_ELEMENTS
                + " elements, the most a tensor can hold (" + exactSize(shape) + ")");
    }

    private static String prefix(String op) {
        return op == null ? "" : op + ": ";
    }

    /** The element count as a decimal string, exact however large (for messages). */
    private static String exactSize(int[] shape) {
        java.math.BigInteger n = java.math.BigInteger.ONE;
        for (int d : shape) n = n.multiply(java.math.BigInteger.valueOf(d));
        return n + " elements";
    }

    /**
     * One dimension from a sum (a concatenation's total, a padded length), refused when it does not fit in an int.
     *
     * @throws IllegalArgumentException naming {@code op} when the sum exceeds 2³¹ − 1
     */
    public static int dimension(String op, long sum) {
        if (sum > MAX_ELEMENTS) {
            throw new IllegalArgumentException(op + ": the result would have an axis of " + sum + " elements, more than 2³¹ − 1 = "
                    + MAX_ELEMENTS + ", the most a tensor can hold");
        }
        return (int) sum;
    }

    /** Row-major strides. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Strides of {@code shape} seen as broadcast to {@code out}: 0 on axes it lacks or has as 1. */
    public static int[] broadcastStrides(int[] shape, int[] out) {
        int[] s = strides(shape);
        int[] r = new int[out.length];
        int off = out.length - shape.length;
        for (int i = 0; i < shape.length; i++) r[off + i] = shape[i] == 1 && out[off + i] != 1 ? 0 : s[i];
        return r;
    }

    /**
     * NumPy broadcasting: shapes are aligned on the right; two dimensions are compatible when equal or
     * when one of them is 1.
     *
     * @throws IllegalArgumentException naming {@code op} and both shapes when they do not broadcast
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) return a;
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " do not broadcast: at axis " + (i - r) + " (counting from the right) the sizes are "
                        + da + " and " + db + "; each pair of aligned sizes must be equal or one of them 1."
                        + " Reshape one operand (for example with an axis of size 1) to line them up.");
            }
            out[i] = da == 1 ? db : da; // not max: a size-0 axis against a size-1 axis stays empty
        }
        return out;
    }

    /** True when {@code from} broadcasts to exactly {@code to}. */
    public static boolean broadcastsTo(int[] from, int[] to) {
        if (from.length > to.length) return false;
        int off = to.length - from.length;
        for (int i = 0; i < from.length; i++) if (from[i] != 1 && from[i] != to[off + i]) return false;
        return true;
    }

    /**
     * Normalises a possibly negative axis against {@code rank}.
     *
     * @throws IllegalArgumentException naming the op, the axis and the shape
     */
    public static int axis(String op, int axis, int[] shape) {
        int r = shape.length;
        if (axis < -r || axis >= r) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + r
                    + " (shape " + str(shape) + "); valid axes are " + (r == 0 ? "none (a scalar has no axes)" : -r + ".." + (r - 1)) + ".");
        }
        return axis < 0 ? axis + r : axis;
    }

    /**
     * Normalises, sorts and de-duplicates a list of axes. The list means exactly these axes: an empty
     * list is no axis at all (a reduction over it is the identity), never "every axis"; for every axis
     * use {@link #allAxes(int)}. Keeping the two apart matters for a 0-d tensor, whose list of all axes
     * is empty too: a rule that re-applies the list to a batched tangent must not reduce its batch axes.
     */
    public static int[] axes(String op, int[] axes, int[] shape) {
        Args.nonNull(axes, op, "axes");
        boolean[] seen = new boolean[shape.length];
        for (int a : axes) {
            int n = axis(op, a, shape);
            if (seen[n]) throw new IllegalArgumentException(op + ": axis " + a + " is given twice for shape " + str(shape));
            seen[n] = true;
        }
        int[] out = new int[axes.length];
        int k = 0;
        for (int i = 0; i < seen.length; i++) if (seen[i]) out[k++] = i;
        return out;
    }

    /** Every axis of a rank-{@code rank} tensor, {@code [0, 1, ..., rank-1]}: empty for a 0-d tensor. */
    public static int[] allAxes(int rank) {
        int[] all = new int[rank];
        for (int i = 0; i < rank; i++) all[i] = i;
        return all;
    }

    /** The shape after reducing {@code axes} (sorted, normalised). */
    public static int[] reduced(int[] shape, int[] axes, boolean keepDims) {
        boolean[] red = new boolean[shape.length];
        for (int a : axes) red[a] = true;
        int[] out = new int[keepDims ? shape.length : shape.length - axes.length];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!red[i]) out[k++] = shape[i];
            else if (keepDims) out[k++] = 1;
        }
        return out;
    }

    public static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    public static int[] prefix(int[] shape, int n) {
        return Arrays.copyOf(shape, n);
    }

    public static int[] suffix(int[] shape, int from) {
        return Arrays.copyOfRange(shape, from, shape.length);
    }

    public static int[] ones(int n) {
        int[] r = new int[n];
        Arrays.fill(r, 1);
        return r;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
