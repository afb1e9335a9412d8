package dev.dualgrad.internal.transforms;

import dev.dualgrad.transforms.CheckReport;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.MultiTensorFunction;

import dev.dualgrad.tensor.Tensor;

/** {@code Diff.check}: forward Jacobian vs reverse Jacobian vs central finite differences. */
public final class Check {
    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    private Check() {}

    public static CheckReport run(MultiTensorFunction f, Tensor[] xs, double eps, double atol, double rtol) {
        Tensor[] x = Jacobians.detached(xs);
        Tensor[] fwd = Jacobians.jacobian(f, JacobianOptions.defaults().mode(JacobianMode.FORWARD), x).jacobians().toArray();
        Tensor[] rev = Jacobians.jacobian(f, JacobianOptions.defaults().mode(JacobianMode.REVERSE), x).jacobians().toArray();
        Tensor[] num = FiniteDifferences.jacobian(f, x, eps);
        return new CheckReport(fwd, rev, num, atol, rtol);
    }
}
