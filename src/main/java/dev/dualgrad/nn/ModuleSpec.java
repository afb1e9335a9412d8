package dev.dualgrad.nn;

import dev.dualgrad.tensor.Tensor;
import java.io.Serializable;
import java.util.Map;

/**
 * A module's architecture without its parameters, as a serializable value: what {@link Module#spec()}
 * returns and {@link Module#from(ModuleSpec, ParameterSnapshot)} rebuilds a module from. The library's
 * specs are {@link Mlp.Builder} (an MLP's architecture), {@link Linear.Spec}, {@link Sequential.Spec},
 * {@link Activation.Spec} (the built-in activations, by name), {@link LayerNorm.Spec} and
 * {@link Dropout.Spec} (with its generator's state and its training/evaluation mode). A user's module becomes serializable by
 * returning a spec of its own from {@link Module#spec()}.
 */
public interface ModuleSpec extends Serializable {
    /**
     * The module of this architecture with the given parameters (taken as constants).
     *
     * @param parameters exactly the module's parameters, by name, each of its shape
     * @return the module
     * @throws IllegalArgumentException naming the first missing, extra or misshapen parameter
     */
    Module build(Map<String, Tensor> parameters);

}
