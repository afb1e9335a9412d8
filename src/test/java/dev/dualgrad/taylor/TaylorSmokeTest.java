package dev.dualgrad.taylor;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.Jet;
import dev.dualgrad.transforms.LaplacianResult;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TaylorSmokeTest {
    static TensorFunction mlp(int d, long seed) {
        TensorRandom r = TensorRandom.seed(seed);
        Tensor w1 = r.normal(d, 16).div(Math.sqrt(d)), b1 = r.normal(16).mul(0.1), w2 = r.normal(16, 16).div(4), w3 = r.normal(16, 1).div(4);
        return x -> x.matmul(w1).add(b1).tanh().matmul(w2).sigmoid().exp().matmul(w3).log1p().sum();
    }

    static Tensor nested(TensorFunction f, Tensor x, Tensor v, int k) {
        TensorFunction g = f;
        for (int i = 0; i < k; i++) {
            TensorFunction gg = g;
            g = z -> Diff.jvp(gg, z, v).tangent();
        }
        return g.apply(x);
    }

    @Test
    void directionalMatchesNestedJvp() {
        TensorFunction f = mlp(5, 1);
        Tensor x = TensorRandom.seed(2).normal(3, 5), v = TensorRandom.seed(3).normal(3, 5);
        Jet j = Diff.directionalDerivative(f, x, v, TaylorOptions.order(4));
        for (int k = 1; k <= 4; k++) {
            double a = j.derivative(k).item(), b = nested(f, x, v, k).item();
            assertEquals(b, a, 1e-10 * Math.max(1, Math.abs(b)));
        }
    }

    @Test
    void laplacianMatchesHessianTrace() {
        TensorFunction f = mlp(4, 5);
        Tensor x = TensorRandom.seed(6).normal(4);
        LaplacianResult r = Diff.laplacian(f, x);
        Tensor h = Diff.hessian(f, x);
        double tr = 0;
        for (int i = 0; i < 4; i++) tr += h.get(i, i);
        assertEquals(tr, r.laplacian().item(), 1e-10);
    }

    @Test
    void manyOpsMatchNestedJvpAndStayPolynomialInK() {
        java.util.List<TensorFunction> fs = java.util.List.of(
                x -> x.div(x.square().add(1)).sum(), x -> x.atan().sum(), x -> x.reciprocal().add(x.exp().reciprocal()).sum(),
                x -> x.logsumexp(0), x -> x.softmax(0).mul(x).sum(), x -> x.pow(2.5).sum(), x -> x.asinh().mul(x.cosh()).sum(),
                x -> dev.dualgrad.Loss.crossEntropy(x.reshape(1, 3), new int[] {1}));
        Tensor x = Tensor.of(new double[] {0.7, 1.3, 2.0}, 3), v = Tensor.of(new double[] {1.0, 0.5, -2.0}, 3);
        for (TensorFunction f : fs) {
            Jet j = Diff.directionalDerivative(f, x, v, TaylorOptions.order(5));
            for (int k = 1; k <= 5; k++) {
                double a = j.derivative(k).item(), b = nested(f, x, v, k).item();
                assertEquals(b, a, 1e-9 * Math.max(1, Math.abs(b)), "order " + k);
            }
            Jet high = Diff.directionalDerivative(f, x, v, TaylorOptions.order(16)); // must finish: no rule exponential in K
            assertEquals(j.derivative(5).item(), high.derivative(5).item(), 1e-9 * Math.max(1, Math.abs(j.derivative(5).item())), "orders agree across K");
        }
    }
}
