package dev.dualgrad.testing;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.arbitraries.ArbitraryDecorator;

/**
 * A configurable jqwik arbitrary of tensors. The shape is generated first, then the values, so a
 * failing case shrinks to a small shape and then to simple values. Each setter returns a copy.
 *
 * <pre>{@code
 * @Property
 * void myProperty(@ForAll("inputs") Tensor x) { ... }
 *
 * @Provide
 * Arbitrary<Tensor> inputs() {
 *     return TensorArbitraries.tensors().rank(1, 3).dims(1, 5).positive();
 * }
 * }</pre>
 */
public final class TensorArbitrary extends ArbitraryDecorator<Tensor> {
    /** Extreme values mixed in by {@link #withSpecialValues()}; private, since an array field could be written. */
    private static final double[] SPECIAL_VALUES = {0.0, -0.0, 1e-308, -1e-308, 709.78, -709.78, 745, -745, 1e4, -1e4,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    private int[] fixedShape;
    private int minRank = 0, maxRank = 3, minDim = 1, maxDim = 4;
    private double lo = -2, hi = 2;
    private double[] kinks = {};
    private double margin = 0.05;
    private boolean special;

    TensorArbitrary() {}

    /**
     * The extreme values that {@link #withSpecialValues()} mixes in: ±0, ±1e-308, ±709.78 (near exp's
     * overflow), ±745 (exp's underflow to 0), ±1e4, ±∞ and NaN.
     *
     * @return a new array holding them
     */
    public static double[] specialValues() {
        return SPECIAL_VALUES.clone();
    }

    /**
     * Always this shape.
     *
     * @param shape the dimensions; none for 0-d tensors
     * @return a copy of this generator with the shape fixed
     * @throws IllegalArgumentException when a dimension is negative
     */
    public TensorArbitrary shape(int... shape) {
        Args.nonNull(shape, "TensorArbitrary.shape", "shape");
        Shape.size(shape); // validates
        TensorArbitrary c = typedClone();
        c.fixedShape = shape.clone();
        return c;
    }

    /**
     * Ranks between min and max inclusive (default 0..3).
     *
     * @param min the smallest rank, at least 0
     * @param max the largest rank, at least min
     * @return a copy of this generator with those ranks (and no fixed shape)
     * @throws IllegalArgumentException when min &lt; 0 or max &lt; min
     */
    public TensorArbitrary rank(int min, int max) {
        if (min < 0 || max < min) throw new IllegalArgumentException("TensorArbitrary.rank: need 0 ≤ min ≤ max, got " + min + ", " + max);
        TensorArbitrary c = typedClone();
        c.minRank = min;
        c.maxRank = max;
        c.fixedShape = null;
        return c;
    }

    /**
     * Sizes of each axis between min and max inclusive (default 1..4).
     *
     * @param min the smallest size, at least 0
     * @param max the largest size, at least min
     * @return a copy of this generator with those sizes (and no fixed shape)
     * @throws IllegalArgumentException when min &lt; 0 or max &lt; min
     */
    public TensorArbitrary dims(int min, int max) {
        if (min < 0 || max < min) throw new IllegalArgumentException("TensorArbitrary.dims: need 0 ≤ min ≤ max, got " + min + ", " + max);
        TensorArbitrary c = typedClone();
        c.minDim = min;
        c.maxDim = max;
        c.fixedShape = null;
        return c;
    }

    /**
     * Values in [lo, hi] (jqwik's doubles, which shrink towards the value nearest 0).
     *
     * @param lo the smallest value
     * @param hi the largest value, at least lo
     * @return a copy of this generator with that range
     * @throws IllegalArgumentException when a bound is infinite or NaN, or hi &lt; lo
     */
    public TensorArbitrary between(double lo, double hi) {
        if (!(lo <= hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("TensorArbitrary.between: need finite lo ≤ hi, got " + lo + ", " + hi);
        }
        TensorArbitrary c = typedClone();
        c.lo = lo;
        c.hi = hi;
        return c;
    }

    /** @return a copy of this generator with values in [−2, 2] (the default) */
    public TensorArbitrary real() {
        return between(-2, 2);
    }

    /** @return a copy of this generator with values in [0.2, 3]: the domain of log, sqrt and negative powers */
    public TensorArbitrary positive() {
        return between(0.2, 3);
    }

    /** @return a copy of this generator with values in [0.05, 0.95], inside the open unit interval (probabilities, BCE) */
    public TensorArbitrary unitInterval() {
        return between(0.05, 0.95);
    }

    /**
     * Keeps every value at least {@code margin} away from each kink (relu at 0, clamp's bounds), where
     * finite differences would straddle a jump in the derivative.
     *
     * @param margin the smallest distance to a kink, positive
     * @param kinks the points to stay away from
     * @return a copy of this generator with the filter
     * @throws IllegalArgumentException when margin is not positive
     */
    public TensorArbitrary awayFrom(double margin, double... kinks) {
        Args.nonNull(kinks, "TensorArbitrary.awayFrom", "kinks");
        if (!(margin > 0)) throw new IllegalArgumentException("TensorArbitrary.awayFrom: margin must be positive, got " + margin);
        TensorArbitrary c = typedClone();
        c.kinks = kinks.clone();
        c.margin = margin;
        return c;
    }

    /** @return a copy of this generator that mixes in the extreme values of {@link #specialValues()}, one value in five */
    public TensorArbitrary withSpecialValues() {
        TensorArbitrary c = typedClone();
        c.special = true;
        return c;
    }

    /** @return the configured generator: a shape first, then values for it, so failures shrink to small shapes */
    @Override
    protected Arbitrary<Tensor> arbitrary() {
        Arbitrary<int[]> shapes = fixedShape != null ? Arbitraries.just(fixedShape)
                : Arbitraries.integers().between(minRank, maxRank)
                        .flatMap(r -> Arbitraries.integers().between(minDim, maxDim).array(int[].class).ofSize(r));
        return shapes.flatMap(this::values);
    }

    private Arbitrary<Tensor> values(int[] shape) {
        Arbitrary<Double> v = Arbitraries.doubles().between(lo, hi).ofScale(6);
        if (kinks.length > 0) v = v.filter(this::farFromKinks);
        if (special) v = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, v), net.jqwik.api.Tuple.of(1, Arbitraries.of(boxed(SPECIAL_VALUES))));
        return v.list().ofSize(Shape.size(shape)).map(l -> Tensor.of(unbox(l), shape));
    }

    private boolean farFromKinks(double x) {
        for (double k : kinks) if (Math.abs(x - k) < margin) return false;
        return true;
    }

    private static Double[] boxed(double[] d) {
        return Arrays.stream(d).boxed().toArray(Double[]::new);
    }

    private static double[] unbox(List<Double> l) {
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) d[i] = l.get(i);
        return d;
    }
}
