package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A differentiable primitive: its primal on concrete tensors and its two derivative rules, side by side,
 * with a declaration of which values its reverse rule reads.
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
     * is false may be null, and so may any that are zero. Of {@code x} and {@code y} it may read the
     * values {@link #vjpReads} declares for the cotangents it is asked for; the others are shape-only
     * stand-ins (their shapes may be read, their values not: reading one throws).
     */
    Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need);

    /**
     * Which values {@link #vjp} reads: a tape keeps those for the backward sweep and a shape-only
     * stand-in for every other input and the output, so that their arrays can be freed (add keeps
     * nothing, tanh its output, matmul each operand only for the other one's cotangent). Required of
     * every primitive, with no default: an over-declaration costs memory, an under-declaration throws
     * when the rule reads the stand-in (the conformance suite runs every rule, to second order).
     */
    Reads vjpReads();

    /**
     * Sparsity rule: which traced input elements each element of the output may depend on, from the
     * inputs' patterns ({@code px[i] == null}: input i is a constant). Read only shapes and integer
     * attributes of {@code x} and {@code y}, never their values: the pattern must hold at every point
     * (a {@link Pattern} is global). The default is the conservative one, every output element on every
     * element of every input: always correct, never tight; every built-in primitive declares its own.
     */
    default Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
        return Pattern.dense(y.size(), px);
    }

    /**
     * Taylor rule: the normalised coefficients y₁..y_K of the output series, stacked [K, ...y.shape],
     * from the inputs' stacks {@code c[i]} [K, ...x[i].shape] ({@code c[i] == null}: input i is a
     * constant), with x and y the order-0 values. Returns null when every output coefficient is zero.
     * Written with the engine's tensor ops, so an enclosing transform differentiates it. The default
     * ({@link TaylorRules#byDefault}) is exact for every op: affine and piecewise linear ops map each
     * coefficient with the JVP rule, the others take the series of their JVP rule; ops override it
     * with an O(K²) recurrence where that is faster.
     */
    default Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) {
        return TaylorRules.byDefault(this, x, y, c);
    }

    /**
     * Forward-Laplacian rule: from the inputs' stacks {@code s[i]} [D + 1, ...x[i].shape] (rows 0..D−1
     * the Jacobian rows J_d w.r.t. D seeded directions, row D the collapsed second-order term L = Σ_d of
     * the second directional derivatives; null: a constant), the output's stack. For y = f(x):
     * J_y,d = f′(x)·J_d and L_y = f′(x)·L + Σ_d f″(x)[J_d, J_d]. The default
     * ({@link LaplacianRules#byDefault}) is exact for every op; ops override it where a closed form is faster.
     */
    default Tensor laplacian(Tensor[] x, Tensor y, Tensor[] s) {
        return LaplacianRules.byDefault(this, x, y, s);
    }

    /**
     * True for ops whose Jacobian is constant on each of finitely many pieces (relu, abs, clamp, maximum,
     * where, max reductions, sorting): their second and higher derivatives are zero away from the kinks,
     * so the Taylor and Laplacian rules apply the JVP rule to every coefficient. Affine ops need not
     * declare it (a VJP that reads no value says so already).
     */
    default boolean piecewiseLinear() {
        return false;
    }

    /** False for ops whose output is a constant (comparisons): they never carry a tangent or a tape node. */
    default boolean differentiable() {
        return true;
    }

    /**
     * A declaration of the values a VJP rule reads: a set of inputs (by position) and perhaps the output,
     * either for the whole rule or for each cotangent separately ({@link #perCotangent}), in which case
     * a tape keeps the union over the cotangents it will ask for (x·w with w a constant keeps only w).
     * Immutable.
     */
    final class Reads {
        /** Reads no value, only shapes: linear ops (add, reshape, sum, ...). */
        public static final Reads NOTHING = new Reads(new BitSet(), false, false, null);

        private final BitSet inputs; // never modified after construction
        private final boolean allInputs, output;
        private final Reads[] rows; // per cotangent, or null

        private Reads(BitSet inputs, boolean allInputs, boolean output, Reads[] rows) {
            this.inputs = inputs;
            this.allInputs = allInputs;
            this.output = output;
            this.rows = rows;
        }

        /** Reads the output y only. */
        public static Reads output() {
            return new Reads(new BitSet(), false, true, null);
        }

        /** Reads the inputs at these positions. */
        public static Reads inputs(int... positions) {
            BitSet m = new BitSet();
            for (int i : positions) {
                if (i < 0) throw new IllegalArgumentException("Reads.inputs: position " + i + " is negative");
                m.set(i);
            }
            return new Reads(m, false, false, null);
        }

        /** Reads every input, whatever the arity. */
        public static Reads allInputs() {
            return new Reads(new BitSet(), true, false, null);
        }

        /** These values and the output. */
        public Reads andOutput() {
            if (rows != null) throw new IllegalStateException("andOutput applies to a whole-rule declaration, not a per-cotangent one");
            return new Reads(inputs, allInputs, true, null);
        }

        /**
         * Cotangent i reads {@code perCotangent[i]} (each a whole-rule declaration); the rule is called
         * with {@code need[i]} false for the cotangents nobody asks for, and reads nothing for them.
         */
        public static Reads perCotangent(Reads... perCotangent) {
            for (Reads r : perCotangent) {
                if (r.rows != null) throw new IllegalArgumentException("Reads.perCotangent: rows must be whole-rule declarations");
            }
            return new Reads(new BitSet(), false, false, perCotangent.clone());
        }

        /** True when the rule reads no value at all, for any cotangent: the op is affine (its Jacobian is constant). */
        public boolean readsNothing() {
            if (rows == null) return !allInputs && !output && inputs.isEmpty();
            for (Reads r : rows) if (!r.readsNothing()) return false;
            return true;
        }

        /** Whether the rule, asked for the cotangents where {@code need} is true, reads input {@code i}. */
        public boolean readsInput(int i, boolean[] need) {
            if (rows == null) return allInputs || inputs.get(i);
            for (int c = 0; c < rows.length; c++) if (need[c] && rows[c].readsInput(i, need)) return true;
            return false;
        }

        /** Whether the rule, asked for the cotangents where {@code need} is true, reads the output. */
        public boolean readsOutput(boolean[] need) {
            if (rows == null) return output;
            for (int c = 0; c < rows.length; c++) if (need[c] && rows[c].output) return true;
            return false;
        }

        @Override
        public String toString() {
            if (rows != null) return "perCotangent" + Arrays.toString(rows);
            StringBuilder s = new StringBuilder();
            if (allInputs) s.append("all inputs");
            for (int i = inputs.nextSetBit(0); i >= 0; i = inputs.nextSetBit(i + 1)) s.append(s.length() == 0 ? "input " : ", ").append(i);
            if (output) s.append(s.length() == 0 ? "output" : " and output");
            return s.length() == 0 ? "nothing" : s.toString();
        }
    }
}
