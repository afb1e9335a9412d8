package dev.dualgrad.intruder;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;

public final class Intruder {
    public static double[] live(Tensor t) {
        return Tensors.buffer(t);
    }
}
