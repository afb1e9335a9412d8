package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exact sum against BigDecimal sums (rounded by the JDK's correctly rounded parseDouble), in every order and grouping. */
class ExactSumTest {
    /** The reference: the exact sum in BigDecimal, then IEEE's specials by hand, rounded once by parseDouble. */
    static double reference(List<Double> xs) {
        boolean nan = false, pos = false, neg = false, allNegZero = !xs.isEmpty();
        BigDecimal s = BigDecimal.ZERO;
        for (double x : xs) {
            if (Double.isNaN(x)) nan = true;
            else if (x == Double.POSITIVE_INFINITY) pos = true;
            else if (x == Double.NEGATIVE_INFINITY) neg = true;
            else s = s.add(new BigDecimal(x));
            if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(-0.0)) allNegZero = false;
        }
        if (nan || pos && neg) return Double.NaN;
        if (pos) return Double.POSITIVE_INFINITY;
        if (neg) return Double.NEGATIVE_INFINITY;
        if (s.signum() == 0) return allNegZero ? -0.0 : 0.0;
        return Double.parseDouble(s.toString());
    }

    static double exact(List<Double> xs) {
        ExactSum a = ExactSum.scalar();
        for (double x : xs) a.add(x);
        return a.value();
    }

    /** Splits xs at random into k accumulators, merges them in a random order: the grouping must not matter. */
    static double grouped(List<Double> xs, Random r) {
        int k = 1 + r.nextInt(5);
        List<ExactSum> parts = new ArrayList<>();
        for (int i = 0; i < k; i++) parts.add(ExactSum.scalar());
        for (double x : xs) parts.get(r.nextInt(k)).add(x);
        Collections.shuffle(parts, r);
        while (parts.size() > 1) {
            ExactSum a = parts.remove(r.nextInt(parts.size())), b = parts.remove(r.nextInt(parts.size()));
            parts.add(a.add(b));
        }
        return parts.get(0).value();
    }

    static void check(List<Double> xs, long seed) {
        double ref = reference(xs);
        Random r = new Random(seed);
        List<Double> ys = new ArrayList<>(xs);
        for (int t = 0; t < 30; t++) {
            Collections.shuffle(ys, r);
            assertEquals(Double.doubleToRawLongBits(ref), Double.doubleToRawLongBits(exact(ys)), () -> ys + ": " + ref + " vs " + exact(ys));
            assertEquals(Double.doubleToRawLongBits(ref), Double.doubleToRawLongBits(grouped(ys, r)), ys::toString);
        }
    }

    @Test
    void cancellationAndTheExtremes() {
        check(List.of(1e308, 1e308, -1e308), 1); // no intermediate overflow
        check(List.of(1e308, 1e308), 2); // a finite exact sum beyond MAX_VALUE rounds to +inf
        check(List.of(-Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, Math.ulp(Double.MAX_VALUE) / 2), 3);
        check(List.of(Double.MAX_VALUE, Math.ulp(Double.MAX_VALUE) / 2), 4); // exactly half way: ties to even at the top → inf
        check(List.of(Double.MAX_VALUE, Math.ulp(Double.MAX_VALUE) / 2, -Double.MIN_VALUE), 5); // just below half: MAX_VALUE
        check(List.of(1.0, 1e100, 1.0, -1e100), 6); // 2, where a plain sum gives 0
        check(List.of(1.0, 0x1p-53), 7); // a tie, to even: 1
        check(List.of(1.0, 0x1p-53, 0x1p-105), 8); // just above the tie: 1 + 2^-52
        check(List.of(1.0 + 0x1p-52, 0x1p-53), 9); // a tie from an odd significand: up
        check(List.of(Double.MIN_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE), 10);
        check(List.of(Double.MIN_NORMAL, -Double.MIN_VALUE), 11); // the largest subnormal
        check(List.of(0x1p-1074 * 3, 0x1p-1060, -0x1p-1061), 12);
        check(List.of(-0.0, -0.0), 13);
        check(List.of(-0.0, 0.0), 14);
        check(List.of(1.5, -1.5), 15);
        check(List.of(-1.5, -0.0, 1.5), 16);
        check(List.of(), 17);
        check(List.of(Double.NaN, 1.0), 18);
        check(List.of(Double.POSITIVE_INFINITY, 1e308, 1e308), 19);
        check(List.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY), 20);
        check(List.of(Double.NEGATIVE_INFINITY, -1.0), 21);
        check(List.of(Double.longBitsToDouble(0x7ff8_0000_0000_0001L), Double.POSITIVE_INFINITY), 22);
    }

    /** n inputs meant to break a sum: any binade, subnormals, near-overflow values, cancellations of earlier inputs. */
    static List<Double> adversarial(Random r, int n) {
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = switch (r.nextInt(5)) {
                case 0 -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(2098) - 1074); // any binade, subnormals included
                case 1 -> r.nextGaussian();
                case 2 -> Double.longBitsToDouble(r.nextLong() & 0x000F_FFFF_FFFF_FFFFL); // a subnormal
                case 3 -> (r.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * r.nextDouble();
                default -> xs.isEmpty() ? 1.0 : -xs.get(r.nextInt(xs.size())); // cancel an earlier input
            };
            xs.add(x);
        }
        return xs;
    }

    @Test
    void randomAdversarialSets() {
        Random r = new Random(42);
        for (int t = 0; t < 200; t++) check(adversarial(r, r.nextInt(40)), t);
    }

    /**
     * A tensor accumulator keeps its elements apart: each of 12 elements gets its own adversarial inputs (one tensor
     * per input position), added into a random grouping of accumulators that are serialised and merged in a random
     * order; every element must be its own exact sum, bitwise. Rank 0 cannot tell the digits' layout from another.
     */
    @Test
    void tensorElementsAreSummedApart() throws Exception {
        Random r = new Random(5);
        int[] shape = {3, 4};
        for (int t = 0; t < 40; t++) {
            int n = 1 + r.nextInt(30);
            List<List<Double>> inputs = new ArrayList<>();
            for (int e = 0; e < 12; e++) inputs.add(adversarial(r, n));
            List<ExactSum> parts = new ArrayList<>();
            for (int k = 1 + r.nextInt(4); k > 0; k--) parts.add(ExactSum.ofShape(shape));
            for (int i = 0; i < n; i++) {
                double[] v = new double[12];
                for (int e = 0; e < 12; e++) v[e] = inputs.get(e).get(i);
                parts.get(r.nextInt(parts.size())).add(Tensor.of(v, shape));
            }
            while (parts.size() > 1) {
                ExactSum a = parts.remove(r.nextInt(parts.size())), b = roundTrip(parts.remove(r.nextInt(parts.size())));
                parts.add(a.add(b));
            }
            double[] got = parts.get(0).result().toArray();
            for (int e = 0; e < 12; e++) {
                double ref = reference(inputs.get(e));
                assertEquals(Double.doubleToRawLongBits(ref), Double.doubleToRawLongBits(got[e]), "element " + e + " of round " + t + ": " + ref + " vs " + got[e]);
            }
        }
    }

    /**
     * Inputs from 70 binades below to 70 above a first one, in steps of 3 so that the 32-bit digit boundaries fall
     * at every offset within an input's 53 bits (shift 0 included), both signs,
     * all-ones significands whose carries cross digits, at the bottom and the top of the range, in 30 orders.
     */
    @Test
    void inputsAroundTheFirstOnesWindow() {
        Random r = new Random(11);
        for (double first : new double[] {1.0, -3.75, Double.MIN_VALUE, 0x1p-1000, 0x1p1000, Double.MAX_VALUE / 4}) {
            List<Double> xs = new ArrayList<>(List.of(first));
            int e = Math.getExponent(first);
            for (int k = -70; k <= 70; k += 3) {
                double x = Math.scalb(1 + r.nextDouble(), Math.max(-1074, Math.min(1020, e + k)));
                xs.add(r.nextBoolean() ? x : -x);
                xs.add(Math.scalb((double) ((1L << 53) - 1), Math.max(-1074, Math.min(970, e + k - 52)))); // every bit set
            }
            check(xs, Double.doubleToLongBits(first));
        }
    }

    @Test
    void tensorsElementwiseMergedAndSerialized() throws Exception {
        Random r = new Random(7);
        int n = 6, rows = 50;
        double[][] in = new double[rows][n];
        for (double[] row : in) for (int j = 0; j < n; j++) row[j] = Math.scalb(r.nextGaussian(), r.nextInt(200) - 100);
        ExactSum all = ExactSum.ofShape(2, 3), half = ExactSum.ofShape(2, 3);
        for (int i = 0; i < rows; i++) (i % 2 == 0 ? all : half).add(Tensor.of(in[i], 2, 3));
        ExactSum back = roundTrip(half);
        all.add(back);
        double[] got = all.result().toArray();
        for (int j = 0; j < n; j++) {
            List<Double> col = new ArrayList<>();
            for (double[] row : in) col.add(row[j]);
            assertEquals(reference(col), got[j]);
        }
        assertArrayEquals(new int[] {2, 3}, all.result().shape());
        assertEquals(reference(List.of(3.0, -0.0)), roundTrip(ExactSum.scalar().add(3.0).add(-0.0)).value());
        assertEquals(-0.0, roundTrip(ExactSum.scalar().add(-0.0)).value());
    }

    @Test
    void refusals() {
        assertThrows(IllegalArgumentException.class, () -> ExactSum.ofShape(2).add(1.0));
        assertThrows(IllegalArgumentException.class, () -> ExactSum.ofShape(2).value());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExactSum.ofShape(2).add(Tensor.ones(3)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExactSum.ofShape(2).add(ExactSum.scalar()));
        assertThrows(IllegalArgumentException.class, () -> ExactSum.ofShape(-1));
        assertEquals(0, ExactSum.ofShape(0, 4).result().size());
        ExactSum two = ExactSum.scalar().add(2.0);
        assertEquals(4.0, two.add(two).value()); // merged with itself: doubled
    }

    static ExactSum roundTrip(ExactSum s) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(s);
        }
        try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            return (ExactSum) i.readObject();
        }
    }
}
