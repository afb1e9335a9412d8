package dev.dualgrad.testing;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.tensor.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik generators of tensors for your own property-based tests. jqwik is an optional dependency of
 * dualgrad: add {@code net.jqwik:jqwik} to your test dependencies to use these.
 *
 * <ul>
 *   <li>{@link #tensors()}: one tensor, with a fluent configuration of shapes and values.</li>
 *   <li>{@link #sameShape}: several tensors of one random shape (for elementwise binary ops).</li>
 *   <li>{@link #broadcastablePair}: two tensors whose shapes broadcast (axes of size 1, missing axes).</li>
 *   <li>{@link #matmulPair}: [m, k] and [k, n] matrices, sized within bounds.</li>
 * </ul>
 * A parameter {@code @ForAll Tensor t} also works without a provider method: dualgrad registers an
 * ArbitraryProvider for Tensor (rank 0..3, sizes 1..4, values in [−2, 2]).
 */
public final class TensorArbitraries {
    private TensorArbitraries() {}

    /** @return tensors of rank 0..3, axes of size 1..4, values in [−2, 2]; configure them with the fluent setters */
    public static TensorArbitrary tensors() {
        return new TensorArbitrary();
    }

    /**
     * {@code count} tensors sharing one generated shape (rank 0..3, sizes 1..4), each drawn from
     * {@code values} with that shape: inputs for elementwise ops of several arguments.
     *
     * @param count how many tensors, at least 1
     * @param values the value configuration (its shape settings are replaced)
     * @return arrays of count tensors
     * @throws IllegalArgumentException when count &lt; 1
     */
    public static Arbitrary<Tensor[]> sameShape(int count, TensorArbitrary values) {
        Args.nonNull(values, "TensorArbitraries.sameShape", "values");
        if (count < 1) throw new IllegalArgumentException("sameShape: count must be ≥ 1, got " + count);
        return Arbitraries.integers().between(0, 3).flatMap(r -> Arbitraries.integers().between(1, 4).array(int[].class).ofSize(r))
                .flatMap(shape -> values.shape(shape).array(Tensor[].class).ofSize(count));
    }

    /**
     * Two tensors whose shapes broadcast against each other: a full shape of rank 1..3, and a second
     * shape that drops leading axes and sets some axes to 1, in random order of the two.
     *
     * @param values the value configuration (its shape settings are replaced)
     * @return arrays of two tensors
     */
    public static Arbitrary<Tensor[]> broadcastablePair(TensorArbitrary values) {
        Args.nonNull(values, "TensorArbitraries.broadcastablePair", "values");
        return Arbitraries.integers().between(1, 3)
                .flatMap(r -> Arbitraries.integers().between(1, 4).array(int[].class).ofSize(r))
                .flatMap(full -> Arbitraries.integers().between(0, full.length)
                        .flatMap(drop -> Arbitraries.of(true, false).array(boolean[].class).ofSize(full.length - drop)
                                .flatMap(ones -> {
                                    int[] other = new int[full.length - drop];
                                    for (int i = 0; i < other.length; i++) other[i] = ones[i] ? 1 : full[drop + i];
                                    return Arbitraries.of(true, false).flatMap(swap -> {
                                        Arbitrary<Tensor> a = values.shape(full), b = values.shape(other);
                                        return swap ? net.jqwik.api.Combinators.combine(b, a).as((x, y) -> new Tensor[] {x, y})
                                                : net.jqwik.api.Combinators.combine(a, b).as((x, y) -> new Tensor[] {x, y});
                                    });
                                })));
    }

    /**
     * A matrix pair [m, k], [k, n] with every size in 1..maxDim, for matmul.
     *
     * @param maxDim the largest size, at least 1
     * @param values the value configuration (its shape settings are replaced)
     * @return arrays of the two matrices
     */
    public static Arbitrary<Tensor[]> matmulPair(int maxDim, TensorArbitrary values) {
        Args.nonNull(values, "TensorArbitraries.matmulPair", "values");
        Arbitrary<Integer> d = Arbitraries.integers().between(1, maxDim);
        return net.jqwik.api.Combinators.combine(d, d, d).flatAs((m, k, n) ->
                net.jqwik.api.Combinators.combine(values.shape(m, k), values.shape(k, n)).as((a, b) -> new Tensor[] {a, b}));
    }
}
