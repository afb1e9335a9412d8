package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * Per-parameter buffers of an optimizer (Adam's two moments, SGD's momentum), tied to the module they were
 * first used with. A step reads the parameters with {@link #begin}, updates the copies and its buffers in
 * place, and writes the parameters back with {@link #end}.
 */
final class OptimizerState {
    private Module owner;
    /** The buffers, indexed [buffer kind][parameter][element]; null until the first {@link #begin}. */
    double[][][] buffers;

    /**
     * Checks the gradients against the module's parameters, creates the zero buffers on the first call,
     * and returns copies of the parameters' values to update.
     *
     * @param name the optimizer's name, for messages
     * @param m the module being stepped
     * @param grads one gradient per parameter, in the order of {@link Module#parameters()}
     * @param kinds how many buffers per parameter element the optimizer keeps
     * @return the parameters' values, row-major copies in the order of {@link Module#parameters()}
     * @throws IllegalArgumentException if the gradients do not match the parameters in number or shape
     * @throws IllegalStateException if the state belongs to another module
     */
    double[][] begin(String name, Module m, Tensor[] grads, int kinds) {
        Tensor[] ps = m.parameterArray();
        if (grads.length != ps.length) {
            throw new IllegalArgumentException(name + ": " + grads.length + " gradients for " + ps.length + " parameters");
        }
        for (int i = 0; i < ps.length; i++) {
            if (!Arrays.equals(ps[i].shape(), grads[i].shape())) {
                throw new IllegalArgumentException(name + ": gradient " + i + " has shape " + Arrays.toString(grads[i].shape())
                        + " but parameter " + i + " has shape " + Arrays.toString(ps[i].shape()));
            }
        }
        if (owner == null) {
            owner = m;
            buffers = new double[kinds][ps.length][];
            for (int k = 0; k < kinds; k++) for (int i = 0; i < ps.length; i++) buffers[k][i] = new double[ps[i].size()];
        } else if (owner != m) {
            throw new IllegalStateException(name + ": this optimizer already holds state for another module; create one optimizer per module");
        }
        double[][] p = new double[ps.length][];
        for (int i = 0; i < ps.length; i++) p[i] = ps[i].toArray();
        return p;
    }

    /**
     * Replaces the module's parameters with the updated values (the arrays are adopted, not copied).
     *
     * @param m the module
     * @param p the updated values, as {@link #begin} returned them
     */
    static void end(Module m, double[][] p) {
        Tensor[] ps = m.parameterArray();
        Tensor[] next = new Tensor[ps.length];
        for (int i = 0; i < ps.length; i++) next[i] = Tensors.adopt(p[i], ps[i].shape());
        m.setParameters(next);
    }
}
