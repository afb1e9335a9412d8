package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.VarianceOptions;

/**
 * Layer normalisation over the trailing D elements (the normalised axes A), fused, with its rules side
 * by side. Per row, with μ the mean, σ = √(var + ε) (var the biased variance, correction 0, as
 * PyTorch's layer_norm) and n = (x − μ)/σ:
 *
 * <pre>
 *   y = n ⊙ w + b (or n without the affine)
 *   ẏ = P(ẋ)/σ ⊙ w + n ⊙ ẇ + ḃ             P(t) = t − mean_A t − n ⊙ mean_A(n ⊙ t)
 *   x̄ = P(ȳ ⊙ w)/σ,   w̄ = Σ_rows ȳ ⊙ n,   b̄ = Σ_rows ȳ
 * </pre>
 * P is the orthogonal projection away from 1 and n, so the rules are one formula both ways. The
 * rules are written with tensor ops (n by this op without the affine, σ by var), so they nest to any
 * order; a first-order sweep on concrete values (no enclosing transform, one cotangent) takes a fused
 * loop instead, with the same formulas.
 */
public final class LayerNorms {
    private static final Primitive.Reads READS_X = Primitive.Reads.inputs(0),
            READS_AFFINE = Primitive.Reads.perCotangent(Primitive.Reads.inputs(0, 1), Primitive.Reads.inputs(0), Primitive.Reads.NOTHING);

    private LayerNorms() {}

    /** Validated by the caller: the trailing {@code dims} axes of x are normalised; w and b both null or both given. */
    public static Tensor layerNorm(Tensor x, int dims, Tensor w, Tensor b, double eps) {
        return w == null ? Dispatch.apply(new LayerNorm(dims, eps, false), x) : Dispatch.apply(new LayerNorm(dims, eps, true), x, w, b);
    }

    static final class LayerNorm implements Primitive {
        final int dims;
        final double eps;
        final boolean affine;

        LayerNorm(int dims, double eps, boolean affine) {
            this.dims = dims;
            this.eps = eps;
            this.affine = affine;
        }

        public String name() { return "layerNorm"; }

        public Reads vjpReads() { return affine ? READS_AFFINE : READS_X; } // n and σ are recomputed from x

        private int rowLength(int[] s) {
            return Shape.size(Shape.suffix(s, s.length - dims));
        }

        public Tensor eval(Tensor[] in) {
            double[] x = Tensors.buffer(in[0]), y = new double[x.length];
            double[] w = affine ? Tensors.buffer(in[1]) : null, b = affine ? Tensors.buffer(in[2]) : null;
            int d = rowLength(in[0].shape());
            for (int o = 0; d > 0 && o < x.length; o += d) {
                double mean = mean(x, o, d), rstd = 1 / Math.sqrt(variance(x, o, d, mean) + eps);
                for (int j = 0; j < d; j++) {
                    double n = (x[o + j] - mean) * rstd;
                    y[o + j] = affine ? n * w[j] + b[j] : n;
                }
            }
            return Tensors.adopt(y, in[0].shape());
        }

        /**
         * y[r, j] depends on the whole row r of x (its mean and σ), on w[j] and on b[j]: one union per row,
         * then one per element with the matching weight and bias.
         */
        public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
            int d = rowLength(x[0].shape()), size = x[0].size();
            int universe = 0;
            for (Pattern p : px) if (p != null) universe = p.universe();
            Pattern.Union u = new Pattern.Union(universe);
            int[][] out = new int[size][];
            for (int o = 0; o < size; o += d) {
                int[] row = Pattern.NONE;
                if (px[0] != null) {
                    u.clear();
                    for (int j = 0; j < d; j++) u.add(px[0].row(o + j));
                    row = u.result();
                }
                for (int j = 0; j < d; j++) {
                    u.clear();
                    u.add(row);
                    for (int i = 1; affine && i < 3; i++) if (px[i] != null) u.add(px[i].row(j));
                    out[o + j] = u.result();
                }
            }
            return Pattern.of(universe, out);
        }

        private static double mean(double[] x, int o, int d) {
            double s = 0;
            for (int j = 0; j < d; j++) s += x[o + j];
            return s / d;
        }

        private static double variance(double[] x, int o, int d, double mean) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double c = x[o + j] - mean;
                s += c * c;
            }
            return s / d;
        }

        private int[] axes(int rank) {
            int[] a = new int[dims];
            for (int i = 0; i < dims; i++) a[i] = rank - dims + i;
            return a;
        }

        /** n, and 1/σ with the normalised axes kept, as tensor ops. */
        private Tensor[] normalised(Tensor x) {
            Tensor n = Dispatch.apply(new LayerNorm(dims, eps, false), x);
            Tensor rstd = x.var(axes(x.rank()), VarianceOptions.defaults().correction(0).keepDims(true)).add(eps).sqrt().reciprocal();
            return new Tensor[] {n, rstd};
        }

        /** P(t)/σ over the trailing (normalised) axes of t, which may carry a batch prefix; strong-zero products. */
        private Tensor project(Tensor t, Tensor n, Tensor rstd) {
            int[] a = Rules.fromEnd(axes(n.rank()), n.rank());
            Tensor p = t.sub(t.mean(a, true)).sub(Tensors.mulStrongZero(n, Tensors.mulStrongZero(n, t).mean(a, true)));
            return Tensors.mulStrongZero(p, rstd);
        }

        public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
            Tensor[] ns = normalised(x[0]);
            Tensor t = dx[0] == null ? null : project(dx[0], ns[0], ns[1]);
            if (!affine) return t;
            if (t != null) t = Tensors.mulStrongZero(t, x[1]);
            t = Rules.plus(t, dx[1] == null ? null : Tensors.mulStrongZero(Rules.align(dx[1], x[1].shape(), x[0].rank()), ns[0]));
            return Rules.plus(t, dx[2] == null ? null : Rules.expand(dx[2], x[2].shape(), x[0].shape()));
        }

        public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
            boolean plain = gy.rank() == x[0].rank() && Tensors.level(gy) == null && Tensors.level(x[0]) == null
                    && (!affine || Tensors.level(x[1]) == null);
            int[] s = x[0].shape();
            if (affine && !need[0] && !need[1]) return new Tensor[] {null, null, Rules.unbroadcast(gy, s, x[2].shape())}; // b̄ reads nothing
            if (plain) return fused(x, gy, need);
            Tensor[] ns = normalised(x[0]);
            if (!affine) return new Tensor[] {project(gy, ns[0], ns[1])};
            return new Tensor[] {need[0] ? project(Tensors.mulStrongZero(gy, x[1]), ns[0], ns[1]) : null,
                    need[1] ? Rules.unbroadcast(Tensors.mulStrongZero(gy, ns[0]), s, x[1].shape()) : null,
                    need[2] ? Rules.unbroadcast(gy, s, x[2].shape()) : null};
        }

        /** The strong-zero product of the rules: 0 when either factor is 0, even against ±∞ or NaN. */
        private static double strong(double a, double b) {
            return a == 0 || b == 0 ? 0 : a * b;
        }

        /** The first-order sweep on concrete values, row by row: the formulas of the class comment in loops. */
        private Tensor[] fused(Tensor[] in, Tensor gyT, boolean[] need) {
            double[] x = Tensors.buffer(in[0]), gy = Tensors.buffer(gyT), gx = new double[x.length];
            int d = rowLength(in[0].shape());
            boolean needX = !affine || need[0];
            double[] w = affine && needX ? Tensors.buffer(in[1]) : null; // w is kept only when x̄ is asked for
            double[] gw = affine ? new double[d] : null, gb = affine ? new double[d] : null, n = new double[d], g = new double[d];
            for (int o = 0; d > 0 && o < x.length; o += d) {
                double mean = mean(x, o, d), rstd = 1 / Math.sqrt(variance(x, o, d, mean) + eps);
                double sg = 0, sng = 0;
                for (int j = 0; j < d; j++) {
                    n[j] = (x[o + j] - mean) * rstd;
                    double gj = gy[o + j];
                    if (affine) {
                        gw[j] += strong(gj, n[j]);
                        gb[j] += gj;
                        if (needX) gj = strong(gj, w[j]);
                    }
                    g[j] = gj;
                    sg += gj;
                    sng += strong(gj, n[j]);
                }
                double mg = sg / d, mng = sng / d;
                for (int j = 0; needX && j < d; j++) gx[o + j] = strong(g[j] - mg - strong(n[j], mng), rstd);
            }
            Tensor xbar = Tensors.adopt(gx, in[0].shape());
            if (!affine) return new Tensor[] {xbar};
            int[] ws = in[1].shape();
            return new Tensor[] {need[0] ? xbar : null, need[1] ? Tensors.adopt(gw, ws) : null, need[2] ? Tensors.adopt(gb, ws) : null};
        }
    }
}
