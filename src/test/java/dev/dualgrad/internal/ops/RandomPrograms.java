package dev.dualgrad.internal.ops;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;

/**
 * {@link RandomCompositionProperties}' seeded random compositions of registry ops, opened to test
 * classes of other packages (the Taylor properties): the program of a seed as a function of one packed
 * vector (its inputs flattened and concatenated), the point, and the printed program.
 */
public final class RandomPrograms {
    private RandomPrograms() {}

    /** The base seed of {@link RandomCompositionProperties}. */
    public static final long BASE_SEED = RandomCompositionProperties.BASE_SEED;

    /**
     * One program.
     *
     * @param f           z ↦ the program on the inputs unpacked from z
     * @param z           the inputs, packed
     * @param description the program, its shapes and values, for failure messages
     */
    public record Sample(TensorFunction f, Tensor z, String description) {}

    /**
     * The program of a seed.
     *
     * @param seed the seed
     * @return the program as a function of the packed inputs, at its inputs
     */
    public static Sample program(long seed) {
        RandomCompositionProperties.Program p = RandomCompositionProperties.program(seed);
        Tensor[] xs = p.inputs;
        int[][] shapes = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) shapes[i] = xs[i].shape();
        int[] off = SparsityOracle.offsets(shapes);
        TensorFunction f = z -> {
            Tensor[] parts = new Tensor[shapes.length];
            for (int k = 0; k < shapes.length; k++) parts[k] = z.slice(0, off[k], off[k] + SparsityOracle.size(shapes[k])).reshape(shapes[k]);
            return p.apply(parts);
        };
        return new Sample(f, SparsityOracle.pack(xs), p.describe());
    }
}
