package dev.dualgrad.commons;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DefaultRealMatrixPreservingVisitor;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * {@link Tensor} ↔ Commons Math's {@link RealVector}, {@link RealMatrix} and {@code double[][]}.
 *
 * <p>Every conversion copies, exactly once: a tensor is immutable and a Commons Math vector or matrix is
 * writable, so they never share an array (the API convention: no public method hands out a live array or
 * a view aliasing a tensor). The Commons Math objects are built on their fresh arrays with
 * {@code copyArray = false}, so there is no second copy. Like {@link Tensor#toArray()}, reading a tensor
 * that a running transform differentiates throws, since a Commons Math number carries no derivative.</p>
 */
public final class Conversions {
    private Conversions() {}

    /**
     * The elements of a tensor of any shape, row-major, as a vector (a rank-1 tensor [n] gives the obvious
     * n-vector).
     *
     * @param t the tensor
     * @return a new {@link ArrayRealVector} of t.size() entries, owning its array
     * @throws NullPointerException when t is null
     * @throws IllegalStateException when t is being differentiated by a transform that is still running
     */
    public static RealVector vector(Tensor t) {
        return new ArrayRealVector(readable(t, "vector").clone(), false);
    }

    /**
     * A rank-2 tensor [r, c] as an r×c matrix.
     *
     * @param t the tensor, of rank 2 with r, c ≥ 1 (Commons Math has no empty matrix)
     * @return a new {@link Array2DRowRealMatrix}, owning its rows
     * @throws NullPointerException when t is null
     * @throws IllegalArgumentException when t is not of rank 2 or has an axis of size 0
     * @throws IllegalStateException when t is being differentiated by a transform that is still running
     */
    public static RealMatrix matrix(Tensor t) {
        double[][] rows = rows(t, "matrix");
        if (rows.length == 0 || rows[0].length == 0) {
            throw new IllegalArgumentException("Conversions.matrix: t has shape " + Shape.str(t.shape())
                    + "; a Commons Math matrix needs at least one row and one column");
        }
        return new Array2DRowRealMatrix(rows, false);
    }

    /**
     * A rank-2 tensor [r, c] as r new rows of c doubles ({@code Tensor.of(double[][])} is the way back).
     *
     * @param t the tensor, of rank 2
     * @return new arrays, rows[i][j] = t[i, j]
     * @throws NullPointerException when t is null
     * @throws IllegalArgumentException when t is not of rank 2
     * @throws IllegalStateException when t is being differentiated by a transform that is still running
     */
    public static double[][] rows(Tensor t) {
        return rows(t, "rows");
    }

    /**
     * A vector as a rank-1 tensor.
     *
     * @param v the vector
     * @return a tensor [v.getDimension()] holding a copy of its entries
     * @throws NullPointerException when v is null
     */
    public static Tensor tensor(RealVector v) {
        Args.nonNull(v, "Conversions.tensor", "v");
        return Tensors.adopt(v.toArray(), v.getDimension()); // toArray is Commons Math's copy: adopted, not copied again
    }

    /**
     * A matrix as a rank-2 tensor.
     *
     * @param m the matrix
     * @return a tensor [rows, columns] holding a copy of its entries
     * @throws NullPointerException when m is null
     */
    public static Tensor tensor(RealMatrix m) {
        Args.nonNull(m, "Conversions.tensor", "m");
        int r = m.getRowDimension(), c = m.getColumnDimension();
        double[] d = new double[Math.multiplyExact(r, c)];
        m.walkInRowOrder(new DefaultRealMatrixPreservingVisitor() {
            @Override
            public void visit(int row, int column, double value) {
                d[row * c + column] = value;
            }
        });
        return Tensors.adopt(d, r, c);
    }

    private static double[][] rows(Tensor t, String op) {
        double[] d = readable(t, op);
        if (t.rank() != 2) {
            throw new IllegalArgumentException("Conversions." + op + ": t has shape " + Shape.str(t.shape()) + "; rows of a matrix need rank 2");
        }
        int r = t.dim(0), c = t.dim(1);
        double[][] rows = new double[r][];
        for (int i = 0; i < r; i++) {
            rows[i] = new double[c];
            System.arraycopy(d, i * c, rows[i], 0, c);
        }
        return rows;
    }

    /** The tensor's own values, read only, after the traced-read check of {@link Tensor#toArray()}. */
    static double[] readable(Tensor t, String op) {
        Args.nonNull(t, "Conversions." + op, "t");
        if (Tensors.level(t) != null) {
            try {
                t.toArray(); // throws the library's message when a running transform differentiates t
            } catch (IllegalStateException e) {
                throw new IllegalStateException("Conversions." + op + ": " + e.getMessage(), e);
            }
        }
        return Tensors.buffer(t);
    }
}
