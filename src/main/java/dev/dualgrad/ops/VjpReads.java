package dev.dualgrad.ops;

import dev.dualgrad.internal.engine.Args;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Which values a custom op's VJP rule reads: some of its arguments (by position) and perhaps its
 * output. A reverse-mode recording keeps those values until its backward sweep and only the shapes
 * of the others, so that their arrays can be freed as soon as the caller drops them.
 *
 * <p>For example the rule x̄ = ȳ·(1 − y²) of tanh reads the output only: {@code VjpReads.output()};
 * the rule of x·w reads both arguments: {@code VjpReads.allInputs()}; a rule that only moves or sums
 * the cotangent reads {@code VjpReads.nothing()}. Declaring too little is caught: the rule then
 * meets a value of which only the shape was kept, and the sweep throws an {@link IllegalStateException}
 * that names the op. Declaring too much only costs memory. Immutable.</p>
 *
 * @see CustomOp.Builder#vjpReads(VjpReads)
 */
public final class VjpReads {
    private static final VjpReads NOTHING = new VjpReads(new BitSet(), false, false);
    private static final VjpReads EVERYTHING = new VjpReads(new BitSet(), true, true);

    private final BitSet inputs; // never modified after construction
    private final boolean allInputs, output;

    private VjpReads(BitSet inputs, boolean allInputs, boolean output) {
        this.inputs = inputs;
        this.allInputs = allInputs;
        this.output = output;
    }

    /**
     * The rule reads no value, only shapes (a linear map of ȳ that does not depend on the point).
     *
     * @return the declaration that keeps nothing
     */
    public static VjpReads nothing() {
        return NOTHING;
    }

    /**
     * The rule reads the output y and no argument.
     *
     * @return the declaration that keeps the output
     */
    public static VjpReads output() {
        return new VjpReads(new BitSet(), false, true);
    }

    /**
     * The rule reads every argument, and not the output.
     *
     * @return the declaration that keeps every argument
     */
    public static VjpReads allInputs() {
        return new VjpReads(new BitSet(), true, false);
    }

    /**
     * The rule reads the arguments at these positions (counted from 0), and not the output.
     *
     * @param positions the positions of the arguments read; at least one
     * @return the declaration that keeps those arguments
     * @throws IllegalArgumentException when no position is given or one is negative
     */
    public static VjpReads inputs(int... positions) {
        Args.nonNull(positions, "VjpReads.inputs", "positions");
        if (positions.length == 0) {
            throw new IllegalArgumentException("VjpReads.inputs: give at least one argument position; for none use VjpReads.nothing()");
        }
        BitSet m = new BitSet();
        for (int p : positions) {
            if (p < 0) throw new IllegalArgumentException("VjpReads.inputs: argument position " + p + " is negative");
            m.set(p);
        }
        return new VjpReads(m, false, false);
    }

    /**
     * The rule reads every argument and the output: correct for any rule, and what
     * {@link CustomOp.Builder} assumes when {@link CustomOp.Builder#vjpReads} is not called.
     *
     * @return the declaration that keeps every argument and the output
     */
    public static VjpReads inputsAndOutput() {
        return EVERYTHING;
    }

    /**
     * These values and also the output.
     *
     * @return a declaration that reads what this one reads and the output
     */
    public VjpReads andOutput() {
        return output ? this : new VjpReads(inputs, allInputs, true);
    }

    /**
     * Whether the rule reads the output.
     *
     * @return true when the output's values are kept for the rule
     */
    public boolean readsOutput() {
        return output;
    }

    /**
     * Whether the rule reads the argument at {@code position}.
     *
     * @param position an argument position, from 0
     * @return true when that argument's values are kept for the rule
     */
    public boolean readsInput(int position) {
        return allInputs || (position >= 0 && inputs.get(position));
    }

    /**
     * Whether this declaration reads every argument, whatever the arity.
     *
     * @return true for {@link #allInputs()} and {@link #inputsAndOutput()}
     */
    public boolean readsAllInputs() {
        return allInputs;
    }

    /** The largest argument position named, or -1 (none, or every argument): for the builder's check. */
    int largestPosition() {
        return allInputs ? -1 : inputs.length() - 1;
    }

    /** The positions named, ascending (empty for none or every argument). */
    int[] positions() {
        return allInputs ? new int[0] : inputs.stream().toArray();
    }

    /**
     * Two declarations are equal when they read the same values.
     *
     * @param o another object
     * @return true when {@code o} is a VjpReads reading the same arguments and output
     */
    @Override
    public boolean equals(Object o) {
        Args.nonNull(o, "VjpReads.equals", "o");
        return o instanceof VjpReads r && r.allInputs == allInputs && r.output == output && r.inputs.equals(inputs);
    }

    /**
     * A hash consistent with {@link #equals}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return inputs.hashCode() * 31 + (allInputs ? 2 : 0) + (output ? 1 : 0);
    }

    /**
     * What is read, in words: "nothing", "output", "inputs [0, 2]", "all inputs and output".
     *
     * @return the description
     */
    @Override
    public String toString() {
        String in = allInputs ? "all inputs" : inputs.isEmpty() ? "" : "inputs " + Arrays.toString(positions());
        if (in.isEmpty()) return output ? "output" : "nothing";
        return output ? in + " and output" : in;
    }
}
