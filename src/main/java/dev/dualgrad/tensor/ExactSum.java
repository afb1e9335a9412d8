package dev.dualgrad.tensor;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Tensors;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * An exact, order-independent sum of doubles, elementwise over a fixed shape (rank 0 for a scalar): the
 * result is the correctly rounded (round half to even) value of the exact mathematical sum of every input,
 * so it is the same bits whatever the order or grouping of the inputs, and whichever accumulators were
 * merged with {@link #add(ExactSum)} in whatever tree. This is what makes a gradient summed over blocks, on
 * threads or on a cluster, bitwise reproducible.
 *
 * <p>Each element is a fixed-point integer in units of 2⁻¹⁰⁷⁴ (the smallest subnormal): every finite double
 * is an integer multiple of it, so adding one is exact. The integer is held as 68 signed 32-bit digits (a
 * "superaccumulator", 2176 bits: all of the double range, a sign and 2⁷⁶ of headroom), with carries propagated
 * lazily, so an addition costs a few integer operations per element. The exact sum is rounded once, by
 * {@link #value()} or {@link #result()}.</p>
 *
 * <p>Special values follow IEEE 754 addition: a NaN input, or both +∞ and −∞, gives NaN; otherwise an
 * infinite input gives that infinity. A finite exact sum beyond the double range rounds to ±∞ as IEEE
 * rounding does (|S| ≥ MAX_VALUE + ½ulp). Unlike a sequential sum, no intermediate overflow occurs: 1e308 +
 * 1e308 − 1e308 is 1e308. The sum of no inputs is +0.0; −0.0 results only when every input was −0.0, as in
 * IEEE arithmetic.</p>
 *
 * <p>Mutable and not thread-safe: give each thread its own and merge them. Serializable in a compact form
 * (only each element's nonzero digits).</p>
 */
public final class ExactSum implements Serializable {
    private static final long serialVersionUID = 1L;
    /** 32-bit digits per element: bits 0 .. 2098 of any double's position, plus carry headroom. */
    private static final int DIGITS = 68;
    private static final long MASK = 0xFFFF_FFFFL;
    /** Additions between carry propagations: each changes a digit by less than 2³², so 2³⁰ of them stay below 2⁶². */
    private static final int CARRY_EVERY = 1 << 30;
    private static final byte NAN = 1, POS_INF = 2, NEG_INF = 4, NOT_NEG_ZERO = 8, SEEN = 16;

    private final int[] shape;
    private final int size;
    /**
     * Digit-major: digit i of element e is {@code digits[i * size + e]}. A tensor's values mostly share a few
     * exponents, so adding one touches a few rows, each in element order: a stream through memory. Element-major
     * (each element's 68 digits together) touched one cache line per element across all 68·8·size bytes, which in
     * a gradient loop, with the model's own data in cache between additions, cost 3–8 times more.
     */
    private transient long[] digits;
    /** Per element: SEEN (any input), NAN, POS_INF, NEG_INF, NOT_NEG_ZERO (an input other than −0.0). */
    private transient byte[] flags;
    private transient int pending;

    private ExactSum(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("ExactSum: negative dimension in shape " + Arrays.toString(shape));
            n *= d;
            if (n > Integer.MAX_VALUE / DIGITS) throw new IllegalArgumentException("ExactSum: shape " + Arrays.toString(shape) + " is too large");
        }
        this.shape = shape.clone();
        this.size = (int) n;
        this.digits = new long[size * DIGITS];
        this.flags = new byte[size];
    }

    /**
     * An empty accumulator of one scalar (rank 0).
     *
     * @return a sum of no inputs, +0.0
     */
    public static ExactSum scalar() {
        return new ExactSum(new int[0]);
    }

    /**
     * An empty accumulator of tensors of the given shape, summed elementwise.
     *
     * @param shape the shape of every tensor added (no dimensions for a scalar)
     * @return a sum of no inputs, all +0.0
     * @throws IllegalArgumentException when a dimension is negative or the shape too large
     */
    public static ExactSum ofShape(int... shape) {
        Args.nonNull(shape, "ExactSum.ofShape", "shape");
        return new ExactSum(shape);
    }

    /**
     * An accumulator holding the given values exactly: {@code ofShape(t.shape()).add(t)}.
     *
     * @param t the first input
     * @return the accumulator
     */
    public static ExactSum of(Tensor t) {
        Args.nonNull(t, "ExactSum.of", "t");
        return new ExactSum(t.shape()).add(t);
    }

    /** @return the shape of the sums (a copy) */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Adds x exactly to a scalar accumulator (or to one of a single element).
     *
     * @param x the input, any double
     * @return this accumulator
     * @throws IllegalArgumentException when this accumulator has more or fewer than one element
     */
    public ExactSum add(double x) {
        if (size != 1) throw new IllegalArgumentException("ExactSum.add(double): this sum has shape " + Arrays.toString(shape) + ", add a tensor");
        step();
        addAt(0, x);
        return this;
    }

    /**
     * Adds a tensor exactly, elementwise.
     *
     * @param t the input, of this accumulator's shape
     * @return this accumulator
     * @throws IllegalArgumentException when the shape differs
     */
    public ExactSum add(Tensor t) {
        Args.nonNull(t, "ExactSum.add", "t");
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("ExactSum.add: t has shape " + Arrays.toString(t.shape()) + " but this sum has shape " + Arrays.toString(shape));
        }
        double[] v = Tensors.buffer(t);
        step();
        for (int i = 0; i < size; i++) addAt(i, v[i]);
        return this;
    }

    /**
     * Merges another accumulator into this one: afterwards this holds the exact sum of both sets of inputs.
     * The other is unchanged (its carries may be propagated).
     *
     * @param other an accumulator of the same shape (it may be this one: the sum is then doubled)
     * @return this accumulator
     * @throws IllegalArgumentException when the shapes differ
     */
    public ExactSum add(ExactSum other) {
        Args.nonNull(other, "ExactSum.add", "other");
        if (!Arrays.equals(other.shape, shape)) {
            throw new IllegalArgumentException("ExactSum.add: other has shape " + Arrays.toString(other.shape) + " but this sum has shape " + Arrays.toString(shape));
        }
        other.carry();
        carry();
        long[] o = other == this ? other.digits.clone() : other.digits; // the same array only when doubling
        for (int i = 0; i < o.length; i++) digits[i] += o[i];
        for (int i = 0; i < size; i++) flags[i] |= other.flags[i];
        pending = 1;
        return this;
    }

    /**
     * The correctly rounded sum of a scalar accumulator.
     *
     * @return the sum, rounded once (see the class description for NaN, ±∞ and −0.0)
     * @throws IllegalArgumentException when this accumulator has more or fewer than one element
     */
    public double value() {
        if (size != 1) throw new IllegalArgumentException("ExactSum.value: this sum has shape " + Arrays.toString(shape) + ", use result()");
        carry();
        return round(0);
    }

    /**
     * The correctly rounded sums, elementwise.
     *
     * @return a new tensor of this accumulator's shape
     */
    public Tensor result() {
        carry();
        double[] r = new double[size];
        for (int i = 0; i < size; i++) r[i] = round(i);
        return Tensors.adopt(r, shape.clone());
    }

    /** @return e.g. "ExactSum[2, 3]" */
    @Override
    public String toString() {
        return "ExactSum" + Arrays.toString(shape);
    }

    // ------------------------------------------------------------------ the arithmetic

    private void step() {
        if (++pending >= CARRY_EVERY) carry();
    }

    private void addAt(int e, double x) {
        long bits = Double.doubleToRawLongBits(x);
        int exp = (int) (bits >>> 52) & 0x7FF;
        long m = bits & 0xF_FFFF_FFFF_FFFFL;
        flags[e] |= SEEN;
        if (exp == 0x7FF) {
            flags[e] |= m != 0 ? NAN : bits < 0 ? NEG_INF : POS_INF;
            flags[e] |= NOT_NEG_ZERO;
            return;
        }
        if (bits != 0x8000_0000_0000_0000L) flags[e] |= NOT_NEG_ZERO;
        if (m == 0 && exp == 0) return;
        int p; // the position of m's lowest bit, in units of 2^-1074
        if (exp == 0) {
            p = 0;
        } else {
            m |= 1L << 52;
            p = exp - 1;
        }
        int d = (p >>> 5) * size + e, s = p & 31; // digit rows are size apart: see digits
        long d0, d1, d2;
        if (s == 0) {
            d0 = m & MASK;
            d1 = m >>> 32;
            d2 = 0;
        } else {
            d0 = (m << s) & MASK;
            d1 = (m >>> (32 - s)) & MASK;
            d2 = m >>> (64 - s);
        }
        long sign = bits >> 63; // 0, or −1 for a negative x: (v ^ sign) − sign is v or −v, with no branch to mispredict
        digits[d] += (d0 ^ sign) - sign;
        digits[d + size] += (d1 ^ sign) - sign;
        digits[d + 2 * size] += (d2 ^ sign) - sign;
    }

    /** Propagates carries: every digit but each element's top one into [0, 2³²), the top one signed. */
    private void carry() {
        if (pending == 0) return;
        for (int row = 0, o = 0; row < DIGITS - 1; row++, o += size) { // row by row: each element's digits still in order
            for (int i = o; i < o + size; i++) {
                long c = digits[i] >> 32;
                digits[i] -= c << 32;
                digits[i + size] += c;
            }
        }
        pending = 0;
    }

    /** Element e's exact integer, rounded to the nearest double (ties to even); the digits are carried. */
    private double round(int e) {
        byte f = flags[e];
        if ((f & NAN) != 0 || (f & (POS_INF | NEG_INF)) == (POS_INF | NEG_INF)) return Double.NaN;
        if ((f & POS_INF) != 0) return Double.POSITIVE_INFINITY;
        if ((f & NEG_INF) != 0) return Double.NEGATIVE_INFINITY;
        long[] mag = new long[DIGITS];
        for (int i = 0; i < DIGITS; i++) mag[i] = digits[i * size + e];
        boolean negative = mag[DIGITS - 1] < 0;
        if (negative) { // two's complement to magnitude: negate each digit, then carry again
            for (int i = 0; i < DIGITS; i++) mag[i] = -mag[i];
            for (int i = 0; i < DIGITS - 1; i++) {
                long c = mag[i] >> 32;
                mag[i] -= c << 32;
                mag[i + 1] += c;
            }
        }
        int top = DIGITS - 1;
        while (top >= 0 && mag[top] == 0) top--;
        if (top < 0) return (f & SEEN) != 0 && (f & NOT_NEG_ZERO) == 0 ? -0.0 : 0.0;
        int length = 32 * top + 64 - Long.numberOfLeadingZeros(mag[top]); // the bit length of the magnitude
        long bits;
        if (length <= 53) {
            bits = bitsAt(mag, 0); // M < 2^53: the raw bits of M·2^-1074 are M itself (subnormal or the first binade)
        } else {
            int shift = length - 53;
            long window = bitsAt(mag, shift - 1); // the 53 kept bits and the rounding bit, at the bottom of 54
            long q = window >>> 1 & ((1L << 53) - 1);
            boolean half = (window & 1) != 0;
            boolean sticky = below(mag, shift - 1);
            if (half && (sticky || (q & 1) != 0)) q++;
            if (q == 1L << 53) { // rounded up into the next binade
                q >>>= 1;
                shift++;
            }
            if (shift + 1 >= 0x7FF) return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            bits = ((long) shift << 52) + q; // q's leading bit adds 1 to the exponent field: exponent field shift + 1
        }
        return Double.longBitsToDouble(negative ? bits | 0x8000_0000_0000_0000L : bits);
    }

    /** Bits [lo, lo + 64) of the magnitude; lo ≥ 0. */
    private static long bitsAt(long[] mag, int lo) {
        int i = lo >>> 5, off = lo & 31;
        long r = 0;
        for (int k = 0; k < 3 && i + k < DIGITS; k++) {
            int at = 32 * k - off;
            long d = mag[i + k];
            r |= at >= 0 ? (at < 64 ? d << at : 0) : d >>> -at;
        }
        return r;
    }

    /** Whether any bit below position lo is set. */
    private static boolean below(long[] mag, int lo) {
        int i = lo >>> 5, off = lo & 31;
        for (int k = 0; k < i; k++) if (mag[k] != 0) return true;
        return off != 0 && (mag[i] & ((1L << off) - 1)) != 0;
    }

    // ------------------------------------------------------------------ serialization: the nonzero digits only

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        carry();
        out.write(flags);
        for (int e = 0; e < size; e++) { // per element, its digits from the lowest nonzero to the highest
            int lo = 0, hi = DIGITS;
            while (lo < DIGITS && digits[lo * size + e] == 0) lo++;
            while (hi > lo && digits[(hi - 1) * size + e] == 0) hi--;
            out.writeByte(lo);
            out.writeByte(hi - lo);
            for (int i = lo; i < hi; i++) out.writeLong(digits[i * size + e]);
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new InvalidObjectException("ExactSum: negative dimension");
            n *= d;
            if (n > Integer.MAX_VALUE / DIGITS) throw new InvalidObjectException("ExactSum: shape too large");
        }
        if (n != size) throw new InvalidObjectException("ExactSum: size " + size + " does not match shape " + Arrays.toString(shape));
        digits = new long[size * DIGITS];
        flags = new byte[size];
        in.readFully(flags);
        for (int e = 0; e < size; e++) {
            int lo = in.readUnsignedByte(), count = in.readUnsignedByte();
            if (lo + count > DIGITS) throw new InvalidObjectException("ExactSum: digit range out of bounds");
            for (int i = 0; i < count; i++) digits[(lo + i) * size + e] = in.readLong();
        }
        pending = 0;
    }
}
