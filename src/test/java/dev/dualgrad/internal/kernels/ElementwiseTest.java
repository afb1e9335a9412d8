package dev.dualgrad.internal.kernels;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ElementwiseTest {
    /** Points spread over every regime of the method: k = 0, k ≥ 1, the clamp, subnormals, zeros. */
    private static double[] points(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble() * 2 - 1;
            x[i] = switch (i % 6) {
                case 0 -> u * 1e-3;
                case 1 -> u * 0.4;              // k = 0: expm1 is the polynomial alone
                case 2 -> u * 3;
                case 3 -> u * 25;               // across the clamp at 22
                case 4 -> Math.scalb(u, -r.nextInt(1075)); // down to the subnormals
                default -> Double.longBitsToDouble(r.nextLong()); // any double, NaNs and infinities included
            };
        }
        return x;
    }

    @Test
    void tanhIsWithinFourUlpOfStrictMathEverywhere() {
        double[] x = points(600_000, 1), y = new double[x.length];
        Elementwise.tanh(x, y, x.length);
        for (int i = 0; i < x.length; i++) {
            double ref = StrictMath.tanh(x[i]);
            if (Double.isNaN(ref)) {
                assertTrue(Double.isNaN(y[i]), "tanh(" + x[i] + ")");
                continue;
            }
            assertEquals(ref, y[i], 4 * Math.ulp(ref), "tanh(" + x[i] + ")");
            assertEquals(Math.copySign(1.0, ref), Math.copySign(1.0, y[i]), "sign of tanh(" + x[i] + ")");
        }
    }

    @Test
    void specialValuesMapAsTanhDoes() {
        double[] x = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
            -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 22.0, 19.1, 1e-300};
        double[] y = new double[x.length];
        Elementwise.tanh(x, y, x.length);
        for (int i = 0; i < x.length; i++) {
            // bitwise where tanh is exact (signed zeros, ±1, values below the first ulp of the cubic term)
            assertEquals(StrictMath.tanh(x[i]), y[i], 0.0, "tanh(" + x[i] + ")");
            assertEquals(Double.doubleToLongBits(StrictMath.tanh(x[i])), Double.doubleToLongBits(y[i]), "sign/NaN of tanh(" + x[i] + ")");
        }
    }

    /** The array kernel (Vector API lanes and the scalar tail) gives each element the scalar form's bits. */
    @Test
    void everyPositionGetsTheScalarFormsBits() {
        double[] x = points(10_007, 2), y = new double[x.length];
        for (int n : new int[] {x.length, 1, 3, 4, 5, 17}) {
            Elementwise.tanh(x, y, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(Elementwise.tanh(x[i])), Double.doubleToRawLongBits(y[i]), "tanh(" + x[i] + ") at " + i);
            }
        }
    }

    /** The strong-zero product, vector lanes and tail, against its definition, bitwise (zeros against ±∞ and NaN). */
    @Test
    void strongZeroProductsFollowTheirDefinitionBitwise() {
        double[] specials = {0.0, -0.0, 1.5, -2.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-308, -1e300};
        int n = 1003;
        double[] a = new double[n], b = new double[n], y = new double[n], ys = new double[n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            a[i] = specials[r.nextInt(specials.length)];
            b[i] = specials[r.nextInt(specials.length)];
        }
        Elementwise.mulStrongZero(a, 0, b, 0, y, 0, n);
        for (int i = 0; i < n; i++) {
            double want = a[i] == 0 || b[i] == 0 ? 0.0 : a[i] * b[i];
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(y[i]), a[i] + " * " + b[i]);
        }
        for (double v : specials) {
            Elementwise.mulStrongZero(a, 1, v, ys, 0, n - 1);
            for (int i = 0; i < n - 1; i++) {
                double want = a[i + 1] == 0 || v == 0 ? 0.0 : a[i + 1] * v;
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(ys[i]), a[i + 1] + " * " + v);
            }
        }
    }

    @Test
    void allFiniteFindsEveryNonFiniteValueAtEveryPosition() {
        for (int n : new int[] {0, 1, 3, 4, 7, 64, 1001}) {
            double[] d = points(n, n);
            for (int i = 0; i < n; i++) if (!Double.isFinite(d[i])) d[i] = 0.5;
            assertTrue(Elementwise.allFinite(d), "all finite, n = " + n);
            for (int i = 0; i < n; i++) {
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    double keep = d[i];
                    d[i] = bad;
                    assertTrue(!Elementwise.allFinite(d), bad + " at " + i + " of " + n);
                    d[i] = keep;
                }
            }
            d = new double[n];
            java.util.Arrays.fill(d, Double.MAX_VALUE);
            assertTrue(Elementwise.allFinite(d), "MAX_VALUE is finite");
        }
    }
    /** The Laplacian rows' kernel: a product and a sum per element (no fma), at every offset and tail length. */
    @Test
    void scaleAndSumSquaresIsTheScalarProductThenSum() {
        for (int n : new int[] {0, 1, 7, 8, 9, 64, 1001}) {
            for (int so : new int[] {0, 3}) {
                for (int fo : new int[] {0, 5}) {
                    double[] s = points(so + n, 7 + n), f = points(fo + n, 11 + n), sq = points(fo + n, 13 + n);
                    double[] y = new double[so + n], yRef = new double[so + n], sqRef = sq.clone();
                    for (int i = 0; i < n; i++) {
                        yRef[so + i] = s[so + i] * f[fo + i];
                        sqRef[fo + i] = sqRef[fo + i] + s[so + i] * s[so + i];
                    }
                    Elementwise.scaleAndSumSquares(s, so, f, fo, y, sq, n);
                    assertArrayEquals(yRef, y, 0.0, "y, n = " + n + " so = " + so + " fo = " + fo);
                    assertArrayEquals(sqRef, sq, 0.0, "sq, n = " + n + " so = " + so + " fo = " + fo);
                }
            }
        }
    }

    /** axpy (a product, then a sum) and fusedAxpy (one fma) at every offset and tail length, bitwise their scalar definitions. */
    @Test
    void axpyAndFusedAxpyAreTheirScalarDefinitionsBitwise() {
        SplittableRandom r = new SplittableRandom(11);
        for (int n = 0; n <= 40; n++) {
            for (int trial = 0; trial < 4; trial++) {
                int xo = r.nextInt(5), yo = r.nextInt(5);
                double a = r.nextDouble() * 4 - 2;
                double[] x = new double[xo + n], y = new double[yo + n + 1];
                for (int i = 0; i < x.length; i++) x[i] = Math.scalb(r.nextDouble() - 0.5, r.nextInt(-40, 40));
                for (int i = 0; i < y.length; i++) y[i] = Math.scalb(r.nextDouble() - 0.5, r.nextInt(-40, 40));
                double[] plain = y.clone(), fused = y.clone();
                Elementwise.axpy(a, x, xo, plain, yo, n);
                Elementwise.fusedAxpy(a, x, xo, fused, yo, n);
                for (int i = 0; i < y.length; i++) {
                    int j = i - yo;
                    boolean in = j >= 0 && j < n;
                    assertEquals(in ? y[i] + a * x[xo + j] : y[i], plain[i], 0, "axpy n " + n + " at " + i);
                    assertEquals(in ? Math.fma(a, x[xo + j], y[i]) : y[i], fused[i], 0, "fusedAxpy n " + n + " at " + i);
                }
            }
        }
    }
}
