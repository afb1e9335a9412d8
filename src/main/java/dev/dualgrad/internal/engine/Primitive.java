package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;

/**
 * A differentiable primitive: its primal on concrete tensors and its two derivative rules, side by side.
 *
 * <p>Both rules are written with the engine's own tensor ops, so the arithmetic they do is itself
 * differentiated when an enclosing transform is active (reverse-over-forward, forward-over-reverse,
 * and so on need no extra rule).</p>
 *
 * <p>Tangents and cotangents carry leading batch axes: a tangent of an input of shape {@code s} has
 * shape {@code [k..., s...]}, and rules must act on the trailing {@code s.length} axes only. The
 * helpers in {@code dev.dualgrad.internal.ops.Rules} make that easy.</p>
 */
public interface Primitive {
    String name();

    /** The primal on concrete inputs (no level). */
    Tensor eval(Tensor[] x);

    /**
     * Forward rule: the output tangent from the input tangents. {@code dx[i] == null} means zero.
     * Returns null when the output tangent is zero.
     */
    Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx);

    /**
     * Reverse rule: input cotangents from the output cotangent {@code gy}. Entries whose {@code need}
     * is false may be null, and so may any that are zero.
     */
    Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need);

    /**
     * Whether {@link #vjp} reads the values of its inputs x (not only their shapes). When it does not,
     * the tape keeps a shape-only placeholder instead, so the values can be freed before the backward
     * sweep (add's inputs, a tanh's input). Reading a placeholder's values throws.
     */
    default boolean vjpReadsInputs() {
        return true;
    }

    /** Whether {@link #vjp} reads the values of the output y (not only its shape); see {@link #vjpReadsInputs}. */
    default boolean vjpReadsOutput() {
        return true;
    }

    /** False for ops whose output is a constant (comparisons): they never carry a tangent or a tape node. */
    default boolean differentiable() {
        return true;
    }
}
