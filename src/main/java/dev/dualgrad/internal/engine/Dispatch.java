package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;

/** Runs a primitive: on concrete data directly, or through the deepest active level among its inputs. */
public final class Dispatch {
    private Dispatch() {}

    public static Tensor apply(Primitive p, Tensor... in) {
        boolean concrete = true;
        for (Tensor t : in) {
            if (Tensors.level(t) != null) {
                concrete = false;
                break;
            }
        }
        if (concrete) return OpTimes.ON ? OpTimes.timed(p, in) : p.eval(in);
        if (!p.differentiable()) {
            Level.top(p.name(), in); // still refuse escaped or unrelated tensors
            Tensor[] c = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) c[i] = in[i].detach();
            return p.eval(c);
        }
        return Level.top(p.name(), in).apply(p, in);
    }
}
