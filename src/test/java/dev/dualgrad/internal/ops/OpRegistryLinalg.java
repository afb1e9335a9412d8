package dev.dualgrad.internal.ops;

import static dev.dualgrad.internal.ops.Domain.REAL;
import static dev.dualgrad.internal.ops.OpRegistry.ANY;
import static dev.dualgrad.internal.ops.OpRegistry.NONE;
import static dev.dualgrad.internal.ops.OpRegistry.d;
import static dev.dualgrad.internal.ops.OpRegistry.s;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Linalg;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TriangularSolveOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;

/**
 * Registry specs of the linear algebra of Linalg (solve, triangularSolve, cholesky, choleskySolve, inv, det, slogdet, eigh); {@link OpRegistry#all()} includes them.
 *
 * <p>Inputs are free matrices M with entries in [−2, 2], turned into the op's domain inside the spec:
 * SPD matrices as M·Mᵀ + n·I (eigenvalues ≥ n), well-conditioned square ones as M ± 7·I (diagonally
 * dominant for n ≤ 3), triangles as M + 4·I (diagonal in [2, 6]), symmetric ones as M + Mᵀ with a
 * predicate that keeps eigenvalues ≥ 0.3 apart. Specs on M itself (cholesky of M + 8·I, eigh of M)
 * exercise the lower-triangle-only reading with perturbations that are not symmetric.</p>
 */
final class OpRegistryLinalg {
    private OpRegistryLinalg() {}

    /** The methods registered here: their primal references are in LinalgReferenceTest (Commons Math). */
    static final Set<String> METHODS = Set.of("solve", "triangularSolve", "cholesky", "choleskySolve", "inv", "det", "slogdet", "eigh");

    static Tensor spd(Tensor m) {
        return m.matmul(m, false, true).add(Tensor.eye(m.dim(-2)).mul(m.dim(-2)));
    }

    static Tensor shifted(Tensor m, double c) {
        return m.add(Tensor.eye(m.dim(-1)).mul(c));
    }

    /** The eigenvalues of the symmetric matrices of E(x) (lower triangle mirrored) are ≥ gap apart. */
    private static Predicate<Tensor[]> distinctEigenvalues(boolean plusTranspose, double gap) {
        return xs -> {
            Tensor x = xs[0];
            int n = x.dim(-1);
            double[] v = Tensors.buffer(x);
            for (int o = 0; o < v.length; o += n * n) {
                double[][] a = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        double e = plusTranspose ? v[o + i * n + j] + v[o + j * n + i] : v[o + i * n + j];
                        a[i][j] = e;
                        a[j][i] = e;
                    }
                }
                double[] ev = new EigenDecomposition(MatrixUtils.createRealMatrix(a)).getRealEigenvalues();
                Arrays.sort(ev);
                for (int i = 1; i < ev.length; i++) if (ev[i] - ev[i - 1] < gap) return false;
            }
            return true;
        };
    }

    static void add(List<OpSpec> r) {
        Domain[] one = {REAL}, two = {REAL, REAL};
        List<int[][]> sq = List.<int[][]>of(s(d(1, 1)), s(d(3, 3)), s(d(2, 3, 3)));
        List<int[][]> rhs = List.<int[][]>of(s(d(3, 3), d(3)), s(d(3, 3), d(3, 2)), s(d(2, 3, 3), d(3, 2)), s(d(3, 3), d(2, 3, 2)), s(d(2, 2, 2), d(2, 2)));
        r.add(new OpSpec("solve(M + 7I, B)", "solve", two, NONE, rhs, xs -> Linalg.solve(shifted(xs[0], 7), xs[1]), ANY));
        r.add(new OpSpec("solve(M - 7I, B)", "solve", two, NONE, List.<int[][]>of(s(d(3, 3), d(3, 2))), xs -> Linalg.solve(shifted(xs[0], -7), xs[1]), ANY));
        r.add(new OpSpec("triangularSolve(M + 4I, B)", "triangularSolve", two, NONE, rhs,
                xs -> Linalg.triangularSolve(shifted(xs[0], 4), xs[1]), ANY));
        r.add(new OpSpec("triangularSolve(M + 4I, B, upper)", "triangularSolve", two, NONE, rhs,
                xs -> Linalg.triangularSolve(shifted(xs[0], 4), xs[1], TriangularSolveOptions.upper()), ANY));
        r.add(new OpSpec("triangularSolve(M + 4I, B, lower transposed)", "triangularSolve", two, NONE, rhs,
                xs -> Linalg.triangularSolve(shifted(xs[0], 4), xs[1], TriangularSolveOptions.lower().transposed()), ANY));
        r.add(new OpSpec("triangularSolve(M, B, upper transposed unit)", "triangularSolve", two, NONE, rhs,
                xs -> Linalg.triangularSolve(xs[0].mul(0.3), xs[1], TriangularSolveOptions.upper().transposed().unitDiagonal()), ANY));
        r.add(new OpSpec("cholesky(M·Mᵀ + nI)", "cholesky", one, NONE, sq, xs -> Linalg.cholesky(spd(xs[0])), ANY));
        r.add(new OpSpec("cholesky(M + 8I) (lower triangle read)", "cholesky", one, NONE, sq, xs -> Linalg.cholesky(shifted(xs[0], 8)), ANY));
        r.add(new OpSpec("choleskySolve(B, M + 4I)", "choleskySolve", two, NONE, List.<int[][]>of(s(d(3, 3), d(3)), s(d(3, 3), d(3, 2)), s(d(2, 3, 3), d(3, 2))),
                xs -> Linalg.choleskySolve(xs[1], shifted(xs[0], 4)), ANY));
        r.add(new OpSpec("choleskySolve(B, cholesky(M·Mᵀ + nI))", "choleskySolve", two, NONE, List.<int[][]>of(s(d(3, 3), d(3, 2))),
                xs -> Linalg.choleskySolve(xs[1], Linalg.cholesky(spd(xs[0]))), ANY));
        r.add(new OpSpec("inv(M + 7I)", "inv", one, NONE, sq, xs -> Linalg.inv(shifted(xs[0], 7)), ANY));
        r.add(new OpSpec("det(M + 7I)", "det", one, NONE, sq, xs -> Linalg.det(shifted(xs[0], 7)), ANY));
        r.add(new OpSpec("det(M - 7I)", "det", one, NONE, sq, xs -> Linalg.det(shifted(xs[0], -7)), ANY));
        r.add(new OpSpec("slogdet(M + 7I).logAbsDet", "slogdet", one, NONE, sq, xs -> Linalg.slogdet(shifted(xs[0], 7)).logAbsDet(), ANY));
        r.add(new OpSpec("slogdet(M - 7I).logAbsDet", "slogdet", one, NONE, sq, xs -> Linalg.slogdet(shifted(xs[0], -7)).logAbsDet(), ANY));
        List<int[][]> sym = List.<int[][]>of(s(d(1, 1)), s(d(3, 3)), s(d(2, 2, 2)));
        r.add(new OpSpec("eigh(M + Mᵀ).eigenvalues", "eigh", one, NONE, sym,
                xs -> Linalg.eigh(xs[0].add(xs[0].transpose())).eigenvalues(), distinctEigenvalues(true, 0.3)));
        // V·diag(1, 2, ..)·Vᵀ and V ⊙ V do not depend on the eigenvectors' signs: the eigenvector derivative, sign-free
        r.add(new OpSpec("eigh(M + Mᵀ): V·diag(1..n)·Vᵀ", "eigh", one, NONE, sym,
                xs -> {
                    Tensor v = Linalg.eigh(xs[0].add(xs[0].transpose())).eigenvectors();
                    int n = v.dim(-1);
                    double[] w = new double[n];
                    for (int i = 0; i < n; i++) w[i] = i + 1;
                    return v.mul(Tensor.vector(w)).matmul(v, false, true);
                }, distinctEigenvalues(true, 0.3)));
        r.add(new OpSpec("eigh(M) (lower triangle read): eigenvalues, V ⊙ V", "eigh", one, NONE, sym,
                xs -> {
                    Linalg.Eigh e = Linalg.eigh(xs[0]);
                    return Tensor.concat(-2, e.eigenvalues().unsqueeze(-2), e.eigenvectors().mul(e.eigenvectors()));
                }, distinctEigenvalues(false, 0.3)));
    }
}
