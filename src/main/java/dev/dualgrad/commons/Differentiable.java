package dev.dualgrad.commons;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.ops.CustomOp;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import dev.dualgrad.transforms.ValueAndGrad;
import dev.dualgrad.transforms.ValueAndTangent;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.MultivariateDifferentiableFunction;
import org.apache.commons.math3.analysis.differentiation.UnivariateDifferentiableFunction;

/**
 * dualgrad functions as Commons Math's differentiable functions, for its solvers
 * ({@code NewtonRaphsonSolver}) and every API built on {@link DerivativeStructure}; and the other way
 * round, a Commons Math {@link UnivariateDifferentiableFunction} as an elementwise dualgrad op.
 *
 * <p><b>Orders.</b> A {@link DerivativeStructure} of order o asks for the derivatives of f up to order o,
 * which are composed with the structure's own (the chain rule of any order, Commons Math's
 * {@code compose} and Taylor arithmetic), so the result is exact whatever the structure's free parameters.
 * Order 1, what the solvers ask, is one forward pass (univariate) or one reverse recording and sweep
 * (multivariate). Order 2 is nested forward mode (univariate) or the gradient plus
 * {@code Diff.hessian}, forward over reverse (multivariate). Orders above 2 are exact too, by nesting
 * further, at a cost that grows quickly: about 2ᵒ evaluations' worth for a univariate function, and the
 * derivative tensors of nᵏ entries for every k ≤ o for a multivariate one (built by nested
 * {@code Diff.jacobian}).</p>
 */
public final class Differentiable {
    private Differentiable() {}

    /**
     * f as a univariate differentiable function.
     *
     * @param f a function of a 0-d tensor returning one element
     * @return x ↦ f(x), with derivatives of any order; see the class comment for their cost
     * @throws NullPointerException when f is null
     */
    public static UnivariateDifferentiableFunction univariate(TensorFunction f) {
        Args.nonNull(f, "Differentiable.univariate", "f");
        return new UnivariateDifferentiableFunction() {
            @Override
            public double value(double x) {
                return scalar(f.apply(Tensor.scalar(x)), "univariate").item();
            }

            @Override
            public DerivativeStructure value(DerivativeStructure t) {
                Args.nonNull(t, "Differentiable.univariate", "t");
                return t.compose(Tensors.buffer(stacked(f, t.getOrder()).apply(Tensor.scalar(t.getValue()))));
            }
        };
    }

    /**
     * f as a multivariate differentiable function.
     *
     * @param f a function of a rank-1 tensor [n] returning one element
     * @return p ↦ f(p), with derivatives of any order; see the class comment for their cost
     * @throws NullPointerException when f is null
     */
    public static MultivariateDifferentiableFunction multivariate(TensorFunction f) {
        Args.nonNull(f, "Differentiable.multivariate", "f");
        TensorFunction g = z -> scalar(f.apply(z), "multivariate");
        return new MultivariateDifferentiableFunction() {
            @Override
            public double value(double[] point) {
                Args.nonNull(point, "Differentiable.multivariate", "point");
                return g.apply(Tensor.vector(point)).item();
            }

            @Override
            public DerivativeStructure value(DerivativeStructure[] point) {
                Args.nonNullEntries(point, "Differentiable.multivariate", "point");
                return taylor(g, point);
            }
        };
    }

    /**
     * A Commons Math function as an elementwise op y = g(x): its value from {@code g.value(double)}, its
     * derivative g′ from {@code g.value(DerivativeStructure)} at order 1, itself an op of the same kind whose
     * derivative g″ comes from order 2, and so on, so that the op works in forward and reverse mode and at
     * second (or any) order, as far as g's {@code DerivativeStructure} goes. The rules multiply by the
     * derivative with the strong zero (a zero tangent gives 0 even where g′ is infinite or NaN); each rule
     * evaluates the derivative once per tangent direction.
     *
     * @param name the op's name, for error messages
     * @param g the function
     * @return the op, of arity 1
     * @throws NullPointerException when name or g is null
     * @throws IllegalArgumentException when name is blank
     */
    public static CustomOp elementwise(String name, UnivariateDifferentiableFunction g) {
        Args.nonNull(name, "Differentiable.elementwise", "name");
        Args.nonNull(g, "Differentiable.elementwise", "g");
        return new ElementwiseDerivative(name, g, 0).op;
    }

    /** z ↦ [f(z), f′(z), …, f⁽ᵒ⁾(z)] by o nested forward passes, each adding one derivative to the stack. */
    private static TensorFunction stacked(TensorFunction f, int order) {
        TensorFunction h = z -> scalar(f.apply(z), "univariate").reshape(1);
        for (int k = 1; k <= order; k++) {
            TensorFunction inner = h;
            int top = k;
            h = z -> {
                ValueAndTangent r = Diff.jvp(inner, z, Tensor.scalar(1));
                return Tensor.concat(0, r.value(), r.tangent().slice(0, top - 1, top));
            };
        }
        return h;
    }

    /**
     * f at the structures p: Σₖ (1/k!) Σ Tₖ[i₁…iₖ] δ_{i₁}⋯δ_{iₖ} with δᵢ = pᵢ − pᵢ(0) and Tₖ the k-th derivative
     * tensor of f, in Horner form. δ has value 0, so the sum up to the order is exact to that order.
     */
    private static DerivativeStructure taylor(TensorFunction f, DerivativeStructure[] p) {
        int n = p.length;
        if (n == 0) throw new IllegalArgumentException("Differentiable.multivariate: point is empty; give one structure per variable");
        int params = p[0].getFreeParameters(), order = p[0].getOrder();
        double[] x0 = new double[n];
        DerivativeStructure[] delta = new DerivativeStructure[n];
        for (int i = 0; i < n; i++) {
            if (p[i].getFreeParameters() != params || p[i].getOrder() != order) {
                throw new IllegalArgumentException("Differentiable.multivariate: point[" + i + "] has " + p[i].getFreeParameters() + " parameters and order "
                        + p[i].getOrder() + " but point[0] has " + params + " and " + order + "; all must agree");
            }
            x0[i] = p[i].getValue();
            delta[i] = p[i].subtract(x0[i]);
        }
        return horner(derivativeTensors(f, Tensor.vector(x0), order), delta, 0, 0, params, order);
    }

    /** T₀ … T_order flattened: f, ∇f (one recording), the Hessian, then Jacobians of the previous tensor. */
    private static double[][] derivativeTensors(TensorFunction f, Tensor x, int order) {
        double[][] t = new double[order + 1][];
        if (order == 0) {
            t[0] = f.apply(x).toArray();
            return t;
        }
        ValueAndGrad vg = Diff.valueAndGrad(f, x);
        t[0] = vg.value().toArray();
        t[1] = vg.grad().toArray();
        TensorFunction d = z -> Diff.grad(f, z);
        for (int k = 2; k <= order; k++) {
            TensorFunction previous = d;
            d = k == 2 ? z -> Diff.hessian(f, z) : z -> Diff.jacobian(previous, z);
            t[k] = d.apply(x).toArray();
        }
        return t;
    }

    private static DerivativeStructure horner(double[][] t, DerivativeStructure[] delta, int k, int index, int params, int order) {
        if (k == t.length - 1) return new DerivativeStructure(params, order, t[k][index]);
        DerivativeStructure sum = null;
        for (int j = 0; j < delta.length; j++) {
            DerivativeStructure term = delta[j].multiply(horner(t, delta, k + 1, index * delta.length + j, params, order));
            sum = sum == null ? term : sum.add(term);
        }
        return sum.divide(k + 1).add(t[k][index]);
    }

    private static Tensor scalar(Tensor y, String op) {
        if (y == null || y.size() != 1) {
            throw new IllegalArgumentException("Differentiable." + op + ": f must return one element, returned "
                    + (y == null ? "null" : "shape " + Shape.str(y.shape())));
        }
        return y;
    }
}
