package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.PerArgument;

/**
 * Stochastic gradient descent with momentum and weight decay, as PyTorch's SGD:
 * d = g + λ·p; b = d on the first step, then b = μ·b + d; p ← p − lr·b (Nesterov: p ← p − lr·(d + μ·b)).
 */
public final class Sgd implements Optimizer {
    private final double lr, momentum, weightDecay;
    private final boolean nesterov;
    private final OptimizerState state = new OptimizerState();
    private boolean started;

    public Sgd(double lr) {
        this(lr, 0, 0, false);
    }

    public Sgd(double lr, double momentum, double weightDecay, boolean nesterov) {
        if (!(lr > 0)) throw new IllegalArgumentException("Sgd: learning rate must be positive, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Sgd: momentum must lie in [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("Sgd: weight decay must be ≥ 0, got " + weightDecay);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0");
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public void step(Module m, PerArgument gradients) {
        Tensor[] grads = gradients.toArray();
        double[][] p = state.begin("Sgd", m, grads, 1);
        for (int i = 0; i < p.length; i++) {
            double[] g = Tensors.buffer(grads[i]), b = state.buffers[0][i], pi = p[i];
            for (int j = 0; j < pi.length; j++) {
                double d = g[j] + weightDecay * pi[j];
                if (momentum != 0) {
                    b[j] = started ? momentum * b[j] + d : d;
                    d = nesterov ? d + momentum * b[j] : b[j];
                }
                pi[j] -= lr * d;
            }
        }
        started = true;
        OptimizerState.end(m, p);
    }
}
