package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The classic identities (d log|det A| = tr(A⁻¹·dA), d(A⁻¹) = −A⁻¹·dA·A⁻¹) with Commons Math's inverse
 * as the oracle; Cholesky's reverse rule against reverse mode through an unrolled Cholesky written in
 * existing ops, and the blocked reverse algorithm against the forward rule at sizes of several blocks;
 * eigh at a repeated eigenvalue.
 */
class LinalgDerivativesTest {
    private static Tensor wellConditioned(int n, long seed) {
        return TensorRandom.seed(seed).normal(n, n).add(Tensor.eye(n).mul(n));
    }

    @Test
    void logDetDerivativeIsTraceOfInverseTimesDirection() {
        for (int n : new int[] {1, 4, 70}) {
            Tensor a = wellConditioned(n, n), da = TensorRandom.seed(n + 1).normal(n, n);
            RealMatrix inv = new LUDecomposition(LinalgReferenceTest.cm(a, 0)).getSolver().getInverse();
            double trace = inv.multiply(LinalgReferenceTest.cm(da, 0)).getTrace();
            assertEquals(trace, Diff.jvp(x -> Linalg.slogdet(x).logAbsDet(), a, da).tangent().item(), 1e-10 * (1 + Math.abs(trace)), "n = " + n);
            double det = Linalg.det(a).item();
            assertEquals(det * trace, Diff.jvp(Linalg::det, a, da).tangent().item(), 1e-9 * Math.abs(det * trace) + 1e-300, "det n = " + n);
            // reverse: the gradient of log|det A| is A⁻ᵀ
            LinalgReferenceTest.close(inv.transpose(), Diff.grad(x -> Linalg.slogdet(x).logAbsDet(), a), 0, 1e-10, "grad log|det| n = " + n);
        }
    }

    @Test
    void inverseDerivativeIsMinusInverseDirectionInverse() {
        for (int n : new int[] {2, 5, 70}) {
            Tensor a = wellConditioned(n, 3 * n), da = TensorRandom.seed(n).normal(n, n);
            RealMatrix inv = new LUDecomposition(LinalgReferenceTest.cm(a, 0)).getSolver().getInverse();
            RealMatrix want = inv.multiply(LinalgReferenceTest.cm(da, 0)).multiply(inv).scalarMultiply(-1);
            LinalgReferenceTest.close(want, Diff.jvp(Linalg::inv, a, da).tangent(), 0, 1e-10, "d inv n = " + n);
            // reverse: ⟨Ȳ, dY⟩ = ⟨Ā, dA⟩ with Ā = −A⁻ᵀ·Ȳ·A⁻ᵀ
            Tensor ybar = TensorRandom.seed(n + 7).normal(n, n);
            Tensor abar = Diff.vjp(Linalg::inv, a).apply(ybar);
            RealMatrix wantBar = inv.transpose().multiply(LinalgReferenceTest.cm(ybar, 0)).multiply(inv.transpose()).scalarMultiply(-1);
            LinalgReferenceTest.close(wantBar, abar, 0, 1e-10, "inv vjp n = " + n);
        }
    }

    /** Cholesky–Banachiewicz in scalar ops of the public API: L[i][j] from earlier entries, each a 0-d tensor. */
    private static Tensor unrolledCholesky(Tensor a) {
        int n = a.dim(0);
        Tensor[][] l = new Tensor[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j > i) {
                    l[i][j] = Tensor.scalar(0);
                    continue;
                }
                Tensor s = a.at(i, j);
                for (int k = 0; k < j; k++) s = s.sub(l[i][k].mul(l[j][k]));
                l[i][j] = i == j ? s.sqrt() : s.div(l[j][j]);
            }
        }
        Tensor[] rows = new Tensor[n];
        for (int i = 0; i < n; i++) rows[i] = Tensor.stack(0, l[i]);
        return Tensor.stack(0, rows);
    }

    @Test
    void choleskyVjpEqualsReverseModeThroughAnUnrolledCholesky() {
        for (int n : new int[] {1, 3, 6}) {
            Tensor a = LinalgReferenceTest.spd(n, 11 + n), w = TensorRandom.seed(n).normal(n, n);
            Tensor fast = Diff.grad(x -> Linalg.cholesky(x).mul(w).sum(), a);
            Tensor unrolled = Diff.grad(x -> unrolledCholesky(x).mul(w).sum(), a);
            assertEquals(0, fast.sub(unrolled).abs().max().item(), 1e-12, "n = " + n);
            // second order: the Hessian-vector product through both
            Tensor v = TensorRandom.seed(n + 5).normal(n, n);
            Tensor h1 = Diff.hvp(x -> Linalg.cholesky(x).mul(w).sum(), a, v), h2 = Diff.hvp(x -> unrolledCholesky(x).mul(w).sum(), a, v);
            assertEquals(0, h1.sub(h2).abs().max().item(), 1e-11, "hvp n = " + n);
        }
    }

    @Test
    void blockedReverseRuleAgreesWithTheForwardRuleOverSeveralBlocks() {
        for (int n : new int[] {47, 48, 49, 100, 150}) { // CholeskyKernel.NB = 48
            Tensor a = LinalgReferenceTest.spd(n, n), v = TensorRandom.seed(n + 1).normal(n, n), u = TensorRandom.seed(n + 2).normal(n, n);
            double forward = Diff.jvp(Linalg::cholesky, a, v).tangent().mul(u).sum().item();      // ⟨ū, L̇(v)⟩
            double reverse = Diff.vjp(Linalg::cholesky, a).apply(u).mul(v).sum().item();          // ⟨Ā(ū), v⟩
            assertEquals(forward, reverse, 1e-10 * (1 + Math.abs(forward)), "n = " + n);
            Tensor lower = Diff.vjp(Linalg::cholesky, a).apply(u);
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) assertEquals(0, lower.get(i, j), "Ā is lower triangular");
        }
    }

    @Test
    void eighAtARepeatedEigenvalueKeepsEigenvalueDerivatives() {
        Tensor a = Tensor.of(new double[][] {{2, 0, 0}, {0, 2, 0}, {0, 0, 5}}); // λ = 2 twice
        // reverse, eigenvalues only: the gradient of Σ wᵢλᵢ is V·diag(w)·Vᵀ (here diagonal), finite
        Tensor g = Diff.grad(x -> Linalg.eigh(x).eigenvalues().mul(Tensor.vector(1, 2, 3)).sum(), a);
        for (double d : g.toArray()) assertTrue(Double.isFinite(d), "eigenvalue gradient is finite at a repeated eigenvalue");
        assertEquals(3, g.get(2, 2), 1e-12);
        assertEquals(3, g.get(0, 0) + g.get(1, 1), 1e-12); // the weights of the repeated pair, split as its eigenvectors are
        // forward: eigenvalue tangents right (tr of dA on the repeated pair), eigenvector tangents undefined
        Tensor da = Tensor.of(new double[][] {{1, 0.5, 0}, {0.5, 3, 0}, {0, 0, 7}});
        Tensor lt = Diff.jvp(x -> Linalg.eigh(x).eigenvalues(), a, da).tangent();
        assertEquals(7, lt.get(2), 1e-12);
        assertEquals(4, lt.get(0) + lt.get(1), 1e-12);
        boolean undefined = false;
        for (double d : Diff.jvp(x -> Linalg.eigh(x).eigenvectors(), a, da).tangent().toArray()) undefined |= !Double.isFinite(d);
        assertTrue(undefined, "the eigenvector derivative at a repeated eigenvalue is documented as undefined (±∞ or NaN)");
    }
}
