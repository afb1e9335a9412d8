package dev.dualgrad.transforms;

/**
 * Options of the forward-Laplacian transforms ({@code Diff.laplacian}, {@code batchLaplacian},
 * {@code weightedLaplacian}, {@code biharmonic}, {@code laplacianEstimate}): the directions per pass,
 * the independence check of {@code batchLaplacian}, and for {@code laplacianEstimate} the number of
 * random directions, their distribution and the seed. Immutable: each setter returns a copy.
 *
 * <p>A pass carries, per value, D first-order rows and one second-order row: (D + 1)× the value's
 * memory. With a chunk size k the D directions go k at a time and the rows are summed (the result
 * does not depend on k beyond rounding).</p>
 */
public final class LaplacianOptions {
    private final int chunkSize;
    private final boolean checkIndependence;
    private final int samples;
    private final boolean gaussian;
    private final long seed;

    private LaplacianOptions(int chunkSize, boolean checkIndependence, int samples, boolean gaussian, long seed) {
        this.chunkSize = chunkSize;
        this.checkIndependence = checkIndependence;
        this.samples = samples;
        this.gaussian = gaussian;
        this.seed = seed;
    }

    /**
     * All directions in one pass, independence check on, and for the estimate 16 Rademacher directions
     * with seed 0.
     *
     * @return the default options
     */
    public static LaplacianOptions defaults() {
        return new LaplacianOptions(0, true, 16, false, 0);
    }

    /**
     * Directions per pass.
     *
     * @param k at least 1, or 0 for all in one pass
     * @return a copy with chunk size k
     * @throws IllegalArgumentException when k is negative
     */
    public LaplacianOptions chunkSize(int k) {
        if (k < 0) throw new IllegalArgumentException("LaplacianOptions.chunkSize: must be ≥ 1 (or 0 for all), got " + k);
        return new LaplacianOptions(k, checkIndependence, samples, gaussian, seed);
    }

    /**
     * Whether {@code batchLaplacian} first checks, in one extra forward pass, that no sample's output
     * depends on another sample's input (as {@code batchJacobian} does); on by default.
     *
     * @param on whether to check
     * @return a copy
     */
    public LaplacianOptions checkIndependence(boolean on) {
        return new LaplacianOptions(chunkSize, on, samples, gaussian, seed);
    }

    /**
     * The number R of random directions of {@code laplacianEstimate}.
     *
     * @param r at least 1
     * @return a copy with R = r
     * @throws IllegalArgumentException when r &lt; 1
     */
    public LaplacianOptions directions(int r) {
        if (r < 1) throw new IllegalArgumentException("LaplacianOptions.directions: the estimate needs at least 1 direction, got " + r);
        return new LaplacianOptions(chunkSize, checkIndependence, r, gaussian, seed);
    }

    /** @return a copy whose estimate draws directions with independent ±1 entries (the default; lowest variance) */
    public LaplacianOptions rademacher() {
        return new LaplacianOptions(chunkSize, checkIndependence, samples, false, seed);
    }

    /** @return a copy whose estimate draws directions with independent standard normal entries */
    public LaplacianOptions gaussian() {
        return new LaplacianOptions(chunkSize, checkIndependence, samples, true, seed);
    }

    /**
     * The seed of the estimate's directions: the same seed gives the same directions and the same estimate.
     *
     * @param s the seed
     * @return a copy
     */
    public LaplacianOptions seed(long s) {
        return new LaplacianOptions(chunkSize, checkIndependence, samples, gaussian, s);
    }

    /** @return directions per pass, 0 for all */
    public int chunkSize() {
        return chunkSize;
    }

    /** @return whether batchLaplacian checks independence */
    public boolean checkIndependence() {
        return checkIndependence;
    }

    /** @return R, the estimate's random directions */
    public int directions() {
        return samples;
    }

    /** @return true for Gaussian directions, false for Rademacher */
    public boolean isGaussian() {
        return gaussian;
    }

    /** @return the estimate's seed */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "LaplacianOptions[chunkSize=" + chunkSize + ", checkIndependence=" + checkIndependence + ", directions=" + samples
                + ", " + (gaussian ? "gaussian" : "rademacher") + ", seed=" + seed + "]";
    }
}
