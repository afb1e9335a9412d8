package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.sparse.EjmlSparse;
import dev.dualgrad.sparse.SparseJacobian;
import dev.dualgrad.sparse.SparseMatrix;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.ConjugateGradient;
import org.apache.commons.math3.linear.RealLinearOperator;
import org.apache.commons.math3.linear.RealVector;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.interfaces.linsol.LinearSolverSparse;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.CommonOps_DSCC;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;

/**
 * The 2-D Bratu problem Δu + λ·eᵘ = 0 on the unit square, u = 0 on the boundary, λ = 6, discretised by the
 * 5-point Laplacian on a 256×256 interior grid: 65,536 unknowns. Solved by Newton's method twice:
 * <ul>
 *   <li>with the sparse Jacobian (detected once: 5 entries per row, 5 colours, so one forward pass of 5
 *       directions per step) and a sparse direct solve, EJML's Cholesky of −J (symmetric positive definite
 *       below the fold at λ ≈ 6.81) in a nested-dissection order computed from the grid;</li>
 *   <li>matrix-free (Newton–Krylov): each step solves −J·δ = F by Commons Math's conjugate gradient on a
 *       {@link RealLinearOperator} whose products are Jacobian-vector products, no matrix at all.</li>
 * </ul>
 * Both must reach the same solution.
 */
public final class BratuNewton implements Stop {
    static final int M = 256;
    static final double LAMBDA = 6;

    /** F(u) = Δₕu + λ·eᵘ on the m×m interior grid (u row-major), zero boundary values. */
    static TensorFunction bratu(int m, double lambda) {
        double h2 = 1.0 / ((m + 1.0) * (m + 1.0));
        return u -> {
            Tensor grid = u.reshape(m, m).pad(0, 1, 1).pad(1, 1, 1); // the boundary's zeros around the interior
            Tensor centre = grid.slice(0, 1, m + 1).slice(1, 1, m + 1);
            Tensor laplacian = grid.slice(0, 0, m).slice(1, 1, m + 1).add(grid.slice(0, 2, m + 2).slice(1, 1, m + 1))
                    .add(grid.slice(0, 1, m + 1).slice(1, 0, m)).add(grid.slice(0, 1, m + 1).slice(1, 2, m + 2))
                    .sub(centre.mul(4)).div(h2);
            return laplacian.add(centre.exp().mul(lambda)).reshape(m * m);
        };
    }

    @Override
    public String problem() {
        return "Solve the 2-D Bratu problem on 65,536 unknowns by Newton, with a sparse Jacobian and matrix-free.";
    }

    @Override
    public void run(PrintStream out) {
        TensorFunction f = bratu(M, LAMBDA);
        int n = M * M;
        long t0 = System.nanoTime();
        SparseJacobian jacobian = SparseJacobian.prepare(f, Tensor.zeros(n));
        Checks.check("5 entries per interior row, 5 colours", jacobian.pattern().maxRowCount() == 5 && jacobian.plan().colours() == 5);
        int[] order = nestedDissection(M);
        Tensor u = Tensor.zeros(n);
        int steps = 0;
        double residual = Checks.maxAbs(f.apply(u).toArray());
        while (residual > 1e-8 && steps < 20) {
            SparseMatrix j = jacobian.evaluate(u);
            double[] delta = solveNegated(j, f.apply(u).toArray(), order); // (−J)·δ = F
            u = u.add(Tensor.vector(delta));
            residual = Checks.maxAbs(f.apply(u).toArray());
            steps++;
        }
        double direct = (System.nanoTime() - t0) / 1e9;
        Checks.check("Newton with the sparse Jacobian converges", residual <= 1e-8 && steps <= 8);

        long t1 = System.nanoTime();
        Tensor w = Tensor.zeros(n);
        int krylovSteps = 0, cgIterations = 0;
        double krylovResidual = Checks.maxAbs(f.apply(w).toArray());
        while (krylovResidual > 1e-8 && krylovSteps < 20) {
            Tensor at = w;
            double[] r = f.apply(at).toArray();
            RealLinearOperator minusJ = operator(n, v -> Diff.jvp(f, at, Tensor.vector(v)).tangent().mul(-1).toArray());
            ConjugateGradient cg = new ConjugateGradient(10_000, Math.min(1e-2, krylovResidual) * 1e-2, false);
            RealVector delta = cg.solve(minusJ, new ArrayRealVector(r, false));
            cgIterations += cg.getIterationManager().getIterations();
            w = w.add(Tensor.vector(delta.toArray()));
            krylovResidual = Checks.maxAbs(f.apply(w).toArray());
            krylovSteps++;
        }
        double krylov = (System.nanoTime() - t1) / 1e9;
        Checks.check("Newton–Krylov converges", krylovResidual <= 1e-8 && krylovSteps <= 12);
        double diff = Checks.maxAbs(u.sub(w).toArray()), peak = Checks.maxAbs(u.toArray());
        Checks.check("both routes reach the same solution", diff <= 1e-9 * peak);
        out.printf(Locale.ROOT, "%d×%d grid, λ = %.0f: the Jacobian's %,d entries in 5 colours (5 JVPs in one pass per step)%n",
                M, M, LAMBDA, jacobian.pattern().nonZeros());
        out.printf(Locale.ROOT, "sparse Jacobian + EJML Cholesky: %d Newton steps, max |F| = %.1e, %.2f s (detection included)%n",
                steps, residual, direct);
        out.printf(Locale.ROOT, "matrix-free Newton–Krylov (CG on JVPs): %d steps, %,d CG iterations, max |F| = %.1e, %.2f s%n",
                krylovSteps, cgIterations, krylovResidual, krylov);
        out.printf(Locale.ROOT, "max u = %.6f; the two solutions differ by %.1e%n", peak, diff);
    }

    /** Solves (−J)·δ = r by EJML's sparse Cholesky, the unknowns permuted to {@code order} to keep the fill small. */
    static double[] solveNegated(SparseMatrix j, double[] r, int[] order) {
        int n = r.length;
        DMatrixSparseCSC minusJ = EjmlSparse.toCsc(j);
        CommonOps_DSCC.scale(-1, minusJ, minusJ);
        int[] inverse = new int[n];
        for (int k = 0; k < n; k++) inverse[order[k]] = k;
        DMatrixSparseCSC permuted = new DMatrixSparseCSC(n, n, 0);
        CommonOps_DSCC.permuteSymmetric(minusJ, inverse, permuted, null);
        LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> cholesky = LinearSolverFactory_DSCC.cholesky(FillReducing.NONE);
        Checks.check("−J is positive definite", cholesky.setA(permuted));
        DMatrixRMaj b = new DMatrixRMaj(n, 1), x = new DMatrixRMaj(n, 1);
        for (int k = 0; k < n; k++) b.data[inverse[k]] = r[k];
        cholesky.solve(b, x);
        double[] delta = new double[n];
        for (int k = 0; k < n; k++) delta[k] = x.data[inverse[k]];
        return delta;
    }

    /**
     * A nested-dissection order of the m×m grid: split the longer side by a line of unknowns, order the two
     * halves first (recursively) and the separating line last, so the Cholesky factor fills in O(n log n)
     * entries instead of the natural order's O(n^1.5).
     */
    static int[] nestedDissection(int m) {
        int[] order = new int[m * m];
        int[] next = {0};
        dissect(order, next, 0, m, 0, m, m);
        return order;
    }

    private static void dissect(int[] order, int[] next, int r0, int r1, int c0, int c1, int m) {
        if (r1 <= r0 || c1 <= c0) return;
        if ((r1 - r0) * (c1 - c0) <= 16) {
            for (int i = r0; i < r1; i++) for (int k = c0; k < c1; k++) order[next[0]++] = i * m + k;
        } else if (r1 - r0 >= c1 - c0) {
            int s = (r0 + r1) / 2;
            dissect(order, next, r0, s, c0, c1, m);
            dissect(order, next, s + 1, r1, c0, c1, m);
            for (int k = c0; k < c1; k++) order[next[0]++] = s * m + k;
        } else {
            int s = (c0 + c1) / 2;
            dissect(order, next, r0, r1, c0, s, m);
            dissect(order, next, r0, r1, s + 1, c1, m);
            for (int i = r0; i < r1; i++) order[next[0]++] = i * m + s;
        }
    }

    /** A Commons Math linear operator from its product. */
    static RealLinearOperator operator(int n, java.util.function.UnaryOperator<double[]> product) {
        return new RealLinearOperator() {
            @Override public int getRowDimension() { return n; }
            @Override public int getColumnDimension() { return n; }
            @Override public RealVector operate(RealVector v) { return new ArrayRealVector(product.apply(v.toArray()), false); }
        };
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new BratuNewton()), System.out);
    }
}
