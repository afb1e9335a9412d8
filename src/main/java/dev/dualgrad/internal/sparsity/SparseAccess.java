package dev.dualgrad.internal.sparsity;

import dev.dualgrad.sparse.SparseMatrix;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import dev.dualgrad.sparse.SparsityPattern;

/**
 * The engine's access to the internals of {@link SparsityPattern} and {@link SparseMatrix}: their live CSR
 * arrays, and construction from arrays it owns without a copy or a re-validation. {@code SparsityPattern}
 * hands this package an {@link Access} when it is initialised (the same scheme as
 * {@code internal.engine.Tensors}); the package is not exported, so users never reach a live array.
 */
public final class SparseAccess {
    private SparseAccess() {}

    /** What {@code dev.dualgrad.sparse} exposes to the engine; implemented inside {@code SparsityPattern}. */
    public interface Access {
        SparsityPattern adoptPattern(int rows, int columns, int[] rowPointers, int[] columnIndices);
        SparseMatrix adoptMatrix(SparsityPattern pattern, double[] values);
        int[] rowPointers(SparsityPattern p);
        int[] columnIndices(SparsityPattern p);
        double[] values(SparseMatrix m);
        SparseMatrix jacobianOnce(TensorFunction f, Tensor x, JacobianOptions options);
        SparseMatrix hessianOnce(TensorFunction f, Tensor x, JacobianOptions options);
    }

    private static Access access;

    /** Called once, by {@code SparsityPattern}'s static initialiser. */
    public static synchronized void install(Access a) {
        if (access != null) throw new IllegalStateException("sparse access is installed already");
        access = a;
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try { // SparsityPattern installs it from its static initialiser
                Class.forName(SparsityPattern.class.getName(), true, SparseAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    /** A pattern that takes ownership of valid CSR arrays (sorted, in range, no duplicates): not checked, not copied. */
    public static SparsityPattern adoptPattern(int rows, int columns, int[] rowPointers, int[] columnIndices) {
        return access().adoptPattern(rows, columns, rowPointers, columnIndices);
    }

    /** A matrix over {@code pattern} that takes ownership of {@code values} (one per stored entry), not copied. */
    public static SparseMatrix adoptMatrix(SparsityPattern pattern, double[] values) {
        return access().adoptMatrix(pattern, values);
    }

    /** The live row pointers (length rows + 1): never write to them. */
    public static int[] rowPointers(SparsityPattern p) { return access().rowPointers(p); }

    /** The live column indices (length nonZeros): never write to them. */
    public static int[] columnIndices(SparsityPattern p) { return access().columnIndices(p); }

    /** {@code Diff.sparseJacobian}: J(x) once, with the colouring chosen for one evaluation (SparseJacobian.once). */
    public static SparseMatrix jacobianOnce(TensorFunction f, Tensor x, JacobianOptions options) { return access().jacobianOnce(f, x, options); }

    /** {@code Diff.sparseHessian}: H(x) once, with the colouring chosen for one evaluation (SparseHessian.once). */
    public static SparseMatrix hessianOnce(TensorFunction f, Tensor x, JacobianOptions options) { return access().hessianOnce(f, x, options); }

    /** The live values (length nonZeros): never write to them. */
    public static double[] values(SparseMatrix m) { return access().values(m); }
}
