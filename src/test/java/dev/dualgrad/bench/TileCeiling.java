package dev.dualgrad.bench;

import java.util.List;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's ceiling for a Java matrix kernel: bare register tiles over L1-resident packed panels, nothing
 * around them (no packing, no blocking, no edge tiles). Each row times 2·1024³ floating-point operations of one
 * tile of a fixed set, so that it reads in GFLOP/s beside {@code matmul_1024} (the kernel in gemm) and OpenBLAS.
 * The ceiling is the best row. The set was fixed before the kernel was tuned (issue 21), so that the kernel is
 * measured against tiles it was not fitted to:
 * MR×NW for (MR, N) in (4, 2), (6, 2), (8, 2), (4, 3), (3, 4), where W = {@code SPECIES_PREFERRED}'s length
 * (4 doubles on AVX2 or under {@code -XX:UseAVX=2}, 8 on AVX-512).
 *
 * <p>The panels are step-major, as the kernel packs them: A panel [kc, MR], B panel [kc, NW], with kc = 2048 / (NW)
 * steps, so that B's panel is 16 KB and both fit a 32 KB L1 data cache. C's tile is loaded before and stored after
 * each pass of kc steps, as in gemm between KC blocks.</p>
 */
final class TileCeiling {
    private TileCeiling() {}

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int W = S.length();
    /** The fixed set: rows MR and vectors per row N of each tile. */
    private static final int[][] TILES = {{4, 2}, {6, 2}, {8, 2}, {4, 3}, {3, 4}};

    /** Adds one workload per tile, {@code matmul_1024_tile_<MR>x<N>W}, each 2·1024³ flops. */
    static void add(List<Harness.Workload> ws) {
        for (int t = 0; t < TILES.length; t++) {
            int id = t, mr = TILES[t][0], nr = TILES[t][1] * W, kc = 2048 / nr;
            double[] ap = random(kc * mr, 1 + t), bp = random(kc * nr, 11 + t), c = new double[mr * nr];
            long steps = Math.round((double) (1L << 30) / (mr * nr)); // 1024³ fused multiply-adds, to one step in 10⁷
            ws.add(new Harness.Workload("matmul_1024_tile_" + mr + "x" + TILES[t][1] + "W",
                    "bare " + mr + "x" + TILES[t][1] + "W register tile (W = " + W + "), L1-resident panels, kc = " + kc,
                    () -> {
                        java.util.Arrays.fill(c, 0.0); // keeps the sums bounded across calls
                        for (long s = 0; s < steps; s += kc) run(id, ap, bp, (int) Math.min(kc, steps - s), c);
                        return c;
                    }));
        }
    }

    private static void run(int id, double[] ap, double[] bp, int kc, double[] c) {
        switch (id) {
            case 0 -> tile4x2W(ap, bp, kc, c);
            case 1 -> tile6x2W(ap, bp, kc, c);
            case 2 -> tile8x2W(ap, bp, kc, c);
            case 3 -> tile4x3W(ap, bp, kc, c);
            default -> tile3x4W(ap, bp, kc, c);
        }
    }

    private static double[] random(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble() - 0.5;
        return v;
    }

    /** The 4×2W tile: C[4, 2W] += A panel [kc, 4] · B panel [kc, 2W], step-major. */
    static void tile4x2W(double[] ap, double[] bp, int kc, double[] c) {
        DoubleVector c00 = DoubleVector.fromArray(S, c, 0 * 2 * W + 0 * W), c01 = DoubleVector.fromArray(S, c, 0 * 2 * W + 1 * W);
        DoubleVector c10 = DoubleVector.fromArray(S, c, 1 * 2 * W + 0 * W), c11 = DoubleVector.fromArray(S, c, 1 * 2 * W + 1 * W);
        DoubleVector c20 = DoubleVector.fromArray(S, c, 2 * 2 * W + 0 * W), c21 = DoubleVector.fromArray(S, c, 2 * 2 * W + 1 * W);
        DoubleVector c30 = DoubleVector.fromArray(S, c, 3 * 2 * W + 0 * W), c31 = DoubleVector.fromArray(S, c, 3 * 2 * W + 1 * W);
        for (int p = 0; p < kc; p++) {
            int bq = p * 2 * W, aq = p * 4;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bq + 0 * W), b1 = DoubleVector.fromArray(S, bp, bq + 1 * W);
            DoubleVector x0 = DoubleVector.broadcast(S, ap[aq + 0]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            DoubleVector x1 = DoubleVector.broadcast(S, ap[aq + 1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            DoubleVector x2 = DoubleVector.broadcast(S, ap[aq + 2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            DoubleVector x3 = DoubleVector.broadcast(S, ap[aq + 3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        c00.intoArray(c, 0 * 2 * W + 0 * W);
        c01.intoArray(c, 0 * 2 * W + 1 * W);
        c10.intoArray(c, 1 * 2 * W + 0 * W);
        c11.intoArray(c, 1 * 2 * W + 1 * W);
        c20.intoArray(c, 2 * 2 * W + 0 * W);
        c21.intoArray(c, 2 * 2 * W + 1 * W);
        c30.intoArray(c, 3 * 2 * W + 0 * W);
        c31.intoArray(c, 3 * 2 * W + 1 * W);
    }

    /** The 6×2W tile: C[6, 2W] += A panel [kc, 6] · B panel [kc, 2W], step-major. */
    static void tile6x2W(double[] ap, double[] bp, int kc, double[] c) {
        DoubleVector c00 = DoubleVector.fromArray(S, c, 0 * 2 * W + 0 * W), c01 = DoubleVector.fromArray(S, c, 0 * 2 * W + 1 * W);
        DoubleVector c10 = DoubleVector.fromArray(S, c, 1 * 2 * W + 0 * W), c11 = DoubleVector.fromArray(S, c, 1 * 2 * W + 1 * W);
        DoubleVector c20 = DoubleVector.fromArray(S, c, 2 * 2 * W + 0 * W), c21 = DoubleVector.fromArray(S, c, 2 * 2 * W + 1 * W);
        DoubleVector c30 = DoubleVector.fromArray(S, c, 3 * 2 * W + 0 * W), c31 = DoubleVector.fromArray(S, c, 3 * 2 * W + 1 * W);
        DoubleVector c40 = DoubleVector.fromArray(S, c, 4 * 2 * W + 0 * W), c41 = DoubleVector.fromArray(S, c, 4 * 2 * W + 1 * W);
        DoubleVector c50 = DoubleVector.fromArray(S, c, 5 * 2 * W + 0 * W), c51 = DoubleVector.fromArray(S, c, 5 * 2 * W + 1 * W);
        for (int p = 0; p < kc; p++) {
            int bq = p * 2 * W, aq = p * 6;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bq + 0 * W), b1 = DoubleVector.fromArray(S, bp, bq + 1 * W);
            DoubleVector x0 = DoubleVector.broadcast(S, ap[aq + 0]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            DoubleVector x1 = DoubleVector.broadcast(S, ap[aq + 1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            DoubleVector x2 = DoubleVector.broadcast(S, ap[aq + 2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            DoubleVector x3 = DoubleVector.broadcast(S, ap[aq + 3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            DoubleVector x4 = DoubleVector.broadcast(S, ap[aq + 4]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            DoubleVector x5 = DoubleVector.broadcast(S, ap[aq + 5]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
        }
        c00.intoArray(c, 0 * 2 * W + 0 * W);
        c01.intoArray(c, 0 * 2 * W + 1 * W);
        c10.intoArray(c, 1 * 2 * W + 0 * W);
        c11.intoArray(c, 1 * 2 * W + 1 * W);
        c20.intoArray(c, 2 * 2 * W + 0 * W);
        c21.intoArray(c, 2 * 2 * W + 1 * W);
        c30.intoArray(c, 3 * 2 * W + 0 * W);
        c31.intoArray(c, 3 * 2 * W + 1 * W);
        c40.intoArray(c, 4 * 2 * W + 0 * W);
        c41.intoArray(c, 4 * 2 * W + 1 * W);
        c50.intoArray(c, 5 * 2 * W + 0 * W);
        c51.intoArray(c, 5 * 2 * W + 1 * W);
    }

    /** The 8×2W tile: C[8, 2W] += A panel [kc, 8] · B panel [kc, 2W], step-major. */
    static void tile8x2W(double[] ap, double[] bp, int kc, double[] c) {
        DoubleVector c00 = DoubleVector.fromArray(S, c, 0 * 2 * W + 0 * W), c01 = DoubleVector.fromArray(S, c, 0 * 2 * W + 1 * W);
        DoubleVector c10 = DoubleVector.fromArray(S, c, 1 * 2 * W + 0 * W), c11 = DoubleVector.fromArray(S, c, 1 * 2 * W + 1 * W);
        DoubleVector c20 = DoubleVector.fromArray(S, c, 2 * 2 * W + 0 * W), c21 = DoubleVector.fromArray(S, c, 2 * 2 * W + 1 * W);
        DoubleVector c30 = DoubleVector.fromArray(S, c, 3 * 2 * W + 0 * W), c31 = DoubleVector.fromArray(S, c, 3 * 2 * W + 1 * W);
        DoubleVector c40 = DoubleVector.fromArray(S, c, 4 * 2 * W + 0 * W), c41 = DoubleVector.fromArray(S, c, 4 * 2 * W + 1 * W);
        DoubleVector c50 = DoubleVector.fromArray(S, c, 5 * 2 * W + 0 * W), c51 = DoubleVector.fromArray(S, c, 5 * 2 * W + 1 * W);
        DoubleVector c60 = DoubleVector.fromArray(S, c, 6 * 2 * W + 0 * W), c61 = DoubleVector.fromArray(S, c, 6 * 2 * W + 1 * W);
        DoubleVector c70 = DoubleVector.fromArray(S, c, 7 * 2 * W + 0 * W), c71 = DoubleVector.fromArray(S, c, 7 * 2 * W + 1 * W);
        for (int p = 0; p < kc; p++) {
            int bq = p * 2 * W, aq = p * 8;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bq + 0 * W), b1 = DoubleVector.fromArray(S, bp, bq + 1 * W);
            DoubleVector x0 = DoubleVector.broadcast(S, ap[aq + 0]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            DoubleVector x1 = DoubleVector.broadcast(S, ap[aq + 1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            DoubleVector x2 = DoubleVector.broadcast(S, ap[aq + 2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            DoubleVector x3 = DoubleVector.broadcast(S, ap[aq + 3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            DoubleVector x4 = DoubleVector.broadcast(S, ap[aq + 4]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            DoubleVector x5 = DoubleVector.broadcast(S, ap[aq + 5]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            DoubleVector x6 = DoubleVector.broadcast(S, ap[aq + 6]);
            c60 = x6.fma(b0, c60);
            c61 = x6.fma(b1, c61);
            DoubleVector x7 = DoubleVector.broadcast(S, ap[aq + 7]);
            c70 = x7.fma(b0, c70);
            c71 = x7.fma(b1, c71);
        }
        c00.intoArray(c, 0 * 2 * W + 0 * W);
        c01.intoArray(c, 0 * 2 * W + 1 * W);
        c10.intoArray(c, 1 * 2 * W + 0 * W);
        c11.intoArray(c, 1 * 2 * W + 1 * W);
        c20.intoArray(c, 2 * 2 * W + 0 * W);
        c21.intoArray(c, 2 * 2 * W + 1 * W);
        c30.intoArray(c, 3 * 2 * W + 0 * W);
        c31.intoArray(c, 3 * 2 * W + 1 * W);
        c40.intoArray(c, 4 * 2 * W + 0 * W);
        c41.intoArray(c, 4 * 2 * W + 1 * W);
        c50.intoArray(c, 5 * 2 * W + 0 * W);
        c51.intoArray(c, 5 * 2 * W + 1 * W);
        c60.intoArray(c, 6 * 2 * W + 0 * W);
        c61.intoArray(c, 6 * 2 * W + 1 * W);
        c70.intoArray(c, 7 * 2 * W + 0 * W);
        c71.intoArray(c, 7 * 2 * W + 1 * W);
    }

    /** The 4×3W tile: C[4, 3W] += A panel [kc, 4] · B panel [kc, 3W], step-major. */
    static void tile4x3W(double[] ap, double[] bp, int kc, double[] c) {
        DoubleVector c00 = DoubleVector.fromArray(S, c, 0 * 3 * W + 0 * W), c01 = DoubleVector.fromArray(S, c, 0 * 3 * W + 1 * W), c02 = DoubleVector.fromArray(S, c, 0 * 3 * W + 2 * W);
        DoubleVector c10 = DoubleVector.fromArray(S, c, 1 * 3 * W + 0 * W), c11 = DoubleVector.fromArray(S, c, 1 * 3 * W + 1 * W), c12 = DoubleVector.fromArray(S, c, 1 * 3 * W + 2 * W);
        DoubleVector c20 = DoubleVector.fromArray(S, c, 2 * 3 * W + 0 * W), c21 = DoubleVector.fromArray(S, c, 2 * 3 * W + 1 * W), c22 = DoubleVector.fromArray(S, c, 2 * 3 * W + 2 * W);
        DoubleVector c30 = DoubleVector.fromArray(S, c, 3 * 3 * W + 0 * W), c31 = DoubleVector.fromArray(S, c, 3 * 3 * W + 1 * W), c32 = DoubleVector.fromArray(S, c, 3 * 3 * W + 2 * W);
        for (int p = 0; p < kc; p++) {
            int bq = p * 3 * W, aq = p * 4;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bq + 0 * W), b1 = DoubleVector.fromArray(S, bp, bq + 1 * W), b2 = DoubleVector.fromArray(S, bp, bq + 2 * W);
            DoubleVector x0 = DoubleVector.broadcast(S, ap[aq + 0]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c02 = x0.fma(b2, c02);
            DoubleVector x1 = DoubleVector.broadcast(S, ap[aq + 1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            c12 = x1.fma(b2, c12);
            DoubleVector x2 = DoubleVector.broadcast(S, ap[aq + 2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            c22 = x2.fma(b2, c22);
            DoubleVector x3 = DoubleVector.broadcast(S, ap[aq + 3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            c32 = x3.fma(b2, c32);
        }
        c00.intoArray(c, 0 * 3 * W + 0 * W);
        c01.intoArray(c, 0 * 3 * W + 1 * W);
        c02.intoArray(c, 0 * 3 * W + 2 * W);
        c10.intoArray(c, 1 * 3 * W + 0 * W);
        c11.intoArray(c, 1 * 3 * W + 1 * W);
        c12.intoArray(c, 1 * 3 * W + 2 * W);
        c20.intoArray(c, 2 * 3 * W + 0 * W);
        c21.intoArray(c, 2 * 3 * W + 1 * W);
        c22.intoArray(c, 2 * 3 * W + 2 * W);
        c30.intoArray(c, 3 * 3 * W + 0 * W);
        c31.intoArray(c, 3 * 3 * W + 1 * W);
        c32.intoArray(c, 3 * 3 * W + 2 * W);
    }

    /** The 3×4W tile: C[3, 4W] += A panel [kc, 3] · B panel [kc, 4W], step-major. */
    static void tile3x4W(double[] ap, double[] bp, int kc, double[] c) {
        DoubleVector c00 = DoubleVector.fromArray(S, c, 0 * 4 * W + 0 * W), c01 = DoubleVector.fromArray(S, c, 0 * 4 * W + 1 * W), c02 = DoubleVector.fromArray(S, c, 0 * 4 * W + 2 * W), c03 = DoubleVector.fromArray(S, c, 0 * 4 * W + 3 * W);
        DoubleVector c10 = DoubleVector.fromArray(S, c, 1 * 4 * W + 0 * W), c11 = DoubleVector.fromArray(S, c, 1 * 4 * W + 1 * W), c12 = DoubleVector.fromArray(S, c, 1 * 4 * W + 2 * W), c13 = DoubleVector.fromArray(S, c, 1 * 4 * W + 3 * W);
        DoubleVector c20 = DoubleVector.fromArray(S, c, 2 * 4 * W + 0 * W), c21 = DoubleVector.fromArray(S, c, 2 * 4 * W + 1 * W), c22 = DoubleVector.fromArray(S, c, 2 * 4 * W + 2 * W), c23 = DoubleVector.fromArray(S, c, 2 * 4 * W + 3 * W);
        for (int p = 0; p < kc; p++) {
            int bq = p * 4 * W, aq = p * 3;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bq + 0 * W), b1 = DoubleVector.fromArray(S, bp, bq + 1 * W), b2 = DoubleVector.fromArray(S, bp, bq + 2 * W), b3 = DoubleVector.fromArray(S, bp, bq + 3 * W);
            DoubleVector x0 = DoubleVector.broadcast(S, ap[aq + 0]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c02 = x0.fma(b2, c02);
            c03 = x0.fma(b3, c03);
            DoubleVector x1 = DoubleVector.broadcast(S, ap[aq + 1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            c12 = x1.fma(b2, c12);
            c13 = x1.fma(b3, c13);
            DoubleVector x2 = DoubleVector.broadcast(S, ap[aq + 2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            c22 = x2.fma(b2, c22);
            c23 = x2.fma(b3, c23);
        }
        c00.intoArray(c, 0 * 4 * W + 0 * W);
        c01.intoArray(c, 0 * 4 * W + 1 * W);
        c02.intoArray(c, 0 * 4 * W + 2 * W);
        c03.intoArray(c, 0 * 4 * W + 3 * W);
        c10.intoArray(c, 1 * 4 * W + 0 * W);
        c11.intoArray(c, 1 * 4 * W + 1 * W);
        c12.intoArray(c, 1 * 4 * W + 2 * W);
        c13.intoArray(c, 1 * 4 * W + 3 * W);
        c20.intoArray(c, 2 * 4 * W + 0 * W);
        c21.intoArray(c, 2 * 4 * W + 1 * W);
        c22.intoArray(c, 2 * 4 * W + 2 * W);
        c23.intoArray(c, 2 * 4 * W + 3 * W);
    }

}
