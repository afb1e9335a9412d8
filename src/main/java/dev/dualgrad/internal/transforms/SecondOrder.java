package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.transforms.HessianResult;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.TensorFunction;
import dev.dualgrad.transforms.ValueAndTangent;

import dev.dualgrad.tensor.Tensor;

/**
 * Second derivatives of a scalar f, by forward mode over reverse mode: the gradient is computed with
 * dual tensors, so its tangent along v is H·v. One such pass costs a small multiple of a gradient
 * (every op of the forward and backward sweeps carries its tangent), and k directions share the pass.
 */
public final class SecondOrder {
    private SecondOrder() {}

    /** H·v = d/dε ∇f(x + εv) at 0, v shaped like x. */
    public static Tensor hvp(TensorFunction f, Tensor x, Tensor v) {
        return Forward.jvp("hvp", xs -> gradient("hvp", f, xs[0]), new Tensor[] {x}, new Tensor[] {v}, false).tangent();
    }

    /** H·v by reverse over forward: ∇ₓ⟨∇f(x), v⟩ with the inner product from one JVP. The same numbers by another route. */
    public static Tensor hvpReverseOverForward(TensorFunction f, Tensor x, Tensor v) {
        return Reverse.valueAndGrad("hvp", xs -> scalarJvp(f, xs[0], v), new Tensor[] {x}).grad();
    }

    private static Tensor scalarJvp(TensorFunction f, Tensor x, Tensor v) {
        ValueAndTangent r = Forward.jvp("hvp", xs -> f.apply(xs[0]), new Tensor[] {x}, new Tensor[] {v}, false);
        if (r.value().size() != 1) throw notScalar("hvp", r.value());
        return r.tangent();
    }

    /** The Hessian, shaped x.shape + x.shape, columns H·e_j in chunks of directions. */
    public static HessianResult hessian(TensorFunction f, Tensor x, JacobianOptions options) {
        JacobianResult r = Jacobians.jacobian(xs -> gradient("hessian", f, xs[0]), Jacobians.forHessian(options, x.size()), new Tensor[] {x});
        Tensor h = r.jacobian();
        int n = x.size();
        double[] d = Tensors.buffer(h);
        double diff = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double a = d[i * n + j], b = d[j * n + i];
                diff += (a - b) * (a - b);
                norm += a * a;
            }
        }
        double asym = Math.sqrt(diff);
        return new HessianResult(h, asym, norm == 0 ? asym : asym / Math.sqrt(norm), r.plan());
    }

    /** ∇f as a differentiable function (its arithmetic is recorded by enclosing transforms). */
    static Tensor gradient(String op, TensorFunction f, Tensor x) {
        return Reverse.valueAndGrad(op, xs -> f.apply(xs[0]), new Tensor[] {x}).grad();
    }

    static IllegalArgumentException notScalar(String op, Tensor y) {
        return new IllegalArgumentException(op + ": f must return a scalar (one element) but returned shape "
                + java.util.Arrays.toString(y.shape()) + "; second derivatives here are of scalar functions."
                + " For a vector-valued f, take hvp of ⟨w, f⟩ for a weight vector w.");
    }
}
