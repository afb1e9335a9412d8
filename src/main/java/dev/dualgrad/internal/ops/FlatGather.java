package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.util.function.IntBinaryOperator;
import java.util.function.ToIntFunction;

/**
 * The one primitive pair behind the indexing ops (takeAlongAxis, indexSelect, scatterAdd, flip, roll,
 * tile, diagonal, diag): a gather by a flat map computed once from the op's arguments, and its adjoint, a
 * scatter-add by the same map. Both are linear and read shapes only.
 *
 * <pre>
 *   gather      y[p, j]      = x[p, map[j]]      adjoint: scatter-add
 *   scatter-add y[p, map[j]] += x[p, j]          adjoint: gather
 * </pre>
 * for every batch prefix p of a tangent or cotangent (the map indexes one primal's elements, row-major).
 * A map that hits one position twice (repeated indices of takeAlongAxis, the copies of tile) makes the scatter-add
 * accumulate, in the order of j, so the result is deterministic; a position hit once gets the value
 * itself (a −0 stays −0), a position never hit gets +0.
 */
final class FlatGather {
    private FlatGather() {}

    /** y, shaped {@code out}, with y[j] = x[map[j]]; x must have shape {@code in}. */
    static Tensor gather(String op, Tensor x, int[] map, int[] in, int[] out) {
        return Dispatch.apply(new Gather(op, map, in, out, firstHits(map, Shape.size(in))), x);
    }

    /** y, shaped {@code out} (zeros where the map never points), with y[map[j]] += x[j]; x must have shape {@code in}. */
    static Tensor scatterAdd(String op, Tensor x, int[] map, int[] in, int[] out) {
        return Dispatch.apply(new Gather(op, map, out, in, firstHits(map, Shape.size(out))).adjoint(), x);
    }

    /** The map of an op, from its output's coordinates: map[j] = position(coordinates of j in {@code shape}), row-major. */
    static int[] map(int[] shape, ToIntFunction<int[]> position) {
        int[] m = new int[Shape.size(shape)], c = new int[shape.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = position.applyAsInt(c);
            for (int d = shape.length - 1; d >= 0 && ++c[d] == shape[d]; d--) c[d] = 0;
        }
        return m;
    }

    /**
     * The map of an op whose source position is a sum of one term per output axis, term(d, c) for
     * coordinate c on axis d (flip, roll, tile, indexSelect, diagonal, diag): one addition per element.
     */
    static int[] separable(int[] shape, IntBinaryOperator term) {
        int r = shape.length;
        int[] m = new int[Shape.size(shape)];
        if (m.length == 0 || r == 0) return m; // a 0-d map is the one position 0
        int[][] t = new int[r][];
        int base = 0;
        for (int d = 0; d < r; d++) {
            t[d] = new int[shape[d]];
            for (int c = 0; c < shape[d]; c++) t[d][c] = term.applyAsInt(d, c);
            if (d < r - 1) base += t[d][0];
        }
        int[] c = new int[r - 1], row = t[r - 1];
        for (int j = 0; j < m.length; j += row.length) {
            for (int q = 0; q < row.length; q++) m[j + q] = base + row[q];
            for (int d = r - 2; d >= 0; d--) { // the next row: advance the other axes' coordinates, keeping their sum
                base -= t[d][c[d]];
                if (++c[d] < shape[d]) {
                    base += t[d][c[d]];
                    break;
                }
                c[d] = 0;
                base += t[d][0];
            }
        }
        return m;
    }

    /** first[j]: whether map[j] differs from every map[j'] with j' < j; null when that holds for every j (the map is injective). */
    private static boolean[] firstHits(int[] map, int size) {
        boolean[] seen = new boolean[size], first = new boolean[map.length];
        boolean all = true;
        for (int j = 0; j < map.length; j++) {
            first[j] = !seen[map[j]];
            all &= first[j];
            seen[map[j]] = true;
        }
        return all ? null : first;
    }

    /** Gathers x [p..., in...] into y [p..., out...]; {@link #adjoint()} is its scatter-add. */
    static final class Gather implements Primitive {
        final String op;
        final int[] map, in, out;
        final boolean[] first; // null: the map is injective

        Gather(String op, int[] map, int[] in, int[] out, boolean[] first) {
            this.op = op;
            this.map = map;
            this.in = in;
            this.out = out;
            this.first = first;
        }

        Primitive adjoint() { return new ScatterAdd(this); }

        public String name() { return op; }

        public Reads vjpReads() { return Reads.NOTHING; } // scatter-add of ȳ by the map: shapes only

        public Tensor eval(Tensor[] xs) {
            int[] prefix = Rules.prefix(xs[0], in.length);
            int[] shape = Shape.concat(prefix, out);
            double[] x = Tensors.buffer(xs[0]), y = new double[Shape.size(op, shape)];
            int nx = Shape.size(in), ny = map.length;
            for (int p = 0, po = 0, px = 0; po < y.length; p++, po += ny, px += nx) {
                for (int j = 0; j < ny; j++) y[po + j] = x[px + map[j]];
            }
            return Tensors.adopt(y, shape);
        }

        /** A selection: y[p, j] depends on what x[p, map[j]] depends on (the map itself, no values). */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            int nx = Shape.size(in), ny = map.length;
            int[] src = new int[y.size()];
            for (int po = 0, pi = 0; po < src.length; po += ny, pi += nx) {
                for (int j = 0; j < ny; j++) src[po + j] = pi + map[j];
            }
            return Pattern.gather(src.length, px, new int[][] {src});
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : Dispatch.apply(this, dx[0]);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {Dispatch.apply(adjoint(), gy)};
        }
    }

    /** The adjoint of a {@link Gather}: x [p..., gather's out...] to y [p..., gather's in...]. */
    static final class ScatterAdd implements Primitive {
        final Gather g;

        ScatterAdd(Gather g) { this.g = g; }

        public String name() { return g.op; }

        public Reads vjpReads() { return Reads.NOTHING; } // the gather of ȳ: shapes only

        public Tensor eval(Tensor[] xs) {
            int[] prefix = Rules.prefix(xs[0], g.out.length);
            int[] shape = Shape.concat(prefix, g.in);
            double[] x = Tensors.buffer(xs[0]), y = new double[Shape.size(g.op, shape)];
            int[] map = g.map;
            boolean[] first = g.first;
            int ny = Shape.size(g.in), nx = map.length;
            int blocks = Shape.size(prefix);
            for (int p = 0, po = 0, px = 0; p < blocks; p++, po += ny, px += nx) {
                for (int j = 0; j < nx; j++) {
                    int t = po + map[j];
                    y[t] = first == null || first[j] ? x[px + j] : y[t] + x[px + j];
                }
            }
            return Tensors.adopt(y, shape);
        }

        /** y[p, map[j]] depends on the union of what the x[p, j] sent there depend on (positions never hit: nothing). */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            int ny = Shape.size(g.in), nx = g.map.length;
            int[] dst = new int[x[0].size()];
            for (int pi = 0, po = 0; pi < dst.length; pi += nx, po += ny) {
                for (int j = 0; j < nx; j++) dst[pi + j] = po + g.map[j];
            }
            return Pattern.scatter(y.size(), px, new int[][] {dst});
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            return dx[0] == null ? null : Dispatch.apply(this, dx[0]);
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            return new Tensor[] {Dispatch.apply(g, gy)};
        }
    }
}
