package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.PerArgument;

/**
 * Adam (Kingma and Ba, 2015) with PyTorch's semantics ({@code torch.optim.Adam}, amsgrad off). At step
 * t = 1, 2, … each parameter θ with gradient g is updated elementwise by
 * <pre>
 *   d  = g + λ·θ                        (L2 weight decay λ added to the gradient, not decoupled as in AdamW)
 *   m ← β₁·m + (1 − β₁)·d               (first moment, m₀ = 0)
 *   v ← β₂·v + (1 − β₂)·d²              (second moment, v₀ = 0)
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 * The moments are kept per parameter element for the one module this optimizer steps; t counts the calls
 * of {@link #step}.
 */
public final class Adam implements Optimizer {
    private final double lr, beta1, beta2, eps, weightDecay;
    private final OptimizerState state = new OptimizerState();
    private int t;

    /**
     * Adam with PyTorch's defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no weight decay.
     *
     * @param lr the learning rate, &gt; 0 (PyTorch's default is 1e-3)
     * @throws IllegalArgumentException if lr is not positive
     */
    public Adam(double lr) {
        this(lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * Adam with every hyperparameter given.
     *
     * @param lr the learning rate, &gt; 0
     * @param beta1 β₁, the decay of the first moment, in [0, 1)
     * @param beta2 β₂, the decay of the second moment, in [0, 1)
     * @param eps ε, added to the denominator, &gt; 0
     * @param weightDecay λ, the L2 penalty's coefficient, ≥ 0
     * @throws IllegalArgumentException if a value lies outside its range
     */
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

    /**
     * One Adam step (the update in the class description), replacing the module's parameters.
     *
     * @param module the module; the first call ties this optimizer's moments to it
     * @param gradients ∂L/∂θ for each parameter, in the order of {@link Module#parameters()}
     * @throws IllegalArgumentException when the gradients do not match the parameters in number or shape
     * @throws IllegalStateException when this optimizer already stepped another module
     */
    @Override
    public void step(Module module, PerArgument gradients) {
        Args.nonNull(module, "Adam.step", "module");
        Args.nonNull(gradients, "Adam.step", "gradients");
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
