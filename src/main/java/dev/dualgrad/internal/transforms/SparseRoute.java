package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.sparse.SparseJacobian;
import dev.dualgrad.sparse.SparsePlan;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.PerArgument;
import java.util.Locale;

/**
 * {@code jacobian} with {@code JacobianOptions.proposeSparse}: the pattern is detected and coloured, the plan
 * compares the colours with the dense route's directions, and with {@code sparseWhenItPays} the coloured route
 * is taken when it needs at most half of them (detection and decompression cost a few evaluations; below that
 * ratio they are repaid), and only when no transform is running on the thread: the dense route stays
 * differentiable by an enclosing one, through x or through tensors f captures.
 */
final class SparseRoute {
    private SparseRoute() {}

    static JacobianResult jacobian(MultiTensorFunction f, JacobianOptions o, Tensor x) {
        JacobianOptions plain = o.proposeSparse(false);
        SparseJacobian sparse = SparseJacobian.prepare(z -> f.apply(new Tensor[] {z}), x.detach(), plain.verify(false));
        SparsePlan sp = sparse.plan();
        long n = sp.columns(), m = sp.rows();
        long dense = o.mode() == JacobianMode.FORWARD ? n : o.mode() == JacobianMode.REVERSE ? m : Math.min(n, m);
        boolean pays = 2L * sp.colours() <= dense;
        String proposal = String.format(Locale.ROOT, "Sparsity: %d of the %d entries may be nonzero (density %.3g); coloured, %d %s"
                        + " direction%s (lower bound %d) against the dense route's %d, so the sparse route (Diff.sparseJacobian) %s.",
                sp.nonZeros(), n * m, n * m == 0 ? 0.0 : sp.nonZeros() / (double) (n * m), sp.colours(), sp.mode().toString().toLowerCase(Locale.ROOT),
                sp.colours() == 1 ? "" : "s", sp.lowerBound(), dense, pays ? "pays" : "does not pay");
        boolean nested = !x.isConstant() || dev.dualgrad.internal.engine.Level.anyActiveOnThisThread();
        if (o.sparseWhenItPays() && pays && !nested) {
            int[] yShape = f.apply(new Tensor[] {x}).shape();
            Tensor j = sparse.evaluate(x).toDense().reshape(Shape.concat(yShape, x.shape()));
            JacobianPlan plan = new JacobianPlan(sp.mode(), n, m, sp.chunk(), sp.passes(), -1, proposal + " Taken: " + sp.reason());
            JacobianResult r = new JacobianResult(PerArgument.of(new Tensor[] {j}), plan);
            if (o.verify()) DotProductCheck.verify("jacobian", f, new Tensor[] {x}, r);
            return r;
        }
        JacobianResult r = Jacobians.jacobian(f, plain, new Tensor[] {x});
        JacobianPlan p = r.plan();
        String why = p.reason() + " " + proposal + (o.sparseWhenItPays() && pays ? " Not taken: an enclosing transform is running"
                + " (x or a captured tensor may carry its derivative), and a sparse matrix holds plain doubles." : "");
        return new JacobianResult(r.jacobians(), new JacobianPlan(p.mode(), p.inputSize(), p.outputSize(), p.chunk(), p.passes(), p.bytesPerPass(), why));
    }
}
