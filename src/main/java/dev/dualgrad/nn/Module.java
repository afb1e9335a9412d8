package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A network layer or a composition of layers: named parameters in a stable order, and a forward
 * function that can run either with the module's own parameters or with given ones (a functional
 * call), so that {@code Diff.grad} and {@code Diff.jacobian} differentiate w.r.t. parameters as
 * easily as w.r.t. inputs:
 *
 * <pre>{@code
 * PerArgument g = Diff.grad(ps -> Loss.crossEntropy(model.forward(ps, x), labels), model.parameterArray());
 * }</pre>
 *
 * <h2>Models that travel</h2>
 * A module with a {@link #spec()} (its architecture, a {@link ModuleSpec}) is {@link Serializable}: Java
 * serialization writes its spec and a {@link #snapshot()} of its parameters in its place (a serialization
 * proxy) and rebuilds it on reading with {@link #from(ModuleSpec, ParameterSnapshot)}, so a module captured
 * in a closure (a Spark task, say) arrives with bitwise the same parameters. Serializing a module without a
 * spec throws a {@link NotSerializableException} whose message names the fix: override {@link #spec()}, or
 * ship the snapshot and rebuild the module from code.
 */
public abstract class Module implements Serializable {
    private static final long serialVersionUID = 1L;

    /** For subclasses: a module has no state of its own here; its parameters live in the subclass. */
    protected Module() {}

    /**
     * The parameters, by name, in a stable order.
     *
     * @return a new map each call (the tensors are immutable, so sharing them is safe)
     */
    public abstract Map<String, Tensor> parameters();

    /**
     * f(params, x): the forward function with the given parameters in place of the module's own, so that
     * it can be differentiated with respect to them.
     *
     * @param params a map with the names and shapes of {@link #parameters()}
     * @param x the input
     * @return the output
     * @throws IllegalArgumentException when x has the wrong shape
     */
    public abstract Tensor forward(Map<String, Tensor> params, Tensor x);

    /**
     * Replaces the parameters. Called only by {@link #setParameters(Map)} and {@link #load}, with a map
     * already checked to hold exactly the module's names and shapes, as constants.
     *
     * @param params the new parameters
     */
    protected abstract void assign(Map<String, Tensor> params);

    /**
     * f(x) with the module's own parameters.
     *
     * @param x the input
     * @return the output
     */
    public Tensor forward(Tensor x) {
        Args.nonNull(x, "Module.forward", "x");
        return forward(parameters(), x);
    }

    /**
     * The parameters as an array, in the order of {@link #parameters()}: the arguments to differentiate
     * in {@code Diff.grad(ps -> loss(model.forward(ps, x)), model.parameterArray())}.
     *
     * @return a new array
     */
    public Tensor[] parameterArray() {
        return parameters().values().toArray(new Tensor[0]);
    }

    /**
     * Functional call with the parameters given as an array in the order of {@link #parameters()}.
     *
     * @param params one tensor per parameter, each of its shape
     * @param x the input
     * @return the output
     * @throws IllegalArgumentException when the count or a shape is wrong
     */
    public Tensor forward(Tensor[] params, Tensor x) {
        Args.nonNull(params, "Module.forward", "params");
        Args.nonNull(x, "Module.forward", "x");
        return forward(bind(params), x);
    }

    /**
     * Names the given tensors in the order of {@link #parameters()}, checking count and shapes.
     *
     * @param params one tensor per parameter
     * @return the named map
     * @throws IllegalArgumentException naming the first wrong count or shape
     */
    public Map<String, Tensor> bind(Tensor[] params) {
        Args.nonNull(params, "Module.bind", "params");
        Map<String, Tensor> own = parameters();
        if (params.length != own.size()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + params.length + " parameter tensors given for "
                    + own.size() + " parameters " + own.keySet());
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            checkShape(e.getKey(), e.getValue(), params[i]);
            m.put(e.getKey(), params[i++]);
        }
        return m;
    }

    /**
     * Replaces every parameter, all or nothing: the names and shapes must match exactly. The tensors
     * are taken as constants (detached).
     *
     * @param params the new parameters, by name
     * @throws IllegalArgumentException when a name is missing or extra, or a shape differs; the module is then unchanged
     */
    public void setParameters(Map<String, Tensor> params) {
        Args.nonNull(params, "Module.setParameters", "params");
        Map<String, Tensor> own = parameters();
        if (!own.keySet().equals(params.keySet())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameters " + params.keySet() + " do not match the module's "
                    + own.keySet());
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor p = params.get(e.getKey());
            checkShape(e.getKey(), e.getValue(), p);
            m.put(e.getKey(), p.detach());
        }
        assign(m);
    }

    /**
     * Replaces every parameter, given in the order of {@link #parameters()}.
     *
     * @param params one tensor per parameter
     * @throws IllegalArgumentException when the count or a shape is wrong; the module is then unchanged
     */
    public void setParameters(Tensor[] params) {
        Args.nonNull(params, "Module.setParameters", "params");
        setParameters(bind(params));
    }

    /** @return the total number of scalar parameters */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters().values()) n += t.size();
        return n;
    }

    /**
     * Writes the parameters to a file in the format of {@link ParameterFile}, atomically: the file is replaced
     * whole or not at all, so a reader, a crash or a concurrent save never sees a missing, partial or mixed
     * file (see {@link ParameterFile#write}).
     *
     * @param file where to write; its directory must exist
     * @throws IOException when the file cannot be written, or the path is a directory (never replaced); the
     *     previous file is then in place
     */
    public void save(Path file) throws IOException {
        ParameterFile.write(file, parameters());
    }

    /**
     * Reads parameters from a file written by {@link #save}. The file is checked whole (its checksum, every
     * declared size, no name twice) before anything changes: a truncated, corrupt, foreign or mismatched file
     * throws an IOException naming the problem and leaves the module unchanged.
     *
     * @param file a file written by {@link #save}
     * @throws IOException when the file cannot be read, is truncated, corrupt (checksum, sizes, a duplicate
     *     name), foreign or of an unsupported format version, or holds other names or shapes than the module
     */
    public void load(Path file) throws IOException {
        Map<String, Tensor> read = ParameterFile.read(file);
        Map<String, Tensor> own = parameters();
        if (!own.keySet().equals(read.keySet())) {
            throw new IOException(file + ": the file holds parameters " + read.keySet() + " but the module has " + own.keySet());
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor r = read.get(e.getKey());
            if (!Arrays.equals(r.shape(), e.getValue().shape())) {
                throw new IOException(file + ": parameter " + e.getKey() + " has shape " + Arrays.toString(r.shape()) + " in the file but "
                        + Arrays.toString(e.getValue().shape()) + " in the module");
            }
        }
        setParameters(read);
    }

    // ---- issue 20: training and evaluation modes (Dropout)

    /**
     * Switches this module, and every layer inside it, to training mode, as PyTorch's {@code module.train()}:
     * {@link Dropout} drops elements. Modules start in training mode; most have no mode and ignore it.
     *
     * @return this module
     */
    public Module train() {
        setTraining(true);
        return this;
    }

    /**
     * Switches this module, and every layer inside it, to evaluation mode, as PyTorch's {@code module.eval()}:
     * {@link Dropout} returns its input.
     *
     * @return this module
     */
    public Module eval() {
        setTraining(false);
        return this;
    }

    /**
     * Sets the mode; does nothing unless overridden: by modules with a mode, and by containers, which pass it to their layers.
     *
     * @param training true for training mode, false for evaluation mode
     */
    protected void setTraining(boolean training) {}

    /**
     * The architecture of this module, from which {@link #from(ModuleSpec, ParameterSnapshot)} rebuilds it
     * anywhere. The library's modules have one ({@link Linear}, {@link Sequential} of modules that have one,
     * {@link Mlp}, the built-in {@link Activation}s); a subclass that does not override this has none, and
     * then cannot be serialized.
     *
     * @return the spec, or empty when this module has no spec
     */
    public Optional<ModuleSpec> spec() {
        return Optional.empty();
    }

    /**
     * A serializable copy of the current parameters.
     *
     * @return the snapshot, in the order of {@link #parameters()}
     */
    public ParameterSnapshot snapshot() {
        return ParameterSnapshot.of(parameters());
    }

    /**
     * Rebuilds a module from its architecture and a snapshot of its parameters: {@code spec.build(snapshot.toMap())}.
     *
     * @param spec the architecture, e.g. {@code model.spec().orElseThrow()}
     * @param snapshot the parameters, e.g. {@code model.snapshot()}
     * @return a new module, computing bitwise what the original did with those parameters
     * @throws IllegalArgumentException when the snapshot does not hold exactly the spec's names and shapes
     */
    public static Module from(ModuleSpec spec, ParameterSnapshot snapshot) {
        Args.nonNull(spec, "Module.from", "spec");
        Args.nonNull(snapshot, "Module.from", "snapshot");
        return spec.build(snapshot.toMap());
    }

    /**
     * Java serialization's hook: the module is written as its spec and parameter snapshot.
     *
     * @return the serialized form
     * @throws ObjectStreamException (a NotSerializableException) when this module has no {@link #spec()}
     */
    protected final Object writeReplace() throws ObjectStreamException {
        Optional<ModuleSpec> spec = spec();
        if (spec.isEmpty()) {
            throw new NotSerializableException(getClass().getName() + " (" + this + ") has no ModuleSpec, so it cannot be serialized (a Spark "
                    + "closure, a broadcast): build it from Linear, LayerNorm, Dropout, Sequential, Mlp and the built-in activations, or override Module.spec() in "
                    + getClass().getSimpleName() + " to return a ModuleSpec that rebuilds it, or send module.snapshot() and rebuild the module "
                    + "from code on the other side");
        }
        return new Serialized(spec.get(), snapshot());
    }

    /** The serialized form of every module: its spec and parameters, rebuilt on reading. */
    private static final class Serialized implements Serializable {
        private static final long serialVersionUID = 1L;
        private final ModuleSpec spec;
        private final ParameterSnapshot snapshot;

        Serialized(ModuleSpec spec, ParameterSnapshot snapshot) {
            this.spec = spec;
            this.snapshot = snapshot;
        }

        private Object readResolve() throws ObjectStreamException {
            try {
                return from(spec, snapshot);
            } catch (IllegalArgumentException | NullPointerException e) {
                InvalidObjectException x = new InvalidObjectException("Module: the serialized spec and parameters do not fit: " + e.getMessage());
                x.initCause(e);
                throw x;
            }
        }
    }

    private void checkShape(String name, Tensor own, Tensor given) {
        if (given == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + name + " is missing");
        if (!Arrays.equals(own.shape(), given.shape())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + name + " must have shape "
                    + Arrays.toString(own.shape()) + " but the given tensor has shape " + Arrays.toString(given.shape()));
        }
    }
}
