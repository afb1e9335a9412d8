package dev.dualgrad.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vector matrix kernel at both of its tile shapes: with 32 vector registers (8 doubles, AVX-512) it runs 8-row
 * tiles, with 16 (4 doubles, AVX2) 6-row ones, and the blocking follows the width. An AVX-512 machine runs both, the
 * second under {@code -XX:UseAVX=2}; each child JVM checks every product against an fma chain in order (the kernel's
 * contract) and prints a digest of its bits, and the two must agree. On an AVX2-only machine both children run the
 * 4-wide kernel, which is all that machine can run.
 */
class VectorWidthsTest {
    /** The child: the vector width, then per product "ok" or the first element that breaks the chain, and a digest. */
    static final class Products {
        public static void main(String[] args) {
            System.out.println("width " + jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length());
            // rows that are and are not multiples of 6 and 8, k across one and several KC blocks, edge columns
            // and edge panels of 1–7 rows, which run 4-, 6- or 8-row tiles
            int[][] shapes = {{7, 5, 9}, {24, 40, 33}, {48, 130, 64}, {50, 600, 70}, {128, 784, 40}, {97, 1100, 35}, {257, 64, 130},
                {10, 256, 100}, {11, 70, 48}, {13, 30, 20}, {14, 33, 17}, {15, 9, 40}, {20, 50, 24}, {21, 17, 18}, {27, 12, 40}, {36, 20, 33}};
            for (int[] s : shapes) {
                int m = s[0], k = s[1], n = s[2];
                Tensor a = TensorRandom.seed(m + 5L * k).normal(m, k), b = TensorRandom.seed(n + 3L * k).normal(k, n);
                check(m + "x" + k + "x" + n, a.toArray(), b.toArray(), a.matmul(b).toArray(), m, k, n, false);
                // B stored transposed, as the VJP rules multiply: packed from its columns, whatever m (a.matmul(bᵀ) would
                // materialise bᵀ, and products of up to 16 rows of plain operands skip packing)
                Tensor bt = TensorRandom.seed(n + 7L * k).normal(n, k);
                check(m + "x" + k + "x" + n + " Bt", a.toArray(), bt.toArray(),
                        dev.dualgrad.internal.ops.MatMul.matmulStrongZero(a, bt, false, true).toArray(), m, k, n, true);
            }
            System.out.println("done");
        }

        private static void check(String name, double[] a, double[] b, double[] c, int m, int k, int n, boolean bTransposed) {
            String verdict = "ok";
            for (int i = 0; i < m && verdict.equals("ok"); i++) {
                for (int j = 0; j < n; j++) {
                    double r = 0;
                    for (int p = 0; p < k; p++) r = Math.fma(a[i * k + p], bTransposed ? b[j * k + p] : b[p * n + j], r);
                    if (Double.doubleToLongBits(r) != Double.doubleToLongBits(c[i * n + j])) {
                        verdict = "C[" + i + "," + j + "] = " + c[i * n + j] + ", the fma chain gives " + r;
                        break;
                    }
                }
            }
            long[] bits = new long[c.length];
            for (int i = 0; i < c.length; i++) bits[i] = Double.doubleToLongBits(c[i]);
            System.out.println(name + " " + verdict + " " + Arrays.hashCode(bits));
        }
    }

    @Test
    void bothTileShapesAreTheFmaChainInOrderAndAgreeBitwise() throws Exception {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "-XX:UseAVX is an x86 option; this JVM runs on " + arch);
        List<String> preferred = run(), avx2 = run("-XX:UseAVX=2");
        for (List<String> out : List.of(preferred, avx2)) {
            assertTrue(out.size() > 10 && out.get(out.size() - 1).equals("done"), String.join("\n", out));
            for (String line : out.subList(1, out.size() - 1)) assertTrue(line.contains(" ok "), line);
        }
        assertEquals("width 4", avx2.get(0), "-XX:UseAVX=2 gives 256-bit vectors");
        assertEquals(preferred.subList(1, preferred.size()), avx2.subList(1, avx2.size()), preferred.get(0) + " against " + avx2.get(0));
    }

    /** Runs {@link Products} in a new JVM with the vector module, one thread and these options. */
    private static List<String> run(String... options) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-Ddualgrad.threads=1"));
        all.addAll(List.of(options));
        return ChildJvm.run(Products.class, all.toArray(new String[0]));
    }
}
