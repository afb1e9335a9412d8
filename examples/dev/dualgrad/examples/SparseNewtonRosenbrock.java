package dev.dualgrad.examples;

import dev.dualgrad.Diff;
import dev.dualgrad.sparse.EjmlSparse;
import dev.dualgrad.sparse.SparseHessian;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import java.io.PrintStream;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.interfaces.linsol.LinearSolverSparse;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;

/**
 * Newton's method on the chained Rosenbrock function f(x) = Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² in 10,000
 * variables. Its Hessian is tridiagonal: detection finds the 3n − 2 entries, a star colouring needs 3
 * colours (the lower bound: a row holds 3 entries), so each Newton step takes the Hessian from one pass of 3
 * Hessian-vector products, where the dense Hessian would take 10,000 and 800 MB. The Newton system is
 * solved by EJML's sparse LU (no fill for a tridiagonal matrix); the Hessian is written straight into one
 * EJML matrix made once ({@code EjmlSparse.evaluateInto}), copied for the solver only if it says it modifies
 * its input.
 */
public final class SparseNewtonRosenbrock implements Stop {
    static final int N = 10_000;

    /** The chained Rosenbrock function, as in the benchmarks. */
    static Tensor rosenbrock(Tensor z) {
        int n = z.size();
        Tensor head = z.slice(0, 0, n - 1), tail = z.slice(0, 1, n);
        return tail.sub(head.square()).square().mul(100).add(Tensor.scalar(1).sub(head).square()).sum();
    }

    @Override
    public String problem() {
        return "Minimise a 10,000-variable Rosenbrock function by Newton's method, the tridiagonal Hessian from 3 colours.";
    }

    @Override
    public void run(PrintStream out) {
        TensorFunction f = SparseNewtonRosenbrock::rosenbrock;
        double[] start = new double[N];
        for (int i = 0; i < N; i++) start[i] = 1 + 0.04 * Math.sin(i); // in the basin of the minimum x = 1
        Tensor x = Tensor.vector(start);
        long t0 = System.nanoTime();
        SparseHessian hessian = SparseHessian.prepare(f, x);
        Checks.check("the detected Hessian pattern is tridiagonal", hessian.pattern().nonZeros() == 3 * N - 2);
        Checks.check("3 colours, the lower bound", hessian.plan().colours() == 3 && hessian.plan().lowerBound() == 3);
        double g0 = Checks.maxAbs(Diff.grad(f, x).toArray()), g = g0;
        int steps = 0;
        LinearSolverSparse<org.ejml.data.DMatrixSparseCSC, DMatrixRMaj> lu = LinearSolverFactory_DSCC.lu(FillReducing.NONE);
        org.ejml.data.DMatrixSparseCSC h = EjmlSparse.newCsc(hessian); // the pattern once; each step writes its values in place
        while (g > 1e-10 && steps < 20) {
            EjmlSparse.evaluateInto(hessian, x, h);
            double[] grad = Diff.grad(f, x).toArray();
            DMatrixRMaj step = new DMatrixRMaj(N, 1), minusGrad = new DMatrixRMaj(N, 1);
            for (int i = 0; i < N; i++) minusGrad.data[i] = -grad[i];
            Checks.check("the sparse Hessian is not singular", lu.setA(lu.modifiesA() ? h.copy() : h));
            lu.solve(minusGrad, step);
            x = x.add(Tensor.vector(step.data));
            g = Checks.maxAbs(Diff.grad(f, x).toArray());
            steps++;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double err = 0;
        for (double v : x.toArray()) err = Math.max(err, Math.abs(v - 1));
        Checks.check("Newton converges quadratically: a handful of steps", steps <= 8);
        Checks.close("the minimiser is x = 1", 1 + err, 1, 1e-12);
        out.printf(Locale.ROOT, "n = %,d: the Hessian has %,d entries (tridiagonal), %s%n", N, hessian.pattern().nonZeros(),
                hessian.plan().colours() + " colours (lower bound " + hessian.plan().lowerBound() + "): one pass of 3 HVPs per step");
        out.printf(Locale.ROOT, "Newton with EJML's sparse LU: max |∇f| from %.2e to %.2e in %d steps, max |x − 1| = %.1e, %.2f s%n",
                g0, g, steps, err, seconds);
        out.printf(Locale.ROOT, "(the dense Hessian alone would be %,d MB and take %,d directions)%n", 8L * N * N / 1_000_000, N);
    }

    /**
     * Runs this stop alone.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Tour.run(java.util.List.of(new SparseNewtonRosenbrock()), System.out);
    }
}
