package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.kernels.SparseRows;
import dev.dualgrad.internal.kernels.Kernels;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.LaplacianRules;
import dev.dualgrad.internal.engine.TaylorRules;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;

/**
 * Matrix product with optionally transposed operands, bilinear: C = op(A)·op(B), op = identity or
 * transpose of the last two axes (BLAS's transa/transb). Rules, with A′ = op(A), B′ = op(B):
 * Ċ = op(Ȧ)·op(B) + op(A)·op(Ḃ); Ā′ = C̄·B′ᵀ and B̄′ = A′ᵀ·C̄, which for the stored operands are
 * <pre>
 *   Ā = C̄·op(B)ᵀ    = matmul(C̄, B, false, !tb)     when A is not transposed
 *   Ā = op(B)·C̄ᵀ    = matmul(B, C̄, tb, true)       when it is
 *   B̄ = op(A)ᵀ·C̄    = matmul(A, C̄, !ta, false)     when B is not transposed
 *   B̄ = C̄ᵀ·op(A)    = matmul(C̄, A, true, ta)       when it is
 * </pre>
 * each summed over broadcast batch axes. So the rules are products of the same family and no transpose
 * is ever copied: the kernel reads a transposed operand in place. The primitive takes operands of rank
 * ≥ 2 and broadcasts their leading axes; vectors are handled by {@link #matmul} with a reshape, as NumPy does.
 */
public final class MatMul implements Primitive {
    /** Built once: the tape asks for it on every recorded product. */
    private static final Reads READS = Reads.perCotangent(Reads.inputs(1), Reads.inputs(0));
    /** [strongZero][ta][tb]. */
    private static final MatMul[][][] ALL = new MatMul[2][2][2];

    static {
        for (int z = 0; z < 2; z++) for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) ALL[z][a][b] = new MatMul(z == 1, a == 1, b == 1);
    }

    static final MatMul INSTANCE = ALL[0][0][0];
    /** The product used inside derivative rules: 0·∞ = 0, so a zero tangent never becomes NaN. */
    static final MatMul STRONG_ZERO = ALL[1][0][0];

    private final boolean strongZero, ta, tb;

    private MatMul(boolean strongZero, boolean ta, boolean tb) {
        this.strongZero = strongZero;
        this.ta = ta;
        this.tb = tb;
    }

    static MatMul of(boolean strongZero, boolean ta, boolean tb) {
        return ALL[strongZero ? 1 : 0][ta ? 1 : 0][tb ? 1 : 0];
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
        Args.nonNull(b, "matmul", "o"); // Tensor.matmul(o)
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

    /**
     * op(A)·op(B), where op transposes the last two axes of an operand whose flag is set: the value of
     * {@code a.transpose().matmul(b)} and so on, bitwise, without copying the transpose (x·Wᵀ of a linear
     * layer is {@code matmul(x, w, false, true)}). Both operands must have rank ≥ 2; leading axes broadcast.
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        Args.nonNull(b, "matmul", "o");
        if (!transposeA && !transposeB) return matmul(a, b);
        int[] sa = a.shape(), sb = b.shape();
        if (sa.length < 2 || sb.length < 2) {
            throw new IllegalArgumentException("matmul with transposed operands: both need rank ≥ 2, got shapes " + Shape.str(sa)
                    + " and " + Shape.str(sb) + "; a vector has no transpose: use matmul(a, b) or reshape it.");
        }
        int ka = transposeA ? sa[sa.length - 2] : sa[sa.length - 1];
        int kb = transposeB ? sb[sb.length - 1] : sb[sb.length - 2];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions do not match: " + (transposeA ? "transpose of " : "") + Shape.str(sa)
                    + " @ " + (transposeB ? "transpose of " : "") + Shape.str(sb) + " (" + ka + " vs " + kb + ")");
        }
        return product(a, b, false, transposeA, transposeB);
    }

    /** op(A)·op(B) as the rules' strong-zero product (0·∞ = 0), for the derivative rules of other packages (linear algebra). */
    public static Tensor matmulStrongZero(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return product(a, b, true, transposeA, transposeB);
    }

    /** The product of the family with these flags, batch axes checked first (for a clear message). */
    private static Tensor product(Tensor a, Tensor b, boolean strongZero, boolean ta, boolean tb) {
        Shape.broadcast("matmul (batch axes)", Shape.prefix(a.shape(), a.rank() - 2), Shape.prefix(b.shape(), b.rank() - 2));
        return Dispatch.apply(of(strongZero, ta, tb), a, b);
    }

    public String name() {
        String base = strongZero ? "matmulStrongZero" : "matmul";
        return ta || tb ? base + (ta ? "(Aᵀ, " : "(A, ") + (tb ? "Bᵀ)" : "B)") : base;
    }

    public Tensor eval(Tensor[] x) {
        Tensor a = x[0], b = x[1];
        int[] sa = a.shape(), sb = b.shape();
        int m = sa[sa.length - (ta ? 1 : 2)], k = sa[sa.length - (ta ? 2 : 1)], n = sb[sb.length - (tb ? 2 : 1)];
        int[] ba = Shape.prefix(sa, sa.length - 2), bb = Shape.prefix(sb, sb.length - 2);
        double[] ad = Tensors.buffer(a), bd = Tensors.buffer(b);
        // The result's size, exactly: m·n of a 50,000 × 50,000 outer product is past 2³¹ − 1 and must not wrap.
        Shape.size(name(), Shape.concat(Shape.broadcast("matmul (batch axes)", ba, bb), new int[] {m, n}));
        if (strongZero && bb.length == 0 && !ta && SparseRows.sparseEnough(ad, ad.length / Math.max(1, k), k)) {
            // a rule's product with seeded (one-hot) tangents: by rows, skipping A's zeros (a row copy per unit vector)
            int rows = ad.length / k;
            double[] c = new double[rows * n];
            SparseRows.gemm(tb, ad, bd, Tensors.allFinite(b), c, rows, k, n);
            return Tensors.adopt(c, Shape.concat(ba, new int[] {m, n}));
        }
        if (strongZero && !(Tensors.allFinite(a) && Tensors.allFinite(b))) return strongZeroProduct(a, b, m, k, n);
        if (bb.length == 0 && !ta) {
            // B is one matrix: fold every batch axis of A into its rows, one large product.
            int rows = ad.length / Math.max(1, k);
            if (k == 0) rows = Shape.size(ba) * m;
            double[] c = new double[rows * n];
            Kernels.productIntoZeros(false, tb, ad, 0, bd, 0, c, 0, rows, k, n, true); // bd is a tensor's: its packed panels may be kept
            return Tensors.adopt(c, Shape.concat(ba, new int[] {m, n}));
        }
        int[] batch = Shape.broadcast("matmul (batch axes)", ba, bb);
        int nb = Shape.size(batch);
        double[] c = new double[nb * m * n];
        int[] sta = Shape.broadcastStrides(ba, batch), stb = Shape.broadcastStrides(bb, batch);
        int[] idx = new int[batch.length];
        int ao = 0, bo = 0;
        for (int i = 0; i < nb; i++) {
            Kernels.productIntoZeros(ta, tb, ad, ao * m * k, bd, bo * k * n, c, i * m * n, m, k, n, false);
            for (int d = batch.length - 1; d >= 0; d--) {
                ao += sta[d];
                bo += stb[d];
                if (++idx[d] < batch[d]) break;
                ao -= sta[d] * batch[d];
                bo -= stb[d] * batch[d];
                idx[d] = 0;
            }
        }
        return Tensors.adopt(c, Shape.concat(batch, new int[] {m, n}));
    }

    /**
     * C[q, i, j] depends on row i of op(A) and column j of op(B), of the matrices broadcasting puts at batch
     * entry q: (∪ₚ A′[q, i, p]) ∪ (∪ₚ B′[q, p, j]). The row and column unions are taken once per operand
     * matrix, then one union of two per output element. (Vectors reach the primitive as matrices.)
     */
    @Override
    public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
        int[] sa = x[0].shape(), sb = x[1].shape();
        int m = sa[sa.length - (ta ? 1 : 2)], k = sa[sa.length - (ta ? 2 : 1)], n = sb[sb.length - (tb ? 2 : 1)];
        int[] ba = Shape.prefix(sa, sa.length - 2), bb = Shape.prefix(sb, sb.length - 2), batch = Shape.prefix(y.shape(), y.rank() - 2);
        int universe = px[0] != null ? px[0].universe() : px[1].universe();
        // op(A)'s rows: A′[i, p] is A[i, p], or A[p, i] when transposed; op(B)'s columns: B′[p, j] is B[p, j] or B[j, p]
        int[][] rowA = px[0] == null ? null : lines(px[0], Shape.size(ba), m, k, ta ? 1 : k, ta ? m : 1, universe);
        int[][] colB = px[1] == null ? null : lines(px[1], Shape.size(bb), n, k, tb ? k : 1, tb ? 1 : n, universe);
        int[] ia = Pattern.broadcastIndex(ba, batch), ib = Pattern.broadcastIndex(bb, batch);
        Pattern.Union u = new Pattern.Union(universe);
        int[][] out = new int[y.size()][];
        for (int q = 0, o = 0; q < ia.length; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++, o++) {
                    u.clear();
                    if (rowA != null) u.add(rowA[ia[q] * m + i]);
                    if (colB != null) u.add(colB[ib[q] * n + j]);
                    out[o] = u.result();
                }
            }
        }
        return Pattern.of(universe, out);
    }

    /**
     * For each of {@code count} matrices of p and each line l < lines, the union over p < len of the rows of
     * the element at l·lineStride + p·step within the matrix (of lines·len elements).
     */
    private static int[][] lines(Pattern p, int count, int lines, int len, int lineStride, int step, int universe) {
        Pattern.Union u = new Pattern.Union(universe);
        int[][] r = new int[count * lines][];
        for (int c = 0; c < count; c++) {
            int base = c * lines * len;
            for (int l = 0; l < lines; l++) {
                u.clear();
                for (int q = 0; q < len; q++) u.add(p.row(base + l * lineStride + q * step));
                r[c * lines + l] = u.result();
            }
        }
        return r;
    }

    /** Bilinear: the Cauchy product of the two series. */
    @Override
    public Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) {
        return TaylorRules.bilinear(this, of(true, ta, tb), x, y, c);
    }

    /** Bilinear: L′ = A·L_B + L_A·B + 2·Σ_d J_A,d·J_B,d. */
    @Override
    public Tensor laplacian(Tensor[] x, Tensor y, Tensor[] s) {
        return LaplacianRules.bilinear(this, of(true, ta, tb), x, y, s);
    }

    public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
        // Align each tangent's batch prefix in front of the output's batch axes before broadcasting.
        int r = y.rank();
        Tensor t = null;
        if (dx[0] != null) t = product(Rules.align(dx[0], x[0].shape(), r), x[1], true, ta, tb);
        if (dx[1] != null) t = Rules.plus(t, product(x[0], Rules.align(dx[1], x[1].shape(), r), true, ta, tb));
        return t;
    }

    /** The slow path with a non-finite operand: c += (a = 0 or b = 0) ? 0 : a·b, batched with broadcasting. */
    private Tensor strongZeroProduct(Tensor a, Tensor b, int m, int k, int n) {
        int[] sa = a.shape(), sb = b.shape();
        int[] ba = Shape.prefix(sa, sa.length - 2), bb = Shape.prefix(sb, sb.length - 2);
        int[] batch = Shape.broadcast("matmul (batch axes)", ba, bb);
        int nb = Shape.size(batch);
        int[] sta = Shape.broadcastStrides(ba, batch), stb = Shape.broadcastStrides(bb, batch);
        double[] ad = Tensors.buffer(a), bd = Tensors.buffer(b), c = new double[nb * m * n];
        int[] idx = new int[batch.length];
        for (int q = 0; q < nb; q++) {
            int ao = 0, bo = 0;
            for (int d = 0; d < batch.length; d++) {
                ao += idx[d] * sta[d];
                bo += idx[d] * stb[d];
            }
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double x = ad[ao * m * k + (ta ? p * m + i : i * k + p)];
                    for (int j = 0; j < n; j++) {
                        double y = bd[bo * k * n + (tb ? j * k + p : p * n + j)];
                        if (x != 0 && y != 0) c[(q * m + i) * n + j] += x * y;
                    }
                }
            }
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) break;
                idx[d] = 0;
            }
        }
        return Tensors.adopt(c, Shape.concat(batch, new int[] {m, n}));
    }

    /** Ā reads B and B̄ reads A (C only for its shape): x·W with x a constant keeps x only. */
    @Override
    public Reads vjpReads() {
        return READS;
    }

    public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
        int[] batch = Shape.prefix(y.shape(), y.rank() - 2);
        Tensor ga = null, gb = null;
        if (need[0]) {
            int[] sa = x[0].shape();
            Tensor g = ta ? product(x[1], gy, true, tb, true) : product(gy, x[1], true, false, !tb);
            ga = Rules.unbroadcast(g, Shape.concat(batch, Shape.suffix(sa, sa.length - 2)), sa);
        }
        if (need[1]) {
            int[] sb = x[1].shape();
            if (sb.length == 2 && !ta && batch.length > 0) {
                gb = foldedMatrixCotangent(x[0], gy, y.rank());
            } else {
                Tensor g = tb ? product(gy, x[0], true, true, ta) : product(x[0], gy, true, !ta, false);
                gb = Rules.unbroadcast(g, Shape.concat(batch, Shape.suffix(sb, sb.length - 2)), sb);
            }
        }
        return new Tensor[] {ga, gb};
    }

    /**
     * B̄ for one matrix B [K, N] (or [N, K] when transposed) under a batched A [D..., M, K]: the sum over the batch of
     * A_dᵀ·C̄_d (C̄_dᵀ·A_d when transposed) is one product of A's rows folded, [D·M, K], with C̄'s folded the same way,
     * [p..., D·M, N] (p the cotangent's own leading directions, kept apart), rather than D products of inner length M
     * and a sum over them: the shape of a linear layer's weight cotangent when the inner sweep of a Jacobian penalty
     * batched its directions in front of the batch (ten products of 128 and a sum, against one product of 1,280). Each
     * entry is then one chain of multiply-adds over d and i in order, the same value as the per-batch sum, not the same
     * bits.
     */
    private Tensor foldedMatrixCotangent(Tensor a, Tensor gy, int yRank) {
        int[] sa = a.shape(), sg = gy.shape();
        int k = sa[sa.length - 1], n = sg[sg.length - 1], p = gy.rank() - yRank;
        int rows = Shape.size(Shape.prefix(sa, sa.length - 1)); // D·M: A's batch is the output's, B having none
        Tensor af = a.reshape(rows, k);
        Tensor gf = gy.reshape(Shape.concat(Shape.prefix(sg, p), new int[] {rows, n}));
        return tb ? product(gf, af, true, true, false) : product(af, gf, true, true, false);
    }
}
