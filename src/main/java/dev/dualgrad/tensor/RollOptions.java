package dev.dualgrad.tensor;

import dev.dualgrad.internal.engine.Args;
import java.util.Arrays;

/**
 * How {@link Tensor#roll} shifts elements: one shift per axis, {@code RollOptions.shifts(2, -1).axes(0, -1)},
 * or one shift of the flattened tensor when no axes are given ({@code RollOptions.shifts(3)}), as NumPy's
 * and PyTorch's roll. A shift s moves the element at i to (i + s) mod n: negative shifts move towards
 * the front. Immutable.
 */
public final class RollOptions {
    final int[] shifts;
    final int[] axes; // null: the flattened tensor

    private RollOptions(int[] shifts, int[] axes) {
        this.shifts = shifts;
        this.axes = axes;
    }

    /**
     * The shifts, any integers (negative shifts towards the front; a shift of n or more wraps around).
     *
     * @param shifts one per axis given to {@link #axes}, or exactly one for the flattened tensor
     * @return options rolling by these shifts, along the flattened tensor until axes are given
     * @throws NullPointerException when shifts is null
     */
    public static RollOptions shifts(int... shifts) {
        Args.nonNull(shifts, "RollOptions.shifts", "shifts");
        return new RollOptions(shifts.clone(), null);
    }

    /**
     * The axes the shifts apply to, in the same order; negative axes count from the end. An axis given
     * twice is shifted by the sum of its shifts, as in NumPy.
     *
     * @param axes one axis per shift
     * @return a copy rolling along these axes
     * @throws NullPointerException when axes is null
     * @throws IllegalArgumentException when the number of axes differs from the number of shifts
     */
    public RollOptions axes(int... axes) {
        Args.nonNull(axes, "RollOptions.axes", "axes");
        if (axes.length != shifts.length) {
            throw new IllegalArgumentException("RollOptions.axes: " + axes.length + " axes for " + shifts.length + " shifts; give one axis per shift");
        }
        return new RollOptions(shifts, axes.clone());
    }

    @Override
    public String toString() {
        return "RollOptions[shifts=" + Arrays.toString(shifts) + (axes == null ? ", flattened]" : ", axes=" + Arrays.toString(axes) + "]");
    }
}
