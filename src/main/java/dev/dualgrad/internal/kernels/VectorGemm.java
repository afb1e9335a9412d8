package dev.dualgrad.internal.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C += op(A)·op(B) (op = identity or transpose) with the JDK's incubating Vector API. Loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (see {@link Kernels}); otherwise the plain-Java kernel runs.
 *
 * <p>Large products follow the layout of BLIS/GotoBLAS: a KC×NC block of B is packed into column
 * panels NR wide (NR = two vectors) so that it stays in L2/L3, an MC×KC block of A into row panels MR high (8 with
 * 32 vector registers, else 6) so that it stays in L2, and a micro-kernel keeps an MR×NR tile of C in 2·MR vector registers
 * while it walks the KC shared dimension, each broadcast of A and the two loads of B feeding two fused
 * multiply-adds. Small products, where packing would cost more than it saves, use the unpacked 4×NR
 * kernel directly on the row-major operands.</p>
 *
 * <p>Every element of C is accumulated in the same order by both paths, tiles and tails alike:
 * c ← fma(a_p, b_p, c) for p = 0..k−1, the tile being stored to C between KC blocks and loaded back
 * (exact). So the result does not depend on m, n, the blocking, the path or the thread that computes a
 * tile: stacking tangent directions into one product gives bitwise the numbers of separate products,
 * and splitting C among threads gives bitwise the single-threaded result.</p>
 */
final class VectorGemm implements Kernels.Gemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int W = S.length();
    /**
     * The register tile: MR rows of A against NR = two vectors of B, 2·MR accumulators. With 32 vector registers (W = 8,
     * AVX-512) MR = 8: 16 accumulators, and B's two vectors feed 16 FMAs per step instead of 12; the sizes of the
     * workloads (128, 256, 1,024, 2,560 rows) are multiples of 8, so no panel runs short (with 6 rows, 128 rows left a
     * panel of 2 computed in full). Zen 4, alternated runs: 128×784×256 38–48 → 53 GFLOP/s, 256³ 47–52 → 51–52, 1,024³
     * 46.5–50.4 → 47–51.7. With 16 registers (W = 4, AVX2) 16 accumulators would spill: MR = 6 (the 8×2W bare tile runs
     * at 29–31 GFLOP/s there against the 6×2W one's 36–48).
     */
    static final int MR = W >= 8 ? 8 : 6, NR = 2 * W;
    /** B's size (k·n elements, 32 KB) below which its panels are not worth keeping ({@link PackCache}). */
    static final int CACHE_MIN_B = 1 << 12;
    /**
     * Cache blocking: a KC×NR micro-panel of B is reused by every MR-row panel of an MC×KC block of A (in L2), and
     * C's tile is loaded and stored once per KC steps. KC = 64·W: 256 steps (a 16 KB micro-panel, in L1) at W = 4, 512
     * (64 KB, from L2) at W = 8. On AVX-512 (Zen 4) KC = 512 ran 5–10% faster than 256 at 1024² and on mlp_primal
     * (k = 784), the C tile's loads and stores (strided by ldc) costing more than B's panel missing L1, and 128 ran
     * slower still (BENCHMARKS.md, issue 21). The packed KC×NC block of B is 4 MB at W = 4 and 8 MB at W = 8 (in
     * L3), one per thread that multiplies.
     */
    private static final int KC = 64 * W, MC = 16 * MR, NC = 128 * NR;

    /** Pack buffers, one pair per thread: reused so that a product allocates nothing. */
    private static final ThreadLocal<double[][]> BUFFERS =
            ThreadLocal.withInitial(() -> new double[][] {new double[MC * KC], new double[KC * NC], new double[MR * NR]});

    @Override
    public void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, null, false);
    }

    /** Whether a product of this shape runs the packed path (the one that packs B), and so can use B's kept panels. */
    private static boolean packedPath(boolean ta, boolean tb, int m, int n) {
        return !(n == 1 && !ta) && !(m <= 16 && !ta && !tb);
    }

    /**
     * B's panels from {@link PackCache} when the product packs B and it is worth keeping: more than one panel
     * of A reads it (m &gt; MR) and B is at least {@link #CACHE_MIN_B} elements.
     */
    @Override
    public Object keptB(boolean ta, boolean tb, int m, int n, int k, double[] b, int bo, int ldb) {
        if (!packedPath(ta, tb, m, n) || m <= MR || (long) k * n < CACHE_MIN_B) return null;
        long entryBytes = 8L * k * ((n + NR - 1) / NR) * NR;
        return PackCache.lookup(b, bo, ldb, tb, k, n, entryBytes, () -> packAll(tb, n, k, b, bo, ldb, entryBytes));
    }

    @Override
    public void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
            double[] c, int co, int ldc, Object keptB, boolean cZero) {
        // Packing copies A and B once; with few rows of A there is too little reuse of packed B to pay for it
        // (measured on AVX2: the unpacked kernel wins up to m = 16, the packed one beyond). Transposed
        // operands always go through packing, which reads them in their stored order.
        if (n == 1 && !ta) {
            matVec(tb, m, k, a, ao, lda, b, bo, ldb, c, co, ldc);
            return;
        }
        if (!packedPath(ta, tb, m, n)) {
            unpacked(a, ao, lda, b, bo, ldb, c, co, ldc, m, k, n);
            return;
        }
        packed(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, (PackCache.Packed) keptB, cZero);
    }

    /** Equal KC blocks of k, so that no block is thin: the same for every product of this k. */
    private static int kcEven(int k) {
        int kBlocks = Math.max(1, (k + KC - 1) / KC);
        return (k + kBlocks - 1) / kBlocks;
    }

    /** Every KC×NC block of B packed as {@link #packed} packs them, [n block][k block], for {@link PackCache}. */
    private static PackCache.Packed packAll(boolean tb, int n, int k, double[] b, int bo, int ldb, long bytes) {
        int kc0 = kcEven(k), nBlocks = (n + NC - 1) / NC, kBlocks = k == 0 ? 0 : (k + kc0 - 1) / kc0;
        double[][] blocks = new double[nBlocks * kBlocks][];
        for (int jc = 0, jb = 0; jc < n; jc += NC, jb++) {
            int nc = Math.min(NC, n - jc), ncPadded = (nc + NR - 1) / NR * NR;
            for (int pc = 0, pb = 0; pc < k; pc += kc0, pb++) {
                int kc = Math.min(kc0, k - pc);
                double[] bp = new double[kc * ncPadded];
                packB(tb, b, bo, ldb, jc, pc, kc, nc, bp);
                blocks[jb * kBlocks + pb] = bp;
            }
        }
        return new PackCache.Packed(blocks, bytes);
    }

    private static void packB(boolean tb, double[] b, int bo, int ldb, int jc, int pc, int kc, int nc, double[] bp) {
        if (tb) panelsFromColumns(b, bo + jc * ldb + pc, ldb, kc, nc, NR, bp);
        else panelsFromRows(b, bo + pc * ldb + jc, ldb, kc, nc, NR, bp);
    }

    /**
     * C [m, 1] += A·b: the packed path would pad the one column to a panel of NR and pack all of A for it. Each
     * element keeps the kernel's sequence, c ← fma(a_p, b_p, c) for p = 0..k−1 from C's value (so the result
     * is bitwise what the packed path gives); four rows at a time, for four independent chains.
     */
    private static void matVec(boolean tb, int m, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
            double[] c, int co, int ldc) {
        int bs = tb ? 1 : ldb; // b's element p: B[p, 0], or Bᵀ of B stored [1, k]
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int r0 = ao + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
            double s0 = c[co + i * ldc], s1 = c[co + (i + 1) * ldc], s2 = c[co + (i + 2) * ldc], s3 = c[co + (i + 3) * ldc];
            for (int p = 0; p < k; p++) {
                double v = b[bo + p * bs];
                s0 = Math.fma(a[r0 + p], v, s0);
                s1 = Math.fma(a[r1 + p], v, s1);
                s2 = Math.fma(a[r2 + p], v, s2);
                s3 = Math.fma(a[r3 + p], v, s3);
            }
            c[co + i * ldc] = s0;
            c[co + (i + 1) * ldc] = s1;
            c[co + (i + 2) * ldc] = s2;
            c[co + (i + 3) * ldc] = s3;
        }
        for (; i < m; i++) {
            int r = ao + i * lda;
            double s = c[co + i * ldc];
            for (int p = 0; p < k; p++) s = Math.fma(a[r + p], b[bo + p * bs], s);
            c[co + i * ldc] = s;
        }
    }

    /**
     * The packed product; B's panels come from {@code cached} when it is given (the same numbers as packing them).
     * With cZero, the first k block starts its sums at +0.0 instead of loading C's zeros: fma(a, b, +0.0) either
     * way; the later k blocks load what the earlier ones stored, so each element stays one fma chain over p.
     */
    private static void packed(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
            double[] c, int co, int ldc, PackCache.Packed cached, boolean cZero) {
        double[][] buf = BUFFERS.get();
        double[] ap = buf[0], tile = buf[2];
        int kcEven = kcEven(k), kBlocks = k == 0 ? 0 : (k + kcEven - 1) / kcEven;
        for (int jc = 0, jb = 0; jc < n; jc += NC, jb++) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0, pb = 0; pc < k; pc += kcEven, pb++) {
                int kc = Math.min(kcEven, k - pc);
                double[] bp = buf[1];
                if (cached != null) bp = cached.blocks[jb * kBlocks + pb];
                else packB(tb, b, bo, ldb, jc, pc, kc, nc, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (ta) panelsFromRows(a, ao + pc * lda + ic, lda, kc, mc, MR, ap);
                    else panelsFromColumns(a, ao + ic * lda + pc, lda, kc, mc, MR, ap);
                    macro(ap, bp, tile, c, co + ic * ldc + jc, ldc, mc, nc, kc, !(cZero && pc == 0));
                }
            }
        }
    }

    /**
     * Packs an operand block into panels `width` wide, each depth×width contiguous, step-major, with zeros
     * where the last panel runs past len: the layout the micro-kernel reads (B in panels of NR columns,
     * A in panels of MR rows). Here the width entries of one step are contiguous in the source: step p of
     * the panel at j is src[so + p·ld + j ...] (B as stored, or A stored transposed).
     */
    private static void panelsFromRows(double[] src, int so, int ld, int depth, int len, int width, double[] dst) {
        int q = 0;
        for (int j = 0; j < len; j += width) {
            int w = Math.min(width, len - j);
            if (w < width) java.util.Arrays.fill(dst, q, q + depth * width, 0.0); // a partial panel's padding, zeroed in one call, not one per step
            for (int p = 0; p < depth; p++, q += width) System.arraycopy(src, so + p * ld + j, dst, q, w);
        }
    }

    /**
     * The same panels when each entry of a step comes from its own source row: entry c of step p of the
     * panel at j is src[so + (j + c)·ld + p] (A as stored, or B stored transposed).
     */
    private static void panelsFromColumns(double[] src, int so, int ld, int depth, int len, int width, double[] dst) {
        int q = 0;
        for (int j = 0; j < len; j += width, q += depth * width) {
            int w = Math.min(width, len - j);
            for (int col = 0; col < width; col++) {
                if (col < w) {
                    int row = so + (j + col) * ld;
                    for (int p = 0; p < depth; p++) dst[q + p * width + col] = src[row + p];
                } else {
                    for (int p = 0; p < depth; p++) dst[q + p * width + col] = 0.0;
                }
            }
        }
    }

    /**
     * An MR×NR tile of zeros, never written: the tile a sum starts from when C holds zeros. Reading it (in L1)
     * instead of C's cold lines keeps one micro-kernel for both cases; a branch between loading C and starting
     * from zero vectors inside the kernel made C2 compile it 10–28% slower once both cases had run.
     */
    private static final double[] ZERO_TILE = new double[MR * NR];

    /** The block's tiles; loadC false: C's block holds zeros, and each tile's sums start at zero without reading it. */
    private static void macro(double[] ap, double[] bp, double[] tile, double[] c, int co, int ldc, int mc, int nc, int kc, boolean loadC) {
        for (int j = 0; j < nc; j += NR) {
            int w = Math.min(NR, nc - j), bOff = (j / NR) * kc * NR;
            for (int i = 0; i < mc; i += MR) {
                int h = Math.min(MR, mc - i), aOff = (i / MR) * kc * MR, cOff = co + i * ldc + j;
                if (h == MR && w == NR) {
                    if (loadC) tile(ap, aOff, bp, bOff, kc, c, cOff, ldc, c, cOff, ldc);
                    else tile(ap, aOff, bp, bOff, kc, ZERO_TILE, 0, NR, c, cOff, ldc);
                } else { // an edge tile: through a full-size scratch tile, so the kernel stays branch-free
                    if (loadC) {
                        for (int r = 0; r < h; r++) System.arraycopy(c, cOff + r * ldc, tile, r * NR, w);
                        edge(h, ap, aOff, bp, bOff, kc, tile, 0, NR, tile, 0, NR);
                    } else {
                        edge(h, ap, aOff, bp, bOff, kc, ZERO_TILE, 0, NR, tile, 0, NR);
                    }
                    for (int r = 0; r < h; r++) System.arraycopy(tile, r * NR, c, cOff + r * ldc, w);
                }
            }
        }
    }

    /**
     * The 6×NR tile at dOff of d (row stride ldd) = the tile at sOff of s (row stride lds) + the packed A panel's first
     * six rows · the packed B panel: C's tile in place (s = d = C), or a sum from zeros (s = {@link #ZERO_TILE}). The
     * tile at MR = 6, and the edge tile of five or six rows at MR = 8.
     */
    private static void micro(double[] ap, int aOff, double[] bp, int bOff, int kc, double[] s, int sOff, int lds,
            double[] d, int dOff, int ldd) {
        int r0 = sOff, r1 = r0 + lds, r2 = r1 + lds, r3 = r2 + lds, r4 = r3 + lds, r5 = r4 + lds;
        DoubleVector c00 = DoubleVector.fromArray(S, s, r0), c01 = DoubleVector.fromArray(S, s, r0 + W);
        DoubleVector c10 = DoubleVector.fromArray(S, s, r1), c11 = DoubleVector.fromArray(S, s, r1 + W);
        DoubleVector c20 = DoubleVector.fromArray(S, s, r2), c21 = DoubleVector.fromArray(S, s, r2 + W);
        DoubleVector c30 = DoubleVector.fromArray(S, s, r3), c31 = DoubleVector.fromArray(S, s, r3 + W);
        DoubleVector c40 = DoubleVector.fromArray(S, s, r4), c41 = DoubleVector.fromArray(S, s, r4 + W);
        DoubleVector c50 = DoubleVector.fromArray(S, s, r5), c51 = DoubleVector.fromArray(S, s, r5 + W);
        for (int p = 0; p < kc; p++) {
            int bq = bOff + p * NR, aq = aOff + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bq), b1 = DoubleVector.fromArray(S, bp, bq + W);
            DoubleVector x = DoubleVector.broadcast(S, ap[aq]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[aq + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[aq + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[aq + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, ap[aq + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, ap[aq + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int q0 = dOff, q1 = q0 + ldd, q2 = q1 + ldd, q3 = q2 + ldd, q4 = q3 + ldd, q5 = q4 + ldd;
        c00.intoArray(d, q0);
        c01.intoArray(d, q0 + W);
        c10.intoArray(d, q1);
        c11.intoArray(d, q1 + W);
        c20.intoArray(d, q2);
        c21.intoArray(d, q2 + W);
        c30.intoArray(d, q3);
        c31.intoArray(d, q3 + W);
        c40.intoArray(d, q4);
        c41.intoArray(d, q4 + W);
        c50.intoArray(d, q5);
        c51.intoArray(d, q5 + W);
    }

    /** The MR×NR micro-kernel of this vector width ({@link #MR} is a constant, so C2 keeps one call). */
    private static void tile(double[] ap, int aOff, double[] bp, int bOff, int kc, double[] s, int sOff, int lds,
            double[] d, int dOff, int ldd) {
        if (MR == 8) micro8(ap, aOff, bp, bOff, kc, s, sOff, lds, d, dOff, ldd);
        else micro(ap, aOff, bp, bOff, kc, s, sOff, lds, d, dOff, ldd);
    }

    /**
     * An edge panel of h ≤ MR rows (the rest of its packed panel is zeros): the smallest tile that covers them, so that
     * the 10 rows of ten folded cotangents cost 8 + 4 rows of work, not 16.
     */
    private static void edge(int h, double[] ap, int aOff, double[] bp, int bOff, int kc, double[] s, int sOff, int lds,
            double[] d, int dOff, int ldd) {
        if (h <= 4) micro4(ap, aOff, bp, bOff, kc, s, sOff, lds, d, dOff, ldd);
        else if (h <= 6) micro(ap, aOff, bp, bOff, kc, s, sOff, lds, d, dOff, ldd);
        else tile(ap, aOff, bp, bOff, kc, s, sOff, lds, d, dOff, ldd);
    }

    /** The first four rows of a packed A panel (MR wide) against a B panel: {@link #micro}'s chain for those rows. */
    private static void micro4(double[] ap, int aOff, double[] bp, int bOff, int kc, double[] s, int sOff, int lds,
            double[] d, int dOff, int ldd) {
        int r0 = sOff, r1 = r0 + lds, r2 = r1 + lds, r3 = r2 + lds;
        DoubleVector c00 = DoubleVector.fromArray(S, s, r0), c01 = DoubleVector.fromArray(S, s, r0 + W);
        DoubleVector c10 = DoubleVector.fromArray(S, s, r1), c11 = DoubleVector.fromArray(S, s, r1 + W);
        DoubleVector c20 = DoubleVector.fromArray(S, s, r2), c21 = DoubleVector.fromArray(S, s, r2 + W);
        DoubleVector c30 = DoubleVector.fromArray(S, s, r3), c31 = DoubleVector.fromArray(S, s, r3 + W);
        for (int p = 0; p < kc; p++) {
            int bq = bOff + p * NR, aq = aOff + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bq), b1 = DoubleVector.fromArray(S, bp, bq + W);
            DoubleVector x = DoubleVector.broadcast(S, ap[aq]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[aq + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[aq + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[aq + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        int q0 = dOff, q1 = q0 + ldd, q2 = q1 + ldd, q3 = q2 + ldd;
        c00.intoArray(d, q0);
        c01.intoArray(d, q0 + W);
        c10.intoArray(d, q1);
        c11.intoArray(d, q1 + W);
        c20.intoArray(d, q2);
        c21.intoArray(d, q2 + W);
        c30.intoArray(d, q3);
        c31.intoArray(d, q3 + W);
    }

    /**
     * {@link #micro} with eight rows: the tile at MR = 8 (32 vector registers). The same fma chain per element. A copy
     * rather than a loop over rows on purpose: accumulators stay in registers only as named locals, and each tile height
     * is its own small method so that C2 inlines its vector calls (see {@link #unpacked}).
     */
    private static void micro8(double[] ap, int aOff, double[] bp, int bOff, int kc, double[] s, int sOff, int lds,
            double[] d, int dOff, int ldd) {
        int r0 = sOff, r1 = r0 + lds, r2 = r1 + lds, r3 = r2 + lds, r4 = r3 + lds, r5 = r4 + lds, r6 = r5 + lds, r7 = r6 + lds;
        DoubleVector c00 = DoubleVector.fromArray(S, s, r0), c01 = DoubleVector.fromArray(S, s, r0 + W);
        DoubleVector c10 = DoubleVector.fromArray(S, s, r1), c11 = DoubleVector.fromArray(S, s, r1 + W);
        DoubleVector c20 = DoubleVector.fromArray(S, s, r2), c21 = DoubleVector.fromArray(S, s, r2 + W);
        DoubleVector c30 = DoubleVector.fromArray(S, s, r3), c31 = DoubleVector.fromArray(S, s, r3 + W);
        DoubleVector c40 = DoubleVector.fromArray(S, s, r4), c41 = DoubleVector.fromArray(S, s, r4 + W);
        DoubleVector c50 = DoubleVector.fromArray(S, s, r5), c51 = DoubleVector.fromArray(S, s, r5 + W);
        DoubleVector c60 = DoubleVector.fromArray(S, s, r6), c61 = DoubleVector.fromArray(S, s, r6 + W);
        DoubleVector c70 = DoubleVector.fromArray(S, s, r7), c71 = DoubleVector.fromArray(S, s, r7 + W);
        for (int p = 0; p < kc; p++) {
            int bq = bOff + p * NR, aq = aOff + p * 8;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bq), b1 = DoubleVector.fromArray(S, bp, bq + W);
            DoubleVector x = DoubleVector.broadcast(S, ap[aq]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[aq + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[aq + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[aq + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, ap[aq + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, ap[aq + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S, ap[aq + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S, ap[aq + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        int q0 = dOff, q1 = q0 + ldd, q2 = q1 + ldd, q3 = q2 + ldd, q4 = q3 + ldd, q5 = q4 + ldd, q6 = q5 + ldd, q7 = q6 + ldd;
        c00.intoArray(d, q0);
        c01.intoArray(d, q0 + W);
        c10.intoArray(d, q1);
        c11.intoArray(d, q1 + W);
        c20.intoArray(d, q2);
        c21.intoArray(d, q2 + W);
        c30.intoArray(d, q3);
        c31.intoArray(d, q3 + W);
        c40.intoArray(d, q4);
        c41.intoArray(d, q4 + W);
        c50.intoArray(d, q5);
        c51.intoArray(d, q5 + W);
        c60.intoArray(d, q6);
        c61.intoArray(d, q6 + W);
        c70.intoArray(d, q7);
        c71.intoArray(d, q7 + W);
    }

    /**
     * The unpacked kernel: 4 rows × NR columns of C in registers over the whole of k, B read in place.
     * Each register block is its own small method: in one large method C2 stops inlining the vector
     * calls, and a vector op that is not inlined runs its allocating Java fallback (3–5× slower).
     */
    private static void unpacked(double[] a, int ao, int lda, double[] b, int bo, int ldb, double[] c, int co, int ldc, int m, int k, int n) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int r0 = ao + i * lda, q0 = co + i * ldc;
            int j = 0;
            for (; j + NR <= n; j += NR) block4(a, r0, lda, b, bo + j, ldb, c, q0 + j, ldc, k);
            for (; j < n; j++) for (int r = 0; r < 4; r++) c[q0 + r * ldc + j] = dot(a, r0 + r * lda, b, bo + j, ldb, k, c[q0 + r * ldc + j]);
        }
        for (; i < m; i++) { // the tail rows, one at a time but still NR columns per pass
            int r0 = ao + i * lda, q0 = co + i * ldc;
            int j = 0;
            for (; j + NR <= n; j += NR) block1(a, r0, b, bo + j, ldb, c, q0 + j, k);
            for (; j < n; j++) c[q0 + j] = dot(a, r0, b, bo + j, ldb, k, c[q0 + j]);
        }
    }

    /** C[4, NR] at q0 (row stride ldc) += A[4, k] at r0 (row stride lda) · B[k, NR] at bq0 (row stride ldb). */
    private static void block4(double[] a, int r0, int lda, double[] b, int bq0, int ldb, double[] c, int q0, int ldc, int k) {
        int r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
        int q1 = q0 + ldc, q2 = q1 + ldc, q3 = q2 + ldc;
        DoubleVector c00 = DoubleVector.fromArray(S, c, q0), c01 = DoubleVector.fromArray(S, c, q0 + W);
        DoubleVector c10 = DoubleVector.fromArray(S, c, q1), c11 = DoubleVector.fromArray(S, c, q1 + W);
        DoubleVector c20 = DoubleVector.fromArray(S, c, q2), c21 = DoubleVector.fromArray(S, c, q2 + W);
        DoubleVector c30 = DoubleVector.fromArray(S, c, q3), c31 = DoubleVector.fromArray(S, c, q3 + W);
        for (int p = 0; p < k; p++) {
            int bq = bq0 + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(S, b, bq), b1 = DoubleVector.fromArray(S, b, bq + W);
            DoubleVector x0 = DoubleVector.broadcast(S, a[r0 + p]), x1 = DoubleVector.broadcast(S, a[r1 + p]);
            DoubleVector x2 = DoubleVector.broadcast(S, a[r2 + p]), x3 = DoubleVector.broadcast(S, a[r3 + p]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        c00.intoArray(c, q0);
        c01.intoArray(c, q0 + W);
        c10.intoArray(c, q1);
        c11.intoArray(c, q1 + W);
        c20.intoArray(c, q2);
        c21.intoArray(c, q2 + W);
        c30.intoArray(c, q3);
        c31.intoArray(c, q3 + W);
    }

    /** C[1, NR] at q0 += A[1, k] at r0 · B[k, NR] at bq0 (row stride ldb). */
    private static void block1(double[] a, int r0, double[] b, int bq0, int ldb, double[] c, int q0, int k) {
        DoubleVector c00 = DoubleVector.fromArray(S, c, q0), c01 = DoubleVector.fromArray(S, c, q0 + W);
        for (int p = 0; p < k; p++) {
            int bq = bq0 + p * ldb;
            DoubleVector x0 = DoubleVector.broadcast(S, a[r0 + p]);
            c00 = x0.fma(DoubleVector.fromArray(S, b, bq), c00);
            c01 = x0.fma(DoubleVector.fromArray(S, b, bq + W), c01);
        }
        c00.intoArray(c, q0);
        c01.intoArray(c, q0 + W);
    }

    /** s + Σ_p a[ar+p]·b[bc+p·ldb], one fma per p in order: the same arithmetic as a vector lane. */
    private static double dot(double[] a, int ar, double[] b, int bc, int ldb, int k, double s) {
        for (int p = 0; p < k; p++) s = Math.fma(a[ar + p], b[bc + p * ldb], s);
        return s;
    }
}
