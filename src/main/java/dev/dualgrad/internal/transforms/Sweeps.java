package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;

/**
 * The one seeding loop of every Jacobian-like transform ({@code jacobian} and {@code batchJacobian} in
 * either mode, {@code hessian} through {@code jacobian}, {@code JacobianPenalty.exact} through
 * {@code batchJacobian}'s stack): the directions e₀, …, e_{n−1} of a {@link Space} are seeded in chunks
 * of at most {@code chunk}, each chunk is evaluated at once by a {@link Pass}, and every result of the
 * passes is concatenated along its leading (direction) axis.
 *
 * <p>Pass p seeds directions [p·chunk, p·chunk + k) with k = min(chunk, n − p·chunk); the last pass is the
 * partial one. Seed i of a pass is the one-hot e_{p·chunk + i} (for a coloured space, the indicator of colour
 * p·chunk + i: the compressed sparse Jacobians and Hessians), so the concatenation of the passes' results
 * holds direction j at row j, whatever the chunk size.</p>
 */
final class Sweeps {
    private Sweeps() {}

    /**
     * Evaluates k seeded directions at once.
     */
    @FunctionalInterface
    interface Pass {
        /**
         * @param seeds one per part of the space, shaped [k, ...part shape]; null where no direction of this
         *              pass lies in that part (the part is not perturbed at all)
         * @param k the number of directions of this pass
         * @return the results, each with a leading axis of the k directions, in the order of the seeds
         */
        Tensor[] run(Tensor[] seeds, int k);
    }

    /**
     * Where the directions live: one or more parts (the inputs of {@code jacobian}, or one output), each
     * made of {@code samples} rows along its first axis when {@code samples > 1}. Direction j is the
     * one-hot vector of element j of one sample's elements of all parts laid end to end, put on every
     * sample at once: for one part of shape [B, D] (samples = B), direction j is 1 at (s, j) for every s.
     *
     * @param parts the shapes of the parts
     * @param samples the rows every direction is repeated on (1: no batch)
     */
    record Space(int[][] parts, int samples, int[] colour, int colours) {
        /** Plain parts, no batch: direction j is e_j of their concatenated elements. */
        static Space of(int[]... shapes) {
            return new Space(shapes, 1, null, 0);
        }

        /** One part [B, ...] whose B samples each get every direction. */
        static Space perSample(int[] shape) {
            return new Space(new int[][] {shape}, shape[0], null, 0);
        }

        /**
         * One part whose direction c is the indicator of colour c, the sum of e_j over the elements j with
         * {@code colour[j] == c}: the seeds of a compressed (coloured) sparse Jacobian or Hessian.
         */
        static Space coloured(int[] shape, int[] colour, int colours) {
            return new Space(new int[][] {shape}, 1, colour, colours);
        }

        /** The number of directions: the elements of one sample summed over the parts, or the colours. */
        long directions() {
            if (colour != null) return colours;
            long n = 0;
            for (int[] p : parts) n += sampleSize(p);
            return n;
        }

        private int sampleSize(int[] part) {
            return samples == 0 ? 0 : Shape.size(part) / samples;
        }

        /** The seeds of directions [first, first + k), one per part, null for a part none of them lies in. */
        Tensor[] seeds(long first, int k) {
            if (colour != null) {
                int size = colour.length;
                int[] shape = Shape.concat(new int[] {k}, parts[0]);
                double[] d = new double[Shape.size("sparse seeds", shape)]; // k·size may exceed 2³¹ − 1: refused by name
                for (int e = 0; e < size; e++) {
                    long dir = colour[e] - first;
                    if (dir >= 0 && dir < k) d[(int) dir * size + e] = 1;
                }
                return new Tensor[] {Tensors.adopt(d, shape)};
            }
            Tensor[] seeds = new Tensor[parts.length];
            long offset = 0;
            for (int i = 0; i < parts.length; i++) {
                int size = sampleSize(parts[i]);
                long lo = Math.max(first, offset), hi = Math.min(first + k, offset + size);
                if (lo < hi) {
                    double[] d = new double[k * samples * size];
                    for (long j = lo; j < hi; j++) {
                        int dir = (int) (j - first), e = (int) (j - offset);
                        for (int s = 0; s < samples; s++) d[(dir * samples + s) * size + e] = 1;
                    }
                    seeds[i] = Tensors.adopt(d, Shape.concat(new int[] {k}, parts[i]));
                }
                offset += size;
            }
            return seeds;
        }
    }

    /** ⌈n / chunk⌉: the passes that cover n directions. */
    static int passes(long n, int chunk) {
        return (int) ((n + chunk - 1) / chunk);
    }

    /**
     * Every direction of {@code space}, {@code chunk} per pass.
     *
     * @return result r of the passes concatenated along axis 0 (direction j at row j), for each r; null when
     *         the space has no directions (no pass ran)
     */
    static Tensor[] sweep(Space space, int chunk, Pass pass) {
        if (chunk < 1) throw new IllegalArgumentException("chunk must be ≥ 1, got " + chunk);
        long n = space.directions();
        int passes = passes(n, chunk);
        if (passes == 0) return null;
        Tensor[][] results = null;
        for (int p = 0; p < passes; p++) {
            long first = (long) p * chunk;
            int k = (int) Math.min(chunk, n - first);
            Tensor[] r = pass.run(space.seeds(first, k), k);
            if (results == null) results = new Tensor[r.length][passes];
            for (int i = 0; i < r.length; i++) results[i][p] = r[i];
        }
        Tensor[] out = new Tensor[results.length];
        for (int i = 0; i < out.length; i++) out[i] = passes == 1 ? results[i][0] : Tensor.concat(0, results[i]);
        return out;
    }
}
