package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.PerArgument;

/**
 * Stochastic gradient descent with momentum and weight decay, with PyTorch's semantics
 * ({@code torch.optim.SGD}, dampening 0). Each parameter θ with gradient g is updated elementwise by
 * <pre>
 *   d = g + λ·θ                          (L2 weight decay λ)
 *   b = d on the first step, then b ← μ·b + d       (momentum buffer, when μ &gt; 0)
 *   θ ← θ − lr·b                         (heavy ball; Nesterov: θ ← θ − lr·(d + μ·b))
 * </pre>
 * and with μ = 0 simply θ ← θ − lr·d. The buffers are kept per parameter element for the one module this
 * optimizer steps.
 */
public final class Sgd implements Optimizer {
    private final double lr, momentum, weightDecay;
    private final boolean nesterov;
    private final OptimizerState state = new OptimizerState();
    private boolean started;

    /**
     * Plain gradient descent, θ ← θ − lr·g: no momentum, no weight decay.
     *
     * @param lr the learning rate, &gt; 0
     * @throws IllegalArgumentException if lr is not positive
     */
    public Sgd(double lr) {
        this(lr, 0, 0, false);
    }

    /**
     * SGD with every hyperparameter given.
     *
     * @param lr the learning rate, &gt; 0
     * @param momentum μ, in [0, 1); 0 turns momentum off
     * @param weightDecay λ, the L2 penalty's coefficient, ≥ 0
     * @param nesterov whether to use Nesterov momentum (needs μ &gt; 0)
     * @throws IllegalArgumentException if a value lies outside its range, or Nesterov is asked for without momentum
     */
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

    /**
     * One SGD step (the update in the class description), replacing the module's parameters.
     *
     * @param m the module; the first call ties this optimizer's momentum buffers to it
     * @param gradients ∂L/∂θ for each parameter, in the order of {@link Module#parameters()}
     * @throws IllegalArgumentException when the gradients do not match the parameters in number or shape
     * @throws IllegalStateException when this optimizer already stepped another module
     */
    @Override
    public void step(Module m, PerArgument gradients) {
        Args.nonNull(m, "Sgd.step", "m");
        Args.nonNull(gradients, "Sgd.step", "gradients");
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
