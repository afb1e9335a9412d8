package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;

/**
 * Ops that move or repeat elements, each a {@link FlatGather} by a map built here once (JVP: the same
 * gather of the tangent; VJP: the scatter-add of the cotangent, which for tile sums the copies):
 * <pre>
 *   flip   y[..., i, ...] = x[..., n − 1 − i, ...]   on each flipped axis
 *   roll   y[..., i, ...] = x[..., (i − s) mod n, ...]  on each rolled axis (or on the flattened tensor)
 *   tile   y[i₀, i₁, ...] = x[i₀ mod s₀, i₁ mod s₁, ...]  NumPy's tile
 * </pre>
 */
public final class Rearrange {
    private Rearrange() {}

    public static Tensor flip(Tensor x, int[] axes) {
        Args.nonNull(axes, "flip", "axes");
        if (axes.length == 0) throw new IllegalArgumentException("flip: give at least one axis (to flip every axis, list them all)");
        int[] xs = x.shape(), st = Shape.strides(xs);
        boolean[] f = new boolean[xs.length];
        for (int a : Shape.axes("flip", axes, xs)) f[a] = true;
        int[] map = FlatGather.separable(xs, (d, c) -> (f[d] ? xs[d] - 1 - c : c) * st[d]);
        return FlatGather.gather("flip", x, map, xs, xs);
    }

    /** Shifts along axes (repeated axes add up, as in NumPy), or along the flattened tensor when axes is null. */
    public static Tensor roll(Tensor x, int[] shifts, int[] axes) {
        int[] xs = x.shape();
        if (axes == null) {
            if (shifts.length != 1) {
                throw new IllegalArgumentException("roll: without axes the flattened tensor is rolled by one shift, got " + shifts.length
                        + " shifts; give as many axes as shifts");
            }
            int n = x.size();
            if (n == 0) return x;
            int s = Math.floorMod(shifts[0], n);
            return s == 0 ? x : FlatGather.gather("roll", x, FlatGather.separable(new int[] {n}, (d, j) -> j >= s ? j - s : j - s + n), xs, xs);
        }
        if (shifts.length != axes.length) {
            throw new IllegalArgumentException("roll: " + shifts.length + " shifts for " + axes.length + " axes; give one shift per axis");
        }
        long[] total = new long[xs.length];
        for (int i = 0; i < axes.length; i++) total[Shape.axis("roll", axes[i], xs)] += shifts[i];
        int[] r = new int[xs.length], st = Shape.strides(xs);
        boolean any = false;
        for (int d = 0; d < xs.length; d++) {
            r[d] = xs[d] == 0 ? 0 : (int) Math.floorMod(total[d], (long) xs[d]);
            any |= r[d] != 0;
        }
        if (!any) return x;
        return FlatGather.gather("roll", x, FlatGather.separable(xs, (d, c) -> (c >= r[d] ? c - r[d] : c - r[d] + xs[d]) * st[d]), xs, xs);
    }

    public static Tensor tile(Tensor x, int[] reps) {
        Args.nonNull(reps, "tile", "reps");
        for (int i = 0; i < reps.length; i++) {
            if (reps[i] < 0) throw new IllegalArgumentException("tile: reps[" + i + "] = " + reps[i] + " is negative; repetitions are counts ≥ 0");
        }
        int r = Math.max(x.rank(), reps.length);
        int[] s = new int[r], out = new int[r];
        for (int d = 0; d < r; d++) {
            int sd = d - (r - x.rank()), rd = d - (r - reps.length);
            s[d] = sd < 0 ? 1 : x.dim(sd);
            out[d] = Shape.dimension("tile", (long) s[d] * (rd < 0 ? 1 : reps[rd]));
        }
        Shape.size("tile", out);
        if (java.util.Arrays.equals(s, out)) return x.reshape(out);
        int[] st = Shape.strides(s);
        int[] map = FlatGather.separable(out, (d, c) -> (c % s[d]) * st[d]);
        return FlatGather.gather("tile", x.reshape(s), map, s, out);
    }
}
