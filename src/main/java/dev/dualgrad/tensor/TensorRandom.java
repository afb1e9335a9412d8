package dev.dualgrad.tensor;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import org.apache.commons.math3.random.Well19937c;

/**
 * A seeded source of random tensors: {@code TensorRandom.seed(42).normal(3, 5)} is a 3×5 tensor of
 * standard normal values, the same on every run and every machine. The seed is named by the method
 * that takes it, so it cannot be mistaken for a dimension.
 *
 * <p>The values come from Commons Math's Well19937c generator seeded with the given seed, one stream
 * per {@code TensorRandom}: successive calls continue the stream, so
 * {@code r.normal(2)} then {@code r.normal(3)} give five values in all, not two overlapping draws. A
 * {@code TensorRandom} is not safe for use by several threads at once; give each thread its own seed.</p>
 *
 * <p>Serializable with its state: a deserialized generator (or a {@link #copy()}) continues the stream
 * from the point where it was written, drawing exactly what the original draws next.</p>
 */
public final class TensorRandom implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Well19937c rng;

    private TensorRandom(long seed) {
        this.rng = new Well19937c(seed);
    }

    /**
     * A generator seeded with {@code seed}.
     *
     * @param seed any long; equal seeds give equal streams
     * @return a new generator at the start of its stream
     */
    public static TensorRandom seed(long seed) {
        return new TensorRandom(seed);
    }

    private TensorRandom(Well19937c rng) {
        this.rng = rng;
    }

    /**
     * An independent generator at the same point of the same stream: from here on it draws exactly the
     * values this one draws next, and drawing from one does not advance the other.
     *
     * @return the copy
     */
    public TensorRandom copy() {
        try { // Well19937c has no copy constructor; its serialized form is its whole state
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
                out.writeObject(rng);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b.toByteArray()))) {
                return new TensorRandom((Well19937c) in.readObject());
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new IllegalStateException("TensorRandom.copy: the generator's state could not be copied", e);
        }
    }

    /**
     * Values drawn from the standard normal distribution N(0, 1).
     *
     * @param shape the dimensions of the result; none for a 0-d tensor
     * @return a new tensor of that shape
     * @throws IllegalArgumentException when a dimension is negative or the size exceeds 2³¹ − 1
     */
    public Tensor normal(int... shape) {
        Args.nonNull(shape, "TensorRandom.normal", "shape");
        double[] d = new double[Shape.size("TensorRandom.normal", shape)];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian();
        return Tensors.adopt(d, shape.clone());
    }

    /**
     * Values drawn uniformly from the half-open interval [lo, hi).
     *
     * @param lo the smallest value that can be drawn
     * @param hi the bound no value reaches; must be greater than lo, and both finite
     * @param shape the dimensions of the result
     * @return a new tensor of that shape
     * @throws IllegalArgumentException when lo ≥ hi, a bound is not finite, or the shape is invalid
     */
    public Tensor uniform(double lo, double hi, int... shape) {
        Args.nonNull(shape, "TensorRandom.uniform", "shape");
        if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("uniform: the interval [" + lo + ", " + hi + ") must be finite and non-empty (lo < hi)");
        }
        double[] d = new double[Shape.size("TensorRandom.uniform", shape)];
        for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rng.nextDouble();
        return Tensors.adopt(d, shape.clone());
    }
}
