package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tape;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.Pullback;
import java.util.Arrays;

/** A {@link Pullback} that sweeps a recorded tape backwards, once per call. */
public final class TapePullback implements Pullback {
    private final Tape tape;
    private final Tensor output;
    private final Tensor[] leaves;
    private final Tensor value;

    public TapePullback(Tape tape, Tensor output, Tensor[] leaves) {
        this.tape = tape;
        this.output = output;
        this.leaves = leaves;
        this.value = tape.valueOf(output);
    }

    /** f(x). */
    @Override
    public Tensor value() {
        return value;
    }

    /**
     * Doubles this pullback keeps alive for its sweeps: the values the recorded VJP rules read (each
     * array once). A tanh MLP keeps about one activation per layer; see {@code Primitive#vjpReads}.
     */
    @Override
    public long retainedElements() {
        return tape.retainedElements();
    }

    /** Doubles held by the recorded op outputs: the memory of one direction's tangents or cotangents. */
    public long recordedElements() {
        return tape.recordedElements();
    }

    /** Recorded nodes, the watched inputs included: the ops one sweep visits (for cost models of many small recordings). */
    public int recordedOps() {
        return tape.size();
    }

    /** uᵀJ for a one-input function; u is shaped like the output. */
    @Override
    public Tensor apply(Tensor u) {
        return single(sweep(u));
    }

    /** uᵀJ_i for each input i. */
    @Override
    public PerArgument applyAll(Tensor u) {
        return PerArgument.of(sweep(u));
    }

    /** uᵀJᵢ for each input i, as the engine's array. */
    public Tensor[] sweep(Tensor u) {
        if (!Arrays.equals(u.shape(), value.shape())) throw cotangentShape(u.shape(), false);
        return tape.backward(output, u, leaves);
    }

    /** c VJPs in one sweep: U is [c, ...output shape], the result [c, ...input shape]. */
    @Override
    public Tensor applyBatched(Tensor u) {
        return single(sweepBatched(u));
    }

    @Override
    public PerArgument applyAllBatched(Tensor u) {
        return PerArgument.of(sweepBatched(u));
    }

    /** c VJPs in one sweep for each input, as the engine's array. */
    public Tensor[] sweepBatched(Tensor u) {
        int[] su = u.shape();
        if (su.length != value.rank() + 1 || !Arrays.equals(Shape.suffix(su, 1), value.shape())) throw cotangentShape(su, true);
        return tape.backward(output, u, leaves);
    }

    private Tensor single(Tensor[] g) {
        if (g.length != 1) {
            throw new IllegalStateException("vjp: the function has " + g.length + " inputs; use applyAll to get one cotangent per input");
        }
        return g[0];
    }

    private IllegalArgumentException cotangentShape(int[] su, boolean batched) {
        String out = Shape.str(value.shape());
        String in = leaves.length == 1 ? "the input " + Shape.str(leaves[0].shape()) : "each input";
        if (batched) {
            return new IllegalArgumentException("vjp: the batched cotangent has shape " + Shape.str(su) + " but the output has shape " + out
                    + "; c cotangents are shaped [c, " + out.substring(1) + " and give c vectors uᵀJ shaped like " + in + ".");
        }
        return new IllegalArgumentException("vjp: the cotangent has shape " + Shape.str(su) + " but the output has shape " + out
                + "; a VJP computes uᵀJ for a cotangent u shaped like the output and returns a vector shaped like " + in
                + ". To multiply the Jacobian by a vector shaped like the input (J·v), use Diff.jvp.");
    }
}
