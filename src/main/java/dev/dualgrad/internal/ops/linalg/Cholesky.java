package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.kernels.Elementwise;
import dev.dualgrad.internal.ops.MatMul;
import dev.dualgrad.tensor.Tensor;

/**
 * The lower Cholesky factor, A = L·Lᵀ, of each matrix of A [..., n, n], reading only its lower triangle
 * (as LAPACK): the op is L(E(A)) with E(A) = tril(A) + tril(A, −1)ᵀ. Rules, after Murray (2016), with
 * Φ(X) the lower triangle of X with its diagonal halved:
 * <pre>
 *   L̇ = L·Φ(L⁻¹·E(Ȧ)·L⁻ᵀ)
 *   Ā = Φ(P + Pᵀ),   P = L⁻ᵀ·Φ(Lᵀ·L̄)·L⁻¹
 * </pre>
 * (P is the symmetric-input gradient before the adjoint of E folds it onto the lower triangle). The
 * triangular solves are the blocked {@link LinearSolve}, so the backward pass is level 3 as well: one
 * product and two solves with n right-hand sides, ≈ 2n³ multiply-adds.
 */
final class Cholesky implements Primitive {
    static final Cholesky INSTANCE = new Cholesky();
    private static final Reads READS = Reads.output();
    private static final LinearSolve SOLVE_L = new LinearSolve(LinearSolve.Kind.LOWER, false, false, "cholesky (derivative)", true),
            SOLVE_LT = new LinearSolve(LinearSolve.Kind.LOWER, true, false, "cholesky (derivative)", true);

    public String name() {
        return "cholesky";
    }

    public Reads vjpReads() {
        return READS;
    }

    public Tensor eval(Tensor[] x) {
        int n = x[0].dim(-1);
        double[] w = Tensors.buffer(x[0]).clone();
        for (int o = 0; o < w.length; o += n * n) CholeskyKernel.factor(w, o, n, "cholesky");
        return Tensors.adopt(w, x[0].shape());
    }

    /**
     * Within each batch matrix, L[i, j] (j ≤ i) may depend on every entry of A's lower triangle (the entries
     * the op reads); the entries above the diagonal are constant zeros. Matrices of other batch entries: none.
     */
    @Override
    public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
        int n = x[0].dim(-1);
        return Batch.blocks(px[0], x[0].shape(), Batch.Entries.LOWER, y.size(), n * n, e -> e % n > e / n);
    }

    public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
        if (dx[0] == null) return null;
        int n = y.dim(-1);
        Tensor e = Masks.symmetricFromLower(dx[0], n);
        Tensor z = Dispatch.apply(SOLVE_L, y, Dispatch.apply(SOLVE_L, y, e).transpose()); // L⁻¹·E·L⁻ᵀ (E symmetric)
        return MatMul.matmulStrongZero(y, Masks.phi(z, n), false, false);
    }

    public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
        int n = y.dim(-1);
        if (Tensors.level(y) == null && Tensors.level(gy) == null && Elementwise.allFinite(Tensors.buffer(y))) { // Murray's blocked algorithm, n³/3
            double[] l = Tensors.buffer(y), g = Tensors.buffer(gy).clone();
            for (int o = 0; o < g.length; o += n * n) CholeskyBackward.backward(l, o % Math.max(1, l.length), g, o, n);
            return new Tensor[] {Tensors.adopt(g, gy.shape())};
        }
        // inside another transform: the same rule in differentiable ops, so that it is differentiated too
        Tensor q = Masks.phi(MatMul.matmulStrongZero(y, gy, true, false), n);
        Tensor r = Dispatch.apply(SOLVE_LT, y, q);                    // L⁻ᵀ·Φ(Lᵀ·L̄)
        Tensor p = Dispatch.apply(SOLVE_LT, y, r.transpose()).transpose(); // ·L⁻¹
        return new Tensor[] {Masks.lowerFromSymmetric(p, n)};
    }
}
