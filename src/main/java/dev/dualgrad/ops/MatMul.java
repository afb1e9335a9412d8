package dev.dualgrad.ops;

import dev.dualgrad.tensor.Dispatch;
import dev.dualgrad.tensor.Kernels;
import dev.dualgrad.tensor.Primitive;
import dev.dualgrad.tensor.Shape;
import dev.dualgrad.tensor.Tensor;

/**
 * Matrix product, bilinear: C = A·B, Ċ = Ȧ·B + A·Ḃ, Ā = C̄·Bᵀ, B̄ = Aᵀ·C̄ (each summed over
 * broadcast batch axes). The primitive takes operands of rank ≥ 2 and broadcasts their leading
 * axes; vectors are handled by {@link #matmul} with a reshape, as NumPy does.
 */
public final class MatMul implements Primitive {
    static final MatMul INSTANCE = new MatMul(false);
    /** The product used inside derivative rules: 0·∞ = 0, so a zero tangent never becomes NaN. */
    static final MatMul STRONG_ZERO = new MatMul(true);

    private final boolean strongZero;

    private MatMul(boolean strongZero) {
        this.strongZero = strongZero;
    }

    /**
     * A·B in which an exact zero times ±∞ or NaN contributes 0: the product derivative rules use.
     * When every entry is finite it is bitwise the IEEE product (same kernel).
     */
    static Tensor strongZero(Tensor a, Tensor b) {
        return Dispatch.apply(STRONG_ZERO, a, b);
    }

    /** NumPy's matmul: vectors are promoted to matrices and the added axis removed afterwards. */
    public static Tensor matmul(Tensor a, Tensor b) {
        int[] sa = a.shape(), sb = b.shape();
        if (sa.length == 0 || sb.length == 0) {
            throw new IllegalArgumentException("matmul: operands must have rank ≥ 1, got shapes " + Shape.str(sa) + " and "
                    + Shape.str(sb) + "; to scale a tensor by a scalar use mul.");
        }
        int ka = sa[sa.length - 1];
        int kb = sb.length == 1 ? sb[0] : sb[sb.length - 2];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions do not match: " + Shape.str(sa) + " @ " + Shape.str(sb)
                    + "; the last axis of the left operand (" + ka + ") must equal the "
                    + (sb.length == 1 ? "length of the right vector" : "second-to-last axis of the right operand")
                    + " (" + kb + "). Did you mean to transpose one of them?");
        }
        Tensor l = sa.length == 1 ? a.unsqueeze(0) : a;
        Tensor r = sb.length == 1 ? b.unsqueeze(1) : b;
        Shape.broadcast("matmul (batch axes)", Shape.prefix(l.shape(), l.rank() - 2), Shape.prefix(r.shape(), r.rank() - 2));
        Tensor c = Dispatch.apply(INSTANCE, l, r);
        if (sb.length == 1) c = c.squeeze(-1);
        if (sa.length == 1) c = c.squeeze(sb.length == 1 ? -1 : -2);
        return c;
    }

    public String name() {
        return strongZero ? "matmulStrongZero" : "matmul";
    }

    public Tensor eval(Tensor[] x) {
        Tensor a = x[0], b = x[1];
        int[] sa = a.shape(), sb = b.shape();
        int m = sa[sa.length - 2], k = sa[sa.length - 1], n = sb[sb.length - 1];
        int[] ba = Shape.prefix(sa, sa.length - 2), bb = Shape.prefix(sb, sb.length - 2);
        double[] ad = a.buffer(), bd = b.buffer();
        if (strongZero && !(allFinite(ad) && allFinite(bd))) return strongZeroProduct(a, b, m, k, n);
        if (bb.length == 0) {
            // B is one matrix: fold every batch axis of A into its rows, one large product.
            int rows = ad.length / Math.max(1, k);
            if (k == 0) rows = Shape.size(ba) * m;
            double[] c = new double[rows * n];
            Kernels.gemm(ad, 0, bd, 0, c, 0, rows, k, n);
            return Tensor.adopt(c, Shape.concat(ba, new int[] {m, n}));
        }
        int[] batch = Shape.broadcast("matmul (batch axes)", ba, bb);
        int nb = Shape.size(batch);
        double[] c = new double[nb * m * n];
        int[] sta = Shape.broadcastStrides(ba, batch), stb = Shape.broadcastStrides(bb, batch);
        int[] idx = new int[batch.length];
        int ao = 0, bo = 0;
        for (int i = 0; i < nb; i++) {
            Kernels.gemm(ad, ao * m * k, bd, bo * k * n, c, i * m * n, m, k, n);
            for (int d = batch.length - 1; d >= 0; d--) {
                ao += sta[d];
                bo += stb[d];
                if (++idx[d] < batch[d]) break;
                ao -= sta[d] * batch[d];
                bo -= stb[d] * batch[d];
                idx[d] = 0;
            }
        }
        return Tensor.adopt(c, Shape.concat(batch, new int[] {m, n}));
    }

    public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
        // Align each tangent's batch prefix in front of the output's batch axes before broadcasting.
        int r = y.rank();
        Tensor t = null;
        if (dx[0] != null) t = product(Rules.align(dx[0], x[0].shape(), r), x[1]);
        if (dx[1] != null) t = Rules.plus(t, product(x[0], Rules.align(dx[1], x[1].shape(), r)));
        return t;
    }

    /** The rules' product: the strong-zero matmul, batched like matmul. */
    private static Tensor product(Tensor a, Tensor b) {
        Shape.broadcast("matmul (batch axes)", Shape.prefix(a.shape(), a.rank() - 2), Shape.prefix(b.shape(), b.rank() - 2));
        return strongZero(a, b);
    }

    private static boolean allFinite(double[] d) {
        for (double v : d) if (!Double.isFinite(v)) return false;
        return true;
    }

    /** The slow path with a non-finite operand: c += (a = 0 or b = 0) ? 0 : a·b, batched with broadcasting. */
    private static Tensor strongZeroProduct(Tensor a, Tensor b, int m, int k, int n) {
        int[] sa = a.shape(), sb = b.shape();
        int[] ba = Shape.prefix(sa, sa.length - 2), bb = Shape.prefix(sb, sb.length - 2);
        int[] batch = Shape.broadcast("matmul (batch axes)", ba, bb);
        int nb = Shape.size(batch);
        int[] sta = Shape.broadcastStrides(ba, batch), stb = Shape.broadcastStrides(bb, batch);
        double[] ad = a.buffer(), bd = b.buffer(), c = new double[nb * m * n];
        int[] idx = new int[batch.length];
        for (int q = 0; q < nb; q++) {
            int ao = 0, bo = 0;
            for (int d = 0; d < batch.length; d++) {
                ao += idx[d] * sta[d];
                bo += idx[d] * stb[d];
            }
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double x = ad[(ao * m + i) * k + p];
                    for (int j = 0; j < n; j++) {
                        double y = bd[(bo * k + p) * n + j];
                        if (x != 0 && y != 0) c[(q * m + i) * n + j] += x * y;
                    }
                }
            }
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) break;
                idx[d] = 0;
            }
        }
        return Tensor.adopt(c, Shape.concat(batch, new int[] {m, n}));
    }

    public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
        int[] batch = Shape.prefix(y.shape(), y.rank() - 2);
        Tensor ga = null, gb = null;
        if (need[0]) {
            int[] sa = x[0].shape();
            ga = Rules.unbroadcast(product(gy, x[1].transpose()), Shape.concat(batch, Shape.suffix(sa, sa.length - 2)), sa);
        }
        if (need[1]) {
            int[] sb = x[1].shape();
            gb = Rules.unbroadcast(product(x[0].transpose(), gy), Shape.concat(batch, Shape.suffix(sb, sb.length - 2)), sb);
        }
        return new Tensor[] {ga, gb};
    }
}
