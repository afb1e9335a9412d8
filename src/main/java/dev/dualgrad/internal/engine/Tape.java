package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only record of the ops applied to watched tensors, in execution order. The backward
 * sweep walks it from the end with a loop (no recursion, so a chain of any length fits), calling each
 * primitive's VJP rule and accumulating cotangents with {@code +=}. Cotangents may carry leading batch
 * axes, so c VJPs share one sweep, and a sweep can be run any number of times.
 *
 * <p>The VJP rules are tensor ops on values one level down: run inside an enclosing transform, the
 * backward sweep is itself differentiated (forward-over-reverse, reverse-over-reverse).</p>
 */
public final class Tape extends Level {
    private record Node(Primitive op, Tensor[] inputs, Tensor output, int[] parents) {}

    private final List<Node> nodes = new ArrayList<>();

    public Tape() {
        super("vjp");
    }

    /** Starts recording {@code x}: returns a traced tensor with the same value. */
    public synchronized Tensor watch(Tensor x) {
        // No rule reads a leaf's node: the rules of the ops that consume x keep it if they read it.
        nodes.add(new Node(null, null, Tensors.shapeOnly(x), null));
        return Tensors.traced(this, x, nodes.size() - 1);
    }

    /** The value of {@code y} one level down. */
    public Tensor valueOf(Tensor y) {
        return Tensors.level(y) == this ? Tensors.inner(y) : y;
    }

    /** Number of recorded nodes, watched inputs included. */
    public synchronized int size() {
        return nodes.size();
    }

    /** Total number of doubles held by the recorded outputs: what a forward tangent of one direction would also need. */
    public synchronized long recordedElements() {
        long n = 0;
        for (Node nd : nodes) n += nd.output.size();
        return n;
    }

    /**
     * Number of doubles the recorded nodes keep alive for the backward sweep (each kept array counted
     * once): the values the VJP rules declared they read ({@link Primitive#vjpReads}). A watched input
     * counts only when a rule reads it. What the tape costs in memory beyond the values the caller holds.
     */
    public synchronized long retainedElements() {
        java.util.Set<double[]> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long n = 0;
        for (Node nd : nodes) {
            if (nd.inputs != null) for (Tensor t : nd.inputs) n += kept(t, seen);
            n += kept(nd.output, seen);
        }
        return n;
    }

    private static long kept(Tensor t, java.util.Set<double[]> seen) {
        if (Tensors.isShapeOnly(t)) return 0;
        return seen.add(Tensors.buffer(t)) ? Tensors.buffer(t).length : 0;
    }

    @Override
    public Tensor apply(Primitive p, Tensor[] in) {
        int n = in.length;
        Tensor[] values = new Tensor[n];
        int[] parents = new int[n];
        for (int i = 0; i < n; i++) {
            boolean mine = Tensors.level(in[i]) == this;
            values[i] = mine ? Tensors.inner(in[i]) : in[i];
            parents[i] = mine ? Tensors.node(in[i]) : -1;
        }
        Tensor y = Dispatch.apply(p, values);
        // Keep for the backward sweep only the values the VJP rule reads for the cotangents the sweep
        // will ask of it (those of this tape's inputs): what a deep network holds until the sweep is then
        // one activation per layer, not three (matmul output, bias sum, tanh).
        boolean[] need = new boolean[n];
        for (int i = 0; i < n; i++) need[i] = parents[i] >= 0;
        Primitive.Reads reads = p.vjpReads();
        Tensor[] kept = new Tensor[n];
        for (int i = 0; i < n; i++) kept[i] = reads.readsInput(i, need) ? values[i] : Tensors.shapeOnly(values[i]);
        Tensor keptY = reads.readsOutput(need) ? y : Tensors.shapeOnly(y);
        synchronized (this) {
            nodes.add(new Node(p, kept, keptY, parents));
            return Tensors.traced(this, y, nodes.size() - 1);
        }
    }

    /**
     * The backward sweep from {@code output} (a tensor of this tape, or not, in which case every
     * cotangent is zero) seeded with {@code seed} shaped [c..., output.shape]. Returns the cotangent of
     * each of {@code leaves} (watched tensors), shaped [c..., leaf.shape]; zeros where no path leads.
     */
    public Tensor[] backward(Tensor output, Tensor seed, Tensor[] leaves) {
        int[] prefix = Arrays.copyOf(seed.shape(), seed.rank() - output.rank());
        Tensor[] result = new Tensor[leaves.length];
        if (Tensors.level(output) == this) {
            List<Node> snapshot;
            synchronized (this) {
                snapshot = new ArrayList<>(nodes);
            }
            Tensor[] ct = new Tensor[snapshot.size()];
            int start = Tensors.node(output);
            ct[start] = seed;
            for (int i = start; i >= 0; i--) {
                Tensor g = ct[i];
                Node nd = snapshot.get(i);
                if (g == null || nd.op == null) continue;
                ct[i] = null; // an inner node's cotangent is not needed once passed on
                boolean[] need = new boolean[nd.parents.length];
                for (int j = 0; j < need.length; j++) need[j] = nd.parents[j] >= 0;
                Tensor[] gi = nd.op.vjp(nd.inputs, nd.output, g, need);
                for (int j = 0; j < need.length; j++) {
                    if (!need[j] || gi[j] == null) continue;
                    int pj = nd.parents[j];
                    ct[pj] = ct[pj] == null ? gi[j] : ct[pj].add(gi[j]);
                }
            }
            for (int l = 0; l < leaves.length; l++) {
                if (Tensors.level(leaves[l]) == this && snapshot.get(Tensors.node(leaves[l])).op == null) result[l] = ct[Tensors.node(leaves[l])];
            }
        }
        for (int l = 0; l < leaves.length; l++) {
            if (result[l] == null) result[l] = Tensor.zeros(concat(prefix, leaves[l].shape()));
        }
        return result;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
