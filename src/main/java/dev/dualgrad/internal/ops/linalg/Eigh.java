package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.ops.MatMul;
import dev.dualgrad.tensor.Tensor;

/**
 * The eigen-decomposition A = V·diag(λ)·Vᵀ of each symmetric matrix of A [..., n, n], reading only its
 * lower triangle (the op is of E(A) = tril(A) + tril(A, −1)ᵀ), by {@link JacobiEigen}. Its one output
 * packs both results, [..., n + 1, n]: row 0 the eigenvalues ascending, rows 1..n the eigenvectors as
 * columns; the public op slices them apart. With M = Vᵀ·E(Ȧ)·V and F_ij = 1/(λ_j − λ_i) off the
 * diagonal, 0 on it, the standard rules are
 * <pre>
 *   λ̇ = diag(M)                V̇ = V·(F ⊙ M)
 *   Ā = Φ(G + Gᵀ),  G = V·(diag(λ̄) + F ⊙ (Vᵀ·V̄))·Vᵀ
 * </pre>
 * (Φ: lower triangle, diagonal halved: the adjoint of E). At an exactly repeated eigenvalue F is ±∞
 * there and the eigenvector derivative is undefined (its entries come out ±∞ or NaN), while the
 * eigenvalue derivatives stay right: the products by F are strong-zero products, so a zero eigenvector
 * cotangent contributes exactly 0. Near-repeated eigenvalues give large but finite, true derivatives.
 */
final class Eigh implements Primitive {
    static final Eigh INSTANCE = new Eigh();
    private static final Reads READS = Reads.output();

    public String name() {
        return "eigh";
    }

    public Reads vjpReads() {
        return READS;
    }

    public Tensor eval(Tensor[] x) {
        int n = x[0].dim(-1);
        int[] batch = Batch.of(x[0].shape());
        int count = Shape.size(batch);
        double[] a = Tensors.buffer(x[0]), out = new double[count * (n + 1) * n];
        for (int b = 0; b < count; b++) JacobiEigen.decompose(a, b * n * n, n, out, b * (n + 1) * n, "eigh");
        return Tensors.adopt(out, Shape.concat(batch, new int[] {n + 1, n}));
    }

    /** Every eigenvalue and eigenvector entry of a batch matrix may depend on its whole lower triangle (what the op reads). */
    @Override
    public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
        int n = x[0].dim(-1);
        return Batch.blocks(px[0], x[0].shape(), Batch.Entries.LOWER, y.size(), (n + 1) * n, null);
    }

    /** F_ij = 1/(λ_j − λ_i) off the diagonal, 0 on it, from the eigenvalues [..., n] (differentiable). */
    private static Tensor f(Tensor lambda, int n) {
        Tensor d = lambda.unsqueeze(-2).sub(lambda.unsqueeze(-1)); // d_ij = λ_j − λ_i
        Tensor eye = Tensor.eye(n);
        return Tensors.mulStrongZero(d.add(eye).reciprocal(), eye.rsub(1));
    }

    public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
        if (dx[0] == null) return null;
        int n = x[0].dim(-1);
        Tensor lambda = y.select(-2, 0), v = y.slice(-2, 1, n + 1);
        Tensor m = MatMul.matmulStrongZero(MatMul.matmulStrongZero(v, Masks.symmetricFromLower(dx[0], n), true, false), v, false, false);
        Tensor dv = MatMul.matmulStrongZero(v, Tensors.mulStrongZero(f(lambda, n), m), false, false);
        return Tensor.concat(-2, Masks.diagonal(m, n).unsqueeze(-2), dv);
    }

    public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
        int n = x[0].dim(-1);
        Tensor lambda = y.select(-2, 0), v = y.slice(-2, 1, n + 1);
        Tensor gl = gy.select(-2, 0), gv = gy.slice(-2, 1, n + 1);
        Tensor h = Tensors.mulStrongZero(gl.unsqueeze(-2), Tensor.eye(n)).add(Tensors.mulStrongZero(f(lambda, n), MatMul.matmulStrongZero(v, gv, true, false)));
        Tensor g = MatMul.matmulStrongZero(MatMul.matmulStrongZero(v, h, false, false), v, false, true);
        return new Tensor[] {Masks.lowerFromSymmetric(g, n)};
    }
}
