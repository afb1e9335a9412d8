package dev.dualgrad.testing;

import dev.dualgrad.tensor.Tensor;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.providers.ArbitraryProvider;
import net.jqwik.api.providers.TypeUsage;

/** Lets jqwik generate {@code @ForAll Tensor} parameters with {@link TensorArbitraries#tensors()}'s defaults. Registered as a service. */
public final class TensorArbitraryProvider implements ArbitraryProvider {
    /** Called by jqwik's service loader. */
    public TensorArbitraryProvider() {}

    /**
     * @param targetType the type of a {@code @ForAll} parameter
     * @return true for {@link Tensor}
     */
    @Override
    public boolean canProvideFor(TypeUsage targetType) {
        return targetType.isOfType(Tensor.class);
    }

    /**
     * @param targetType the type of the parameter, a Tensor
     * @param subtypeProvider unused
     * @return {@link TensorArbitraries#tensors()} with its defaults
     */
    @Override
    public Set<Arbitrary<?>> provideFor(TypeUsage targetType, SubtypeProvider subtypeProvider) {
        return Set.of(TensorArbitraries.tensors());
    }
}
