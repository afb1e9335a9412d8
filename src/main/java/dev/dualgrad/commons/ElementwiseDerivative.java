package dev.dualgrad.commons;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.ops.CustomOp;
import dev.dualgrad.ops.VjpReads;
import dev.dualgrad.tensor.Tensor;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.UnivariateDifferentiableFunction;

/**
 * The d-th derivative g⁽ᵈ⁾ of a Commons Math function as an elementwise op whose rules multiply by the
 * op of g⁽ᵈ⁺¹⁾, made when first needed: so every order a transform nests to is exact, as far as g's
 * {@link DerivativeStructure} goes.
 */
final class ElementwiseDerivative {
    final CustomOp op;
    private final String name;
    private final UnivariateDifferentiableFunction g;
    private final int order;
    private ElementwiseDerivative next; // guarded by this

    ElementwiseDerivative(String name, UnivariateDifferentiableFunction g, int order) {
        this.name = name;
        this.g = g;
        this.order = order;
        this.op = CustomOp.builder(order == 0 ? name : name + " derivative " + order).arity(1)
                .primal(x -> map(x[0]))
                .jvp((x, y, dx) -> Tensors.mulStrongZero(dx[0], next().op.apply(x[0])))
                .vjp((x, y, gy) -> new Tensor[] {Tensors.mulStrongZero(gy, next().op.apply(x[0]))})
                .vjpReads(VjpReads.allInputs())
                .build();
    }

    private synchronized ElementwiseDerivative next() {
        if (next == null) next = new ElementwiseDerivative(name, g, order + 1);
        return next;
    }

    /** g⁽ᵈ⁾ of every element of a concrete tensor (the primal runs on constants only). */
    private Tensor map(Tensor x) {
        double[] in = Tensors.buffer(x), out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = order == 0 ? g.value(in[i]) : g.value(new DerivativeStructure(1, order, 0, in[i])).getPartialDerivative(order);
        }
        return Tensors.adopt(out, x.shape());
    }
}
