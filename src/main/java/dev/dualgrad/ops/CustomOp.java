package dev.dualgrad.ops;

import dev.dualgrad.internal.ops.Rules;

import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * An op defined by the user: its primal and its derivative rules, like the engine's own ops.
 *
 * <ul>
 *   <li>{@link #nonlinear}: the primal, a JVP rule and a VJP rule (both are needed: forward mode uses
 *       one, reverse mode the other).</li>
 *   <li>{@link #linear}: the primal (linear in its arguments together) and its adjoint; the JVP is the
 *       primal applied to the tangents, as JAX's deflinear.</li>
 * </ul>
 * Rules see unbatched shapes: the tangent of argument i is shaped like argument i, the cotangent like
 * the output. When tangents or cotangents carry batch axes (k JVP or c VJP directions), the rule is
 * called once per direction. Rules written with Tensor ops are themselves differentiated by enclosing
 * transforms (second order works); a rule that reads raw values returns constants and its second
 * order is lost, which {@code GradCheck} reports. {@code GradCheck} also catches a wrong rule.
 *
 * <pre>{@code
 * CustomOp cube = CustomOp.nonlinear("cube", 1, x -> x[0].pow(3.0),
 *         (x, y, dx) -> dx[0].mul(x[0].square().mul(3)),
 *         (x, y, gy) -> new Tensor[] {gy.mul(x[0].square().mul(3))});
 * Tensor y = cube.apply(t);
 * }</pre>
 */
public final class CustomOp {
    /** The primal on the op's arguments. */
    @FunctionalInterface
    public interface Primal {
        Tensor apply(Tensor[] x);
    }

    /** ẏ from the arguments, the output and the argument tangents (a zero tangent is passed as zeros). */
    @FunctionalInterface
    public interface JvpRule {
        Tensor apply(Tensor[] x, Tensor y, Tensor[] dx);
    }

    /** x̄ᵢ from the arguments, the output and the output cotangent: one tensor per argument, shaped like it. */
    @FunctionalInterface
    public interface VjpRule {
        Tensor[] apply(Tensor[] x, Tensor y, Tensor gy);
    }

    private final String name;
    private final int arity;
    private final Primal primal;
    private final JvpRule jvp;
    private final VjpRule vjp;
    private final boolean linear;

    private CustomOp(String name, int arity, Primal primal, JvpRule jvp, VjpRule vjp, boolean linear) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("CustomOp: give the op a name");
        if (arity < 1) throw new IllegalArgumentException("CustomOp " + name + ": arity must be ≥ 1, got " + arity);
        if (primal == null || vjp == null || (!linear && jvp == null)) {
            throw new IllegalArgumentException("CustomOp " + name + ": " + (linear ? "a linear op needs its primal and its adjoint"
                    : "a nonlinear op needs its primal, a JVP rule and a VJP rule (forward mode uses one, reverse mode the other)"));
        }
        this.name = name;
        this.arity = arity;
        this.primal = primal;
        this.jvp = jvp;
        this.vjp = vjp;
        this.linear = linear;
    }

    public static CustomOp nonlinear(String name, int arity, Primal primal, JvpRule jvp, VjpRule vjp) {
        return new CustomOp(name, arity, primal, jvp, vjp, false);
    }

    /** A linear op: JVP = the primal applied to the tangents; VJP = the given adjoint. */
    public static CustomOp linear(String name, int arity, Primal primal, VjpRule adjoint) {
        return new CustomOp(name, arity, primal, null, adjoint, true);
    }

    public String name() {
        return name;
    }

    public Tensor apply(Tensor... xs) {
        if (xs.length != arity) throw new IllegalArgumentException(name + ": takes " + arity + " argument(s), got " + xs.length);
        return Dispatch.apply(primitive, xs);
    }

    private final Primitive primitive = new Primitive() {
        public String name() {
            return name;
        }

        public Reads vjpReads() {
            return Reads.allInputs().andOutput(); // the user's rule may read any of them
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
                Tensor r = linear ? primal.apply(t) : jvp.apply(x, y, t);
                out[d] = checked(r, y.shape(), "the JVP rule's tangent", "the output");
            }
            return join(out, prefix, y.shape());
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            int[] prefix = Rules.prefix(gy, y.rank());
            int c = Shape.size(prefix);
            Tensor[][] per = new Tensor[x.length][c];
            for (int d = 0; d < c; d++) {
                Tensor[] g = vjp.apply(x, y, direction(gy, y.shape(), d, c));
                if (g == null || g.length != x.length) {
                    throw new IllegalStateException(name + ": the " + (linear ? "adjoint" : "VJP rule") + " must return one cotangent per argument ("
                            + x.length + "), got " + (g == null ? "null" : g.length));
                }
                for (int i = 0; i < x.length; i++) per[i][d] = checked(g[i], x[i].shape(), "cotangent " + i, "argument " + i);
            }
            Tensor[] r = new Tensor[x.length];
            for (int i = 0; i < x.length; i++) if (need[i]) r[i] = join(per[i], prefix, x[i].shape());
            return r;
        }
    };

    /** Direction d of a batched tangent [p..., shape] as a tensor of the given shape. */
    private static Tensor direction(Tensor t, int[] shape, int d, int count) {
        if (count == 1 && t.rank() == shape.length) return t;
        return t.reshape(Shape.concat(new int[] {count}, shape)).select(0, d);
    }

    private static Tensor join(Tensor[] parts, int[] prefix, int[] shape) {
        if (prefix.length == 0) return parts[0];
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
