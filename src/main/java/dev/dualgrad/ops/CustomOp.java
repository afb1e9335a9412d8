package dev.dualgrad.ops;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.LaplacianRules;
import dev.dualgrad.internal.engine.TaylorRules;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.ops.Rules;
import dev.dualgrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An op defined by the user, y = f(x₀, …, x_{n−1}): its primal and its derivative rules, like the
 * engine's own ops, built step by step so that optional rules can be added later without breaking the
 * code that builds one.
 *
 * <ul>
 *   <li>{@link #builder(String)}: a nonlinear op needs its {@linkplain Builder#primal primal}, a
 *       {@linkplain Builder#jvp JVP rule} (forward mode uses it) and a {@linkplain Builder#vjp VJP
 *       rule} (reverse mode uses it), and may say which values the VJP rule
 *       {@linkplain Builder#vjpReads reads}.</li>
 *   <li>{@link #linear(String)}: an op linear in its arguments together needs its primal and its
 *       {@linkplain LinearBuilder#adjoint adjoint}; its JVP is the primal applied to the tangents (as
 *       JAX's {@code deflinear}), and its reverse sweep keeps no value.</li>
 * </ul>
 *
 * <p><b>Shapes.</b> Write sᵢ for the shape of argument i and s_y for the output's. The engine carries
 * k tangent directions of argument i as one tensor [k..., sᵢ...] (and c cotangents of the output as
 * [c..., s_y...]); a custom op splits that leading batch prefix off and calls its rule once per
 * direction, so a rule always sees unbatched tensors: each tangent ẋᵢ shaped sᵢ, the cotangent ȳ
 * shaped s_y. The results are checked against those shapes and stacked back to [k..., s_y...] (or
 * [c..., sᵢ...]).</p>
 *
 * <p><b>Sparsity.</b> Sparsity detection cannot see inside a custom op: a custom op without a
 * declaration is treated as dense (every output element may depend on every element of every argument),
 * which is always correct. An op whose output element o reads only the element broadcasting puts at o of
 * each argument can say so with {@link Builder#elementwise()} (or {@link LinearBuilder#elementwise()}).</p>
 *
 * <p><b>Higher order.</b> Rules written with {@link Tensor} ops are themselves differentiated by
 * enclosing transforms, so second order works; a rule that reads raw values (toArray) returns
 * constants and its second order is lost, which {@code GradCheck} reports. {@code GradCheck} also
 * catches a wrong JVP rule (against finite differences) and a wrong VJP rule (the dot-product test).</p>
 *
 * <pre>{@code
 * CustomOp cube = CustomOp.builder("cube").arity(1)
 *         .primal(x -> x[0].pow(3.0))
 *         .jvp((x, y, dx) -> dx[0].mul(x[0].square().mul(3)))          // ẏ = 3x²·ẋ
 *         .vjp((x, y, gy) -> new Tensor[] {gy.mul(x[0].square().mul(3))}) // x̄ = ȳ·3x²
 *         .vjpReads(VjpReads.allInputs())                                // x, not y
 *         .build();
 * Tensor y = cube.apply(t);
 * }</pre>
 */
public final class CustomOp {
    /** The primal y = f(x₀, …, x_{n−1}). */
    @FunctionalInterface
    public interface Primal {
        /**
         * Computes the output.
         *
         * @param x the n arguments, argument i shaped sᵢ
         * @return y = f(x), of any shape s_y; never null
         */
        Tensor apply(Tensor[] x);
    }

    /** The forward rule of a nonlinear op: the directional derivative ẏ = Σᵢ ∂f/∂xᵢ·ẋᵢ. */
    @FunctionalInterface
    public interface JvpRule {
        /**
         * The output tangent for one direction.
         *
         * @param x  the arguments, argument i shaped sᵢ
         * @param y  the output f(x), shaped s_y
         * @param dx the argument tangents of this direction, ẋᵢ shaped sᵢ (a zero tangent is passed as zeros, never null)
         * @return ẏ = Σᵢ (∂f/∂xᵢ)·ẋᵢ, shaped s_y; return zeros, not null, for a zero derivative
         */
        Tensor apply(Tensor[] x, Tensor y, Tensor[] dx);
    }

    /** The reverse rule of a nonlinear op: the pullback x̄ᵢ = ȳ·∂f/∂xᵢ of the output cotangent. */
    @FunctionalInterface
    public interface VjpRule {
        /**
         * The argument cotangents for one output cotangent.
         *
         * @param x  the arguments, argument i shaped sᵢ; only those {@link Builder#vjpReads declared}
         *           read carry values, the others only their shape
         * @param y  the output, shaped s_y; carries values only when declared read
         * @param gy the output cotangent ȳ, shaped s_y
         * @return one cotangent per argument, x̄ᵢ = ȳ·∂f/∂xᵢ (the sum over the output's elements of
         *         ȳ times ∂y/∂xᵢ) shaped sᵢ; zeros, not null, where the derivative is zero
         */
        Tensor[] apply(Tensor[] x, Tensor y, Tensor gy);
    }

    /**
     * The optional Taylor rule of a nonlinear op: the output's normalised Taylor coefficients from the
     * arguments'. Without one, Taylor mode evaluates the {@link JvpRule} on series (exact, K times the work
     * of a recurrence at worst).
     */
    @FunctionalInterface
    public interface TaylorRule {
        /**
         * The output series y(t) = y + Σₖ yₖ tᵏ for the argument series xᵢ(t) = xᵢ + Σₖ xᵢₖ tᵏ, truncated at order K.
         *
         * @param x the arguments at t = 0, argument i shaped sᵢ
         * @param y the output at t = 0, shaped s_y
         * @param c the arguments' normalised coefficients xᵢ₁..xᵢK (xᵢₖ = xᵢ⁽ᵏ⁾/k!), stacked [K, sᵢ...]
         *          (zeros for an argument that does not vary)
         * @return y₁..y_K stacked [K, s_y...]
         */
        Tensor apply(Tensor[] x, Tensor y, Tensor[] c);
    }

    /** The adjoint of a linear op y = A(x₀, …, x_{n−1}): x̄ᵢ = Aᵢᵀ·ȳ, which does not depend on the point. */
    @FunctionalInterface
    public interface Adjoint {
        /**
         * The argument cotangents for one output cotangent.
         *
         * @param gy      the output cotangent ȳ, shaped s_y
         * @param xShapes the argument shapes sᵢ (a copy)
         * @return one cotangent per argument, x̄ᵢ = Aᵢᵀ·ȳ shaped sᵢ, where y = Σᵢ Aᵢ·xᵢ
         */
        Tensor[] apply(Tensor gy, int[][] xShapes);
    }

    private final String name;
    private final int arity;
    private final Primal primal;
    private final JvpRule jvp;       // null for a linear op: the primal is its JVP
    private final VjpRule vjp;       // null for a linear op
    private final Adjoint adjoint;   // null for a nonlinear op
    private final VjpReads reads;
    private final Primitive.Reads engineReads;
    private final boolean elementwise;
    private final TaylorRule taylor; // null: the generic rule through the JVP rule

    private CustomOp(String name, int arity, Primal primal, JvpRule jvp, VjpRule vjp, Adjoint adjoint, VjpReads reads, boolean elementwise,
                     TaylorRule taylor) {
        this.name = name;
        this.taylor = taylor;
        this.elementwise = elementwise;
        this.arity = arity;
        this.primal = primal;
        this.jvp = jvp;
        this.vjp = vjp;
        this.adjoint = adjoint;
        this.reads = reads;
        Primitive.Reads r = reads.readsAllInputs() ? Primitive.Reads.allInputs() : Primitive.Reads.inputs(reads.positions());
        this.engineReads = reads.readsOutput() ? r.andOutput() : r;
    }

    /**
     * Starts building a nonlinear op; {@link Builder#build()} needs its arity, primal, JVP rule and VJP rule.
     *
     * @param name the op's name, used in error messages
     * @return a builder with no step given yet
     * @throws IllegalArgumentException when the name is null or blank
     */
    public static Builder builder(String name) {
        return new Builder(checkedName(name));
    }

    /**
     * Starts building an op linear in its arguments together; {@link LinearBuilder#build()} needs its
     * arity, primal and adjoint.
     *
     * @param name the op's name, used in error messages
     * @return a builder with no step given yet
     * @throws IllegalArgumentException when the name is null or blank
     */
    public static LinearBuilder linear(String name) {
        return new LinearBuilder(checkedName(name));
    }

    private static String checkedName(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("CustomOp: give the op a name (it is null or blank)");
        return name;
    }

    /**
     * The name given to the builder.
     *
     * @return the op's name
     */
    public String name() {
        return name;
    }

    /**
     * The number of tensor arguments {@link #apply} takes.
     *
     * @return the arity, at least 1
     */
    public int arity() {
        return arity;
    }

    /**
     * Whether the op was built with {@link #linear(String)}.
     *
     * @return true for a linear op
     */
    public boolean isLinear() {
        return adjoint != null;
    }

    /**
     * What the reverse rule reads, and so what a reverse-mode recording keeps of this op.
     *
     * @return the declaration; {@link VjpReads#nothing()} for a linear op
     */
    public VjpReads vjpReads() {
        return reads;
    }

    /**
     * Applies the op: on concrete tensors the primal, inside a transform the primal and the rule it needs.
     *
     * @param xs the arguments, exactly {@link #arity()} of them
     * @return y = f(xs)
     * @throws IllegalArgumentException when the number of arguments is not the arity
     * @throws IllegalStateException when the primal returns null, or (inside a transform) a rule returns
     *         null, the wrong number of cotangents, a wrong shape, or reads a value its declaration said it does not
     */
    public Tensor apply(Tensor... xs) {
        Args.nonNull(xs, name, "xs");
        if (xs.length != arity) {
            throw new IllegalArgumentException(name + ": takes " + arity + " argument" + (arity == 1 ? "" : "s") + ", got " + xs.length);
        }
        for (int i = 0; i < xs.length; i++) if (xs[i] == null) throw new IllegalArgumentException(name + ": argument " + i + " (xs[" + i + "]) is null");
        return Dispatch.apply(primitive, xs);
    }

    /**
     * The op's name, kind, arity and VJP declaration.
     *
     * @return for example "CustomOp cube (nonlinear, arity 1, vjp reads all inputs)"
     */
    @Override
    public String toString() {
        return "CustomOp " + name + " (" + (isLinear() ? "linear" : "nonlinear") + ", arity " + arity + ", vjp reads " + reads + ")";
    }

    // ------------------------------------------------------------------ builders

    /**
     * The steps of a nonlinear op: {@link #arity}, {@link #primal}, {@link #jvp}, {@link #vjp} (all
     * required, in any order), {@link #vjpReads} and {@link #elementwise} (optional), then {@link #build()}. A step given
     * twice keeps the later value. A builder can build several ops.
     */
    public static final class Builder {
        private final String name;
        private int arity = -1;
        private Primal primal;
        private JvpRule jvp;
        private VjpRule vjp;
        private VjpReads reads = VjpReads.inputsAndOutput();
        private boolean elementwise;
        private TaylorRule taylor;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The number of tensor arguments.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException when n &lt; 1
         */
        public Builder arity(int n) {
            this.arity = checkedArity(name, n);
            return this;
        }

        /**
         * The primal y = f(x).
         *
         * @param f the primal; see {@link Primal#apply}
         * @return this builder
         * @throws NullPointerException when f is null
         */
        public Builder primal(Primal f) {
            this.primal = Objects.requireNonNull(f, () -> "CustomOp " + name + ": primal(f): f is null");
            return this;
        }

        /**
         * The forward rule ẏ = Σᵢ ∂f/∂xᵢ·ẋᵢ, called once per tangent direction with unbatched shapes.
         *
         * @param rule the JVP rule; see {@link JvpRule#apply}
         * @return this builder
         * @throws NullPointerException when rule is null
         */
        public Builder jvp(JvpRule rule) {
            this.jvp = Objects.requireNonNull(rule, () -> "CustomOp " + name + ": jvp(rule): rule is null");
            return this;
        }

        /**
         * The reverse rule x̄ᵢ = ȳ·∂f/∂xᵢ, called once per cotangent with unbatched shapes.
         *
         * @param rule the VJP rule; see {@link VjpRule#apply}
         * @return this builder
         * @throws NullPointerException when rule is null
         */
        public Builder vjp(VjpRule rule) {
            this.vjp = Objects.requireNonNull(rule, () -> "CustomOp " + name + ": vjp(rule): rule is null");
            return this;
        }

        /**
         * Declares the op elementwise for sparsity detection: output element o depends only on the element
         * that broadcasting puts at o of each argument, and the output's shape is the arguments' shapes
         * broadcast together. Without this step the op is treated as dense. A wrong declaration gives a
         * wrong (too sparse) pattern; an output of another shape makes detection throw.
         *
         * @return this builder
         */
        public Builder elementwise() {
            this.elementwise = true;
            return this;
        }

        /**
         * The optional Taylor rule, for Taylor mode ({@code Diff.directionalDerivative} with an order,
         * {@code Diff.jet}, {@code Diff.mixedPartial}). Without it, Taylor mode evaluates the JVP rule on
         * series, which is exact for a rule written with tensor ops; give one when a recurrence is faster.
         *
         * @param rule the Taylor rule; see {@link TaylorRule#apply}
         * @return this builder
         * @throws NullPointerException when rule is null
         */
        public Builder taylor(TaylorRule rule) {
            this.taylor = Objects.requireNonNull(rule, () -> "CustomOp " + name + ": taylor(rule): rule is null");
            return this;
        }

        /**
         * Which values the VJP rule reads. <b>Default, when this step is not called:</b>
         * {@link VjpReads#inputsAndOutput()}, every argument and the output, which is correct for any rule
         * but keeps them all until the backward sweep. Declaring less saves that memory; a rule that then
         * reads an undeclared value makes the sweep throw.
         *
         * @param r what the rule reads; positions must be below the arity
         * @return this builder
         * @throws NullPointerException when r is null
         */
        public Builder vjpReads(VjpReads r) {
            this.reads = Objects.requireNonNull(r, () -> "CustomOp " + name + ": vjpReads(r): r is null");
            return this;
        }

        /**
         * The op, after checking that every required step was given.
         *
         * @return the op
         * @throws IllegalStateException naming each missing step (arity, primal, jvp, vjp), or when
         *         {@link #vjpReads} names an argument position not below the arity
         */
        public CustomOp build() {
            List<String> missing = new ArrayList<>();
            if (arity < 0) missing.add("arity(n), the number of tensor arguments");
            if (primal == null) missing.add("primal(f)");
            if (jvp == null) missing.add("jvp(rule), which forward mode uses");
            if (vjp == null) missing.add("vjp(rule), which reverse mode uses");
            if (!missing.isEmpty()) {
                throw new IllegalStateException("CustomOp " + name + ": a nonlinear op needs its arity, primal, JVP rule and VJP rule; missing "
                        + String.join(", ", missing) + (jvp == null && vjp == null ? ". For an op linear in its arguments, CustomOp.linear needs only its adjoint." : ""));
            }
            if (reads.largestPosition() >= arity) {
                throw new IllegalStateException("CustomOp " + name + ": vjpReads names argument " + reads.largestPosition() + " but the op takes "
                        + arity + " argument" + (arity == 1 ? "" : "s") + " (positions 0.." + (arity - 1) + ")");
            }
            return new CustomOp(name, arity, primal, jvp, vjp, null, reads, elementwise, taylor);
        }
    }

    /**
     * The steps of a linear op: {@link #arity}, {@link #primal} and {@link #adjoint} (all required, in
     * any order) and {@link #elementwise} (optional), then {@link #build()}. The JVP is the primal applied to the tangents, and the adjoint
     * reads no value (a linear map's transpose does not depend on the point), so nothing is kept for the
     * reverse sweep. A step given twice keeps the later value.
     */
    public static final class LinearBuilder {
        private final String name;
        private int arity = -1;
        private Primal primal;
        private Adjoint adjoint;
        private boolean elementwise;

        private LinearBuilder(String name) {
            this.name = name;
        }

        /**
         * The number of tensor arguments.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException when n &lt; 1
         */
        public LinearBuilder arity(int n) {
            this.arity = checkedArity(name, n);
            return this;
        }

        /**
         * The primal y = A(x₀, …, x_{n−1}), linear in the arguments together; it is also the JVP,
         * ẏ = A(ẋ₀, …, ẋ_{n−1}).
         *
         * @param f the primal; see {@link Primal#apply}
         * @return this builder
         * @throws NullPointerException when f is null
         */
        public LinearBuilder primal(Primal f) {
            this.primal = Objects.requireNonNull(f, () -> "CustomOp " + name + ": primal(f): f is null");
            return this;
        }

        /**
         * The adjoint x̄ᵢ = Aᵢᵀ·ȳ, called once per cotangent with unbatched shapes.
         *
         * @param a the adjoint; see {@link Adjoint#apply}
         * @return this builder
         * @throws NullPointerException when a is null
         */
        public LinearBuilder adjoint(Adjoint a) {
            this.adjoint = Objects.requireNonNull(a, () -> "CustomOp " + name + ": adjoint(a): a is null");
            return this;
        }

        /**
         * Declares the op elementwise for sparsity detection: output element o depends only on the element
         * that broadcasting puts at o of each argument, and the output's shape is the arguments' shapes
         * broadcast together. Without this step the op is treated as dense. A wrong declaration gives a
         * wrong (too sparse) pattern; an output of another shape makes detection throw.
         *
         * @return this builder
         */
        public LinearBuilder elementwise() {
            this.elementwise = true;
            return this;
        }

        /**
         * The op, after checking that every required step was given.
         *
         * @return the op
         * @throws IllegalStateException naming each missing step (arity, primal, adjoint)
         */
        public CustomOp build() {
            List<String> missing = new ArrayList<>();
            if (arity < 0) missing.add("arity(n), the number of tensor arguments");
            if (primal == null) missing.add("primal(f)");
            if (adjoint == null) missing.add("adjoint(a), which reverse mode uses");
            if (!missing.isEmpty()) {
                throw new IllegalStateException("CustomOp " + name + ": a linear op needs its arity, primal and adjoint; missing " + String.join(", ", missing));
            }
            return new CustomOp(name, arity, primal, null, null, adjoint, VjpReads.nothing(), elementwise, null);
        }
    }

    private static int checkedArity(String name, int n) {
        if (n < 1) throw new IllegalArgumentException("CustomOp " + name + ": arity must be ≥ 1, got " + n);
        return n;
    }

    // ------------------------------------------------------------------ the engine's view

    private final Primitive primitive = new Primitive() {
        public String name() {
            return name;
        }

        public Reads vjpReads() {
            return engineReads; // the user's rule computes every cotangent at once: one declaration for all
        }

        /** Dense unless the builder declared the op {@link Builder#elementwise() elementwise}. */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            if (!elementwise) return Pattern.dense(y.size(), px);
            int[] out = new int[0];
            for (Tensor t : x) out = Shape.broadcast(name, out, t.shape());
            if (!Arrays.equals(out, y.shape())) {
                throw new IllegalStateException(name + ": declared elementwise, but its output has shape " + Arrays.toString(y.shape())
                        + " while its arguments broadcast to " + Arrays.toString(out) + "; an elementwise op's output has the broadcast shape");
            }
            return Pattern.broadcast(out, x, px);
        }

        /** The builder's Taylor rule, its result's shape checked; without one the generic rule (through the JVP rule). */
        public Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) {
            // vjpReads says what the tape keeps, not whether the op is linear: only an op built with an adjoint is
            if (taylor == null) return isLinear() ? jvp(x, y, c) : TaylorRules.viaJvp(this, x, y, c);
            int order = TaylorRules.order(c);
            Tensor[] full = new Tensor[c.length];
            for (int i = 0; i < c.length; i++) full[i] = c[i] != null ? c[i] : Tensor.zeros(Shape.concat(new int[] {order}, x[i].shape()));
            return checked(taylor.apply(x, y, full), Shape.concat(new int[] {order}, y.shape()), "the Taylor rule's coefficients", "[K, output]");
        }

        /** Linear (built with an adjoint): J and L mapped by the primal; otherwise the exact rule through the Taylor rule. */
        public Tensor laplacian(Tensor[] x, Tensor y, Tensor[] s) {
            return isLinear() ? jvp(x, y, s) : LaplacianRules.viaTaylor(this, x, y, s);
        }

        public Tensor eval(Tensor[] x) {
            Tensor y = primal.apply(x);
            if (y == null) throw new IllegalStateException(name + ": the primal returned null");
            return y.detach();
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            int k = -1;
            int[] prefix = null;
            for (int i = 0; i < dx.length; i++) {
                if (dx[i] == null) continue;
                prefix = Rules.prefix(dx[i], x[i].rank());
                k = Shape.size(prefix);
            }
            if (prefix == null) return null;
            Tensor[] out = new Tensor[k];
            for (int d = 0; d < k; d++) {
                Tensor[] t = new Tensor[dx.length];
                for (int i = 0; i < dx.length; i++) t[i] = dx[i] == null ? Tensor.zeros(x[i].shape()) : direction(dx[i], x[i].shape(), d, k);
                Tensor r = isLinear() ? primal.apply(t) : jvp.apply(x, y, t);
                out[d] = checked(r, y.shape(), "the JVP rule's tangent", "the output");
            }
            return join(out, prefix, y.shape());
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            int[] prefix = Rules.prefix(gy, y.rank());
            int c = Shape.size(prefix);
            int[][] shapes = new int[x.length][];
            for (int i = 0; i < x.length; i++) shapes[i] = x[i].shape();
            Tensor[][] per = new Tensor[x.length][c];
            for (int d = 0; d < c; d++) {
                Tensor g1 = direction(gy, y.shape(), d, c);
                Tensor[] g = isLinear() ? adjoint.apply(g1, copy(shapes)) : readingDeclared(x, y, g1);
                if (g == null || g.length != x.length) {
                    throw new IllegalStateException(name + ": the " + (isLinear() ? "adjoint" : "VJP rule") + " must return one cotangent per argument ("
                            + x.length + "), got " + (g == null ? "null" : g.length));
                }
                for (int i = 0; i < x.length; i++) per[i][d] = checked(g[i], x[i].shape(), "cotangent " + i, "argument " + i);
            }
            Tensor[] r = new Tensor[x.length];
            for (int i = 0; i < x.length; i++) if (need[i]) r[i] = join(per[i], prefix, x[i].shape());
            return r;
        }
    };

    /** The VJP rule, with a message naming the op and its declaration when it reads a value that was not kept. */
    private Tensor[] readingDeclared(Tensor[] x, Tensor y, Tensor gy) {
        try {
            return vjp.apply(x, y, gy);
        } catch (IllegalStateException e) {
            boolean standIn = Tensors.isShapeOnly(y);
            for (Tensor t : x) standIn |= Tensors.isShapeOnly(t);
            if (!standIn || e.getMessage() == null || !e.getMessage().contains("shape-only")) throw e;
            throw new IllegalStateException(name + ": the VJP rule read a value that vjpReads (" + reads + ") says it does not read,"
                    + " so only its shape was kept. Declare it with vjpReads(...), for example VjpReads.inputsAndOutput().", e);
        }
    }

    private static int[][] copy(int[][] shapes) {
        int[][] c = new int[shapes.length][];
        for (int i = 0; i < c.length; i++) c[i] = shapes[i].clone();
        return c;
    }

    /** Direction d of a batched tangent [p..., shape] as a tensor of the given shape. */
    private static Tensor direction(Tensor t, int[] shape, int d, int count) {
        if (count == 1 && t.rank() == shape.length) return t;
        return t.reshape(Shape.concat(new int[] {count}, shape)).select(0, d);
    }

    private static Tensor join(Tensor[] parts, int[] prefix, int[] shape) {
        if (prefix.length == 0) return parts[0];
        // zero directions (or cotangents): nothing to stack, the result is empty of the batched shape
        if (parts.length == 0) return Tensor.zeros(Shape.concat(prefix, shape));
        return Tensor.stack(0, parts).reshape(Shape.concat(prefix, shape));
    }

    private Tensor checked(Tensor r, int[] shape, String what, String like) {
        if (r == null) throw new IllegalStateException(name + ": " + what + " is null; return zeros for a zero derivative");
        if (!Arrays.equals(r.shape(), shape)) {
            throw new IllegalStateException(name + ": " + what + " has shape " + Arrays.toString(r.shape()) + " but must be shaped like "
                    + like + ", " + Arrays.toString(shape));
        }
        return r;
    }
}
