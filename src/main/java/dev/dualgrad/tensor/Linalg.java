package dev.dualgrad.tensor;

import dev.dualgrad.internal.ops.linalg.LinalgOps;

/**
 * Differentiable linear algebra, as {@code torch.linalg}: every op works on the last two axes of its
 * arguments and is batched over the leading ones (which broadcast between two arguments), and each has
 * forward and reverse rules written in differentiable ops, so that derivatives of any order nest.
 *
 * <p>Conventions, shared by every op:</p>
 * <ul>
 *   <li>A square argument A has shape [..., n, n]; anything else is an IllegalArgumentException naming
 *       the op. A right-hand side B is a matrix [..., n, m], or a vector [..., n] when its rank is 1 or
 *       its shape is A's without the last axis (PyTorch's rule), and the result has B's form.</li>
 *   <li>Singular and not positive-definite inputs throw an {@link ArithmeticException} that names the op
 *       and the failing pivot; they never return NaNs that look like numbers. "Singular" means an exactly
 *       zero pivot (as LAPACK): an ill-conditioned matrix gives large but honest values.</li>
 *   <li>cholesky and eigh read only the lower triangle of A (as LAPACK), and their gradients are
 *       therefore lower triangular: the derivative with respect to the entries read. For an input built
 *       symmetric (K = M·Mᵀ, a kernel matrix) the chain rule gives the same gradient as PyTorch's.</li>
 *   <li>0×0 matrices are allowed: det = 1, slogdet = (1, 0), cholesky, inv and eigh return empty results.</li>
 * </ul>
 *
 * <p>The derivative rules are those of Giles (2008), "An extended collection of matrix derivative results
 * for forward and reverse mode AD", and, for Cholesky, of Murray (2016), "Differentiation of the Cholesky
 * decomposition". cholesky and the triangular solves are blocked: their O(n³) work, forward and
 * backward, runs in the library's matrix-product kernel.</p>
 */
public final class Linalg {
    private Linalg() {}

    /**
     * X = A⁻¹·B, by LU factorisation with partial pivoting. Derivatives: Ẋ = A⁻¹·(Ḃ − Ȧ·X),
     * B̄ = A⁻ᵀ·X̄, Ā = −B̄·Xᵀ.
     *
     * @param a the matrices A [..., n, n]
     * @param b the right-hand side, [..., n, m] or a vector [..., n]
     * @return X, of B's form, batch axes broadcast
     * @throws ArithmeticException when a pivot is exactly zero (A singular), naming it
     * @throws IllegalArgumentException when A is not square or the shapes do not match
     * @throws NullPointerException when an argument is null
     */
    public static Tensor solve(Tensor a, Tensor b) {
        return LinalgOps.solve(a, b);
    }

    /**
     * X = A⁻¹·B for a lower triangular A: {@link #triangularSolve(Tensor, Tensor, TriangularSolveOptions)}
     * with {@link TriangularSolveOptions#lower()}.
     *
     * @param a the matrices A [..., n, n], of which the lower triangle is read
     * @param b the right-hand side, [..., n, m] or a vector [..., n]
     * @return X, of B's form
     * @throws ArithmeticException when a diagonal entry is zero, naming it
     * @throws IllegalArgumentException when A is not square or the shapes do not match
     * @throws NullPointerException when an argument is null
     */
    public static Tensor triangularSolve(Tensor a, Tensor b) {
        return triangularSolve(a, b, TriangularSolveOptions.lower());
    }

    /**
     * X = op(T)⁻¹·B, T the triangle of A that the options name (with a unit diagonal if they say so),
     * op(T) = T or Tᵀ; the other entries of A are ignored. Derivatives, M the mask of the entries read:
     * Ẋ = op(T)⁻¹·(Ḃ − op(M ⊙ Ȧ)·X), B̄ = op(T)⁻ᵀ·X̄, Ā = −M ⊙ (B̄·Xᵀ) (−M ⊙ (X·B̄ᵀ) when transposed).
     *
     * @param a       the matrices A [..., n, n]
     * @param b       the right-hand side, [..., n, m] or a vector [..., n]
     * @param options lower or upper, transposed, unit diagonal
     * @return X, of B's form
     * @throws ArithmeticException when a diagonal entry read is zero, naming it
     * @throws IllegalArgumentException when A is not square or the shapes do not match
     * @throws NullPointerException when an argument is null
     */
    public static Tensor triangularSolve(Tensor a, Tensor b, TriangularSolveOptions options) {
        if (options == null) throw new NullPointerException("triangularSolve: options is null");
        return LinalgOps.triangularSolve(a, b, options.upper, options.transposed, options.unitDiagonal);
    }

    /**
     * The lower Cholesky factor L of a symmetric positive-definite A: A = L·Lᵀ, Lᵢᵢ &gt; 0, zeros above
     * the diagonal. Only the lower triangle of A is read. Derivatives (Murray 2016), Φ(X) the lower
     * triangle of X with its diagonal halved: L̇ = L·Φ(L⁻¹·Ȧₛ·L⁻ᵀ) with Ȧₛ the symmetric matrix of
     * Ȧ's lower triangle, Ā = Φ(P + Pᵀ) with P = L⁻ᵀ·Φ(Lᵀ·L̄)·L⁻¹.
     *
     * @param a the matrices A [..., n, n]
     * @return L, of A's shape
     * @throws ArithmeticException when A is not positive definite: names the first pivot (row) that is
     *                             not positive, and its value
     * @throws IllegalArgumentException when A is not square
     * @throws NullPointerException when a is null
     */
    public static Tensor cholesky(Tensor a) {
        return LinalgOps.cholesky(a);
    }

    /**
     * X = A⁻¹·B given the lower Cholesky factor L of A = L·Lᵀ (PyTorch's argument order): L·Y = B, then
     * Lᵀ·X = Y, two triangular solves whose rules give the derivatives in B and L.
     *
     * @param b the right-hand side, [..., n, m] or a vector [..., n]
     * @param l the factors L [..., n, n], of which the lower triangle is read
     * @return X, of B's form
     * @throws ArithmeticException when a diagonal entry of L is zero
     * @throws IllegalArgumentException when L is not square or the shapes do not match
     * @throws NullPointerException when an argument is null
     */
    public static Tensor choleskySolve(Tensor b, Tensor l) {
        return LinalgOps.choleskySolve(b, l);
    }

    /**
     * A⁻¹, by LU factorisation with partial pivoting. Derivatives: d(A⁻¹) = −A⁻¹·dA·A⁻¹,
     * Ā = −A⁻ᵀ·Ȳ·A⁻ᵀ.
     *
     * @param a the matrices A [..., n, n]
     * @return A⁻¹, of A's shape
     * @throws ArithmeticException when a pivot is exactly zero (A singular), naming it
     * @throws IllegalArgumentException when A is not square
     * @throws NullPointerException when a is null
     */
    public static Tensor inv(Tensor a) {
        return LinalgOps.inv(a);
    }

    /**
     * det A, from an LU factorisation with partial pivoting (0 for an exactly singular A, 1 for a 0×0 one).
     * Derivatives: d det A = det A · tr(A⁻¹·dA), Ā = ȳ·det A·A⁻ᵀ; at an exactly singular A the
     * derivative (the adjugate) is not computed: it throws.
     *
     * @param a the matrices A [..., n, n]
     * @return det A, of shape [...]
     * @throws ArithmeticException when differentiated at an exactly singular A
     * @throws IllegalArgumentException when A is not square
     * @throws NullPointerException when a is null
     */
    public static Tensor det(Tensor a) {
        return LinalgOps.det(a);
    }

    /**
     * The sign and the logarithm of the absolute value of det A, which keeps its precision where det A
     * over- or underflows: det A = sign · exp(logAbsDet). For an exactly singular A, sign = 0 and
     * logAbsDet = −∞; for a 0×0 matrix (1, 0). Derivatives: d log|det A| = tr(A⁻¹·dA), Ā = ȳ·A⁻ᵀ; the
     * sign is a constant.
     *
     * @param a the matrices A [..., n, n]
     * @return the sign and log|det A|, each of shape [...]
     * @throws ArithmeticException when logAbsDet is differentiated at an exactly singular A
     * @throws IllegalArgumentException when A is not square
     * @throws NullPointerException when a is null
     */
    public static Slogdet slogdet(Tensor a) {
        Tensor[] r = LinalgOps.slogdet(a);
        return new Slogdet(r[0], r[1]);
    }

    /**
     * The eigenvalues (ascending) and orthonormal eigenvectors of a symmetric A = V·diag(λ)·Vᵀ, by the
     * Jacobi method; only the lower triangle of A is read. Each eigenvector has its entry of largest
     * magnitude positive. Derivatives, with M = Vᵀ·Ȧₛ·V and F_ij = 1/(λ_j − λ_i) (0 for i = j):
     * λ̇ = diag M, V̇ = V·(F ⊙ M), Ā the adjoint (lower triangular, as for cholesky). At an exactly
     * repeated eigenvalue the eigenvector derivative is undefined (±∞ or NaN entries), while the
     * eigenvalue derivatives stay right, also in reverse mode when only the eigenvalues are used.
     *
     * @param a the symmetric matrices A [..., n, n]
     * @return the eigenvalues [..., n] and the eigenvectors [..., n, n] (as columns)
     * @throws IllegalArgumentException when A is not square or has a non-finite entry
     * @throws NullPointerException when a is null
     */
    public static Eigh eigh(Tensor a) {
        Tensor[] r = LinalgOps.eigh(a);
        return new Eigh(r[0], r[1]);
    }

    /** The result of {@link #slogdet}: det A = sign · exp(logAbsDet). */
    public static final class Slogdet {
        private final Tensor sign, logAbsDet;

        private Slogdet(Tensor sign, Tensor logAbsDet) {
            this.sign = sign;
            this.logAbsDet = logAbsDet;
        }

        /** @return the sign of det A: −1, 0 or 1, a constant (no derivative) */
        public Tensor sign() {
            return sign;
        }

        /** @return log|det A|, differentiable */
        public Tensor logAbsDet() {
            return logAbsDet;
        }
    }

    /** The result of {@link #eigh}: A = V·diag(λ)·Vᵀ. */
    public static final class Eigh {
        private final Tensor eigenvalues, eigenvectors;

        private Eigh(Tensor eigenvalues, Tensor eigenvectors) {
            this.eigenvalues = eigenvalues;
            this.eigenvectors = eigenvectors;
        }

        /** @return λ [..., n], ascending */
        public Tensor eigenvalues() {
            return eigenvalues;
        }

        /** @return V [..., n, n], the eigenvector of λ_j in column j */
        public Tensor eigenvectors() {
            return eigenvectors;
        }
    }
}
