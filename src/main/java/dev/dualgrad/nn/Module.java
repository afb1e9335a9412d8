package dev.dualgrad.nn;

import dev.dualgrad.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network layer or a composition of layers: named parameters in a stable order, and a forward
 * function that can run either with the module's own parameters or with given ones (a functional
 * call), so that {@code Diff.grad} and {@code Diff.jacobian} differentiate w.r.t. parameters as
 * easily as w.r.t. inputs:
 *
 * <pre>{@code
 * PerArgument g = Diff.grad(ps -> Loss.crossEntropy(model.forward(ps, x), labels), model.parameterArray());
 * }</pre>
 */
public abstract class Module {
    /** The parameters, by name, in a stable order (a copy of the map; the tensors are immutable). */
    public abstract Map<String, Tensor> parameters();

    /** f(params, x): the forward function with the given parameters in place of the module's own. */
    public abstract Tensor forward(Map<String, Tensor> params, Tensor x);

    /** Replaces the parameters; called only with a validated map (same names and shapes). */
    protected abstract void assign(Map<String, Tensor> params);

    /** f(x) with the module's own parameters. */
    public Tensor forward(Tensor x) {
        return forward(parameters(), x);
    }

    /** The parameters as an array, in the order of {@link #parameters()}. */
    public Tensor[] parameterArray() {
        return parameters().values().toArray(new Tensor[0]);
    }

    /** Functional call with parameters given as an array in the order of {@link #parameters()}. */
    public Tensor forward(Tensor[] params, Tensor x) {
        return forward(bind(params), x);
    }

    /** Names the given tensors in the order of {@link #parameters()}, checking count and shapes. */
    public Map<String, Tensor> bind(Tensor[] params) {
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

    /** Replaces every parameter (all or nothing): the names and shapes must match exactly. */
    public void setParameters(Map<String, Tensor> params) {
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

    public void setParameters(Tensor[] params) {
        setParameters(bind(params));
    }

    /** Total number of scalar parameters. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters().values()) n += t.size();
        return n;
    }

    /** Writes the parameters to a file in the format of {@link ParameterFile}. */
    public void save(Path file) throws IOException {
        ParameterFile.write(file, parameters());
    }

    /**
     * Reads parameters from a file written by {@link #save}. A truncated or mismatched file throws an
     * IOException naming the problem, and leaves the module unchanged.
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

    private void checkShape(String name, Tensor own, Tensor given) {
        if (given == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + name + " is missing");
        if (!Arrays.equals(own.shape(), given.shape())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + name + " must have shape "
                    + Arrays.toString(own.shape()) + " but the given tensor has shape " + Arrays.toString(given.shape()));
        }
    }
}
