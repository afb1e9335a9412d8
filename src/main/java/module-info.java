/**
 * dualgrad: automatic differentiation over float64 tensors, forward-mode dual tensors with k tangent
 * directions per pass and a reverse tape, nested to any order.
 *
 * <p>Users see the transforms ({@link dev.dualgrad.Diff}), their options and results
 * ({@code dev.dualgrad.transforms}), {@link dev.dualgrad.tensor.Tensor}, the losses, small networks
 * ({@code dev.dualgrad.nn}), data sets, custom ops ({@code dev.dualgrad.ops}) and the checking tools
 * ({@code dev.dualgrad.testing}). The engine (levels, dispatch, primitives and their rules, the tape,
 * kernels) lives in {@code dev.dualgrad.internal.*}, which this module does not export.</p>
 *
 * <p>{@code jdk.incubator.vector} is required, so that on the module path the matrix kernels use the
 * Vector API with no flag; the JVM then prints its one-line incubator warning. commons-math3 3.6.1 has no
 * module name of its own, so it is required by its file-derived name {@code commons.math3}, transitively:
 * {@code dev.dualgrad.commons} (exact derivatives for Commons Math's least squares, optimizers and solvers)
 * takes and returns its types, so a module that requires dev.dualgrad reads them too (javac warns that the
 * transitive requirement is an automatic module). jqwik is
 * needed only by {@code dev.dualgrad.testing}'s generators, and only when a user has it.</p>
 */
module dev.dualgrad {
    requires jdk.incubator.vector;
    requires transitive commons.math3;
    requires static net.jqwik.api;

    exports dev.dualgrad;
    exports dev.dualgrad.commons;
    exports dev.dualgrad.data;
    exports dev.dualgrad.losses;
    exports dev.dualgrad.nn;
    exports dev.dualgrad.ops;
    exports dev.dualgrad.tensor;
    exports dev.dualgrad.testing;
    exports dev.dualgrad.transforms;

    // No "provides net.jqwik.api.providers.ArbitraryProvider": jqwik is optional, and a provides clause whose
    // service type is absent fails the boot layer ("does not read a module that exports ..."). So a bare
    // @ForAll Tensor relies on META-INF/services, i.e. on the class path, where jqwik tests run anyway.
}
