package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/** Per-parameter buffers of an optimizer, tied to the module they were first used with. */
final class OptimizerState {
    private Module owner;
    double[][][] buffers; // [buffer kind][parameter][element]

    /** The parameters as arrays (copies), after checking that the gradients fit them. */
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

    static void end(Module m, double[][] p) {
        Tensor[] ps = m.parameterArray();
        Tensor[] next = new Tensor[ps.length];
        for (int i = 0; i < ps.length; i++) next[i] = Tensors.adopt(p[i], ps[i].shape());
        m.setParameters(next);
    }
}
