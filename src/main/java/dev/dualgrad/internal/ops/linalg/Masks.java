package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;

/** Constant n×n masks the rules multiply by: which triangle an op reads, and Murray's Φ. */
final class Masks {
    private Masks() {}

    /** 1 strictly below the diagonal, {@code diagonal} on it, 0 above (transposed when upper). */
    static Tensor triangle(int n, boolean upper, double diagonal) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) m[i * n + j] = i == j ? diagonal : (upper ? j > i : i > j) ? 1 : 0;
        }
        return Tensors.adopt(m, n, n);
    }

    /** Φ(X): the lower triangle of X with its diagonal halved (Murray 2016), as a product by a constant mask. */
    static Tensor phi(Tensor x, int n) {
        return Tensors.mulStrongZero(x, triangle(n, false, 0.5));
    }

    /**
     * E(Ȧ) = tril(Ȧ) + tril(Ȧ, −1)ᵀ: the symmetric matrix an op that reads only the lower triangle of its
     * input sees. Its adjoint maps a cotangent G to Φ(G + Gᵀ) (lower triangular).
     */
    static Tensor symmetricFromLower(Tensor dA, int n) {
        return Tensors.mulStrongZero(dA, triangle(n, false, 1)).add(Tensors.mulStrongZero(dA, triangle(n, false, 0)).transpose());
    }

    /** The adjoint of {@link #symmetricFromLower}: Φ(G + Gᵀ), 2·tril(sym G, −1) + diag G, zero above the diagonal. */
    static Tensor lowerFromSymmetric(Tensor g, int n) {
        return phi(g.add(g.transpose()), n);
    }

    /** The diagonal of each matrix of x [..., n, n], as [..., n] (a product with I summed along rows). */
    static Tensor diagonal(Tensor x, int n) {
        return Tensors.mulStrongZero(x, Tensor.eye(n)).sum(-1);
    }
}
