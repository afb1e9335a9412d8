package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.PerArgument;

/**
 * Adam (Kingma and Ba 2015), as PyTorch's: g ← g + λ·p; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * p ← p − lr·(m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
 */
public final class Adam implements Optimizer {
    private final double lr, beta1, beta2, eps, weightDecay;
    private final OptimizerState state = new OptimizerState();
    private int t;

    public Adam(double lr) {
        this(lr, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        if (!(lr > 0)) throw new IllegalArgumentException("Adam: learning rate must be positive, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || !(weightDecay >= 0)) throw new IllegalArgumentException("Adam: eps must be > 0 and weight decay ≥ 0");
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Module module, PerArgument gradients) {
        Tensor[] grads = gradients.toArray();
        double[][] p = state.begin("Adam", module, grads, 2);
        t++;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < p.length; i++) {
            double[] g = Tensors.buffer(grads[i]), m = state.buffers[0][i], v = state.buffers[1][i], pi = p[i];
            for (int j = 0; j < pi.length; j++) {
                double d = g[j] + weightDecay * pi[j];
                m[j] = beta1 * m[j] + (1 - beta1) * d;
                v[j] = beta2 * v[j] + (1 - beta2) * d * d;
                pi[j] -= lr * (m[j] / c1) / (Math.sqrt(v[j] / c2) + eps);
            }
        }
        OptimizerState.end(module, p);
    }
}
