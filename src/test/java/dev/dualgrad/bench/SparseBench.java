package dev.dualgrad.bench;

import dev.dualgrad.Diff;
import dev.dualgrad.sparse.SparseHessian;
import dev.dualgrad.sparse.SparseJacobian;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.TensorFunction;
import java.util.List;

/**
 * Issue 13's workloads beside {@code ../shared/peers/torch_peer.py} (W10, W11): the sparse Hessian of the
 * chained Rosenbrock function and the sparse Jacobian of the 2-D Bratu residual (λ = 6), the same formulas
 * as the peer's {@code rosen} and {@code bratu} and as the examples {@code SparseNewtonRosenbrock} and
 * {@code BratuNewton}. The one-off workloads ({@code Diff.sparseHessian}, {@code Diff.sparseJacobian})
 * include detection and colouring; the {@code _prepared} ones time {@code evaluate} alone on an object
 * prepared once. The peer's figures are PyTorch's dense {@code jacfwd(jacrev)} / {@code jacfwd}: PyTorch has
 * no sparse route. The peer's {@code rosenbrock_hessian} (n = 100) is compared by hand with
 * {@code rosenbrock_hessian_sparse} here, since the Harness's own {@code rosenbrock_hessian} is dualgrad's
 * dense Hessian.
 */
public final class SparseBench {
    private SparseBench() {}

    /** The peer's rosen(z) = Σᵢ 100(zᵢ₊₁ − zᵢ²)² + (1 − zᵢ)², i < n − 1. */
    static Tensor rosenbrock(Tensor z) {
        int n = z.size();
        Tensor head = z.slice(0, 0, n - 1), tail = z.slice(0, 1, n);
        return tail.sub(head.square()).square().mul(100).add(Tensor.scalar(1).sub(head).square()).sum();
    }

    /** The peer's bratu(u, m, lam): Δₕu + λ·eᵘ on the m×m interior grid (u row-major, zero boundary, 5-point Laplacian). */
    static TensorFunction bratu(int m, double lambda) {
        double h2 = 1.0 / ((m + 1.0) * (m + 1.0));
        return u -> {
            Tensor grid = u.reshape(m, m).pad(0, 1, 1).pad(1, 1, 1);
            Tensor centre = grid.slice(0, 1, m + 1).slice(1, 1, m + 1);
            Tensor laplacian = grid.slice(0, 0, m).slice(1, 1, m + 1).add(grid.slice(0, 2, m + 2).slice(1, 1, m + 1))
                    .add(grid.slice(0, 1, m + 1).slice(1, 0, m)).add(grid.slice(0, 1, m + 1).slice(1, 2, m + 2))
                    .sub(centre.mul(4)).div(h2);
            return laplacian.add(centre.exp().mul(lambda)).reshape(m * m);
        };
    }

    static final double LAMBDA = 6;

    /** The peer's point for bratu_jacobian_m: 0.1·randn(m·m). */
    static Tensor bratuPoint(int m) {
        return TensorRandom.seed(100 + m).normal(m * m).mul(0.1);
    }

    static void add(List<Harness.Workload> ws) {
        TensorFunction rosen = SparseBench::rosenbrock;
        for (int n : new int[] {100, 1000}) {
            Tensor x = TensorRandom.seed(11 + n).normal(n);
            String name = n == 100 ? "rosenbrock_hessian_sparse" : "rosenbrock_hessian_" + n;
            SparseHessian prepared = SparseHessian.prepare(rosen, x);
            ws.add(new Harness.Workload(name, "Diff.sparseHessian (detection, a colouring chosen for one pass, 3 HVPs in one pass)",
                    () -> Diff.sparseHessian(rosen, x)));
            ws.add(new Harness.Workload(name + "_prepared", "SparseHessian.evaluate, prepared once (3 HVPs in one pass)",
                    () -> prepared.evaluate(x)));
        }
        for (int m : new int[] {32, 64}) {
            TensorFunction f = bratu(m, LAMBDA);
            Tensor u = bratuPoint(m);
            SparseJacobian prepared = SparseJacobian.prepare(f, u);
            ws.add(new Harness.Workload("bratu_jacobian_" + m, "Diff.sparseJacobian (detection, a colouring chosen for one pass, one JVP per colour in one pass)",
                    () -> Diff.sparseJacobian(f, u)));
            ws.add(new Harness.Workload("bratu_jacobian_" + m + "_prepared", "SparseJacobian.evaluate, prepared once (5 JVPs in one pass)",
                    () -> prepared.evaluate(u)));
        }
    }
}
