package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;

/**
 * Helpers for derivative rules. A tangent or cotangent of a primal of shape {@code s} has shape
 * {@code [p..., s...]} with a batch prefix p of any length (k JVP directions, c VJP directions, or
 * both when transforms nest); rules act on the trailing axes and carry the prefix along.
 */
public final class Rules {
    private Rules() {}

    /** The batch prefix of a tangent {@code t} of a primal of rank {@code rank}. */
    public static int[] prefix(Tensor t, int rank) {
        return Shape.prefix(t.shape(), t.rank() - rank);
    }

    /** {@code t} ([p..., s...]) reshaped to [p..., 1 (outRank − |s| times), s...] so that it broadcasts against [p..., out...]. */
    public static Tensor align(Tensor t, int[] s, int outRank) {
        if (s.length == outRank) return t;
        int[] p = prefix(t, s.length);
        return t.reshape(Shape.concat(Shape.concat(p, Shape.ones(outRank - s.length)), s));
    }

    /** The tangent {@code t} of a primal shaped {@code s}, broadcast to the tangent shape [p..., out...]. */
    public static Tensor expand(Tensor t, int[] s, int[] out) {
        int[] target = Shape.concat(prefix(t, s.length), out);
        Tensor a = align(t, s, out.length);
        return java.util.Arrays.equals(a.shape(), target) ? a : a.broadcastTo(target);
    }

    /**
     * Sums a cotangent {@code g} shaped [p..., out...] down to [p..., s...], where {@code s} broadcast to
     * {@code out} in the primal: the adjoint of broadcasting.
     */
    public static Tensor unbroadcast(Tensor g, int[] out, int[] s) {
        int p = g.rank() - out.length;
        int lead = out.length - s.length;
        int[] axes = new int[out.length];
        int n = 0;
        for (int i = 0; i < lead; i++) axes[n++] = p + i;
        for (int j = 0; j < s.length; j++) if (s[j] == 1 && out[lead + j] != 1) axes[n++] = p + lead + j;
        if (n == 0 && lead == 0) return g;
        Tensor r = n == 0 ? g : g.sum(java.util.Arrays.copyOf(axes, n), true);
        return r.reshape(Shape.concat(Shape.prefix(g.shape(), p), s));
    }

    /** Null-safe sum of tangent contributions (null is zero). */
    public static Tensor plus(Tensor a, Tensor b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.add(b);
    }

    /** Axis {@code a} of a rank-{@code r} primal, counted from the end so that it also names the axis of a batched tangent. */
    public static int fromEnd(int a, int r) {
        return a - r;
    }

    public static int[] fromEnd(int[] axes, int r) {
        int[] n = new int[axes.length];
        for (int i = 0; i < axes.length; i++) n[i] = axes[i] - r;
        return n;
    }
}
