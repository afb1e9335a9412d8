package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The conformance checks as jqwik properties over the registry: an op, then one of its shapes, then
 * values in its domain (so shrinking moves to earlier ops, smaller shapes and simpler values). Seeds
 * are fixed so CI is reproducible.
 */
class OpProperties {
    /** One generated case: an op and its inputs. */
    record Case(OpSpec spec, Tensor[] xs) {
        @Override
        public String toString() {
            return Conformance.describe(spec, xs);
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(OpRegistry.all())
                .flatMap(spec -> Arbitraries.of(spec.shapes()).flatMap(shapes -> inputs(spec, shapes).map(xs -> new Case(spec, xs))))
                .filter(c -> c.spec.admits(c.xs));
    }

    private static Arbitrary<Tensor[]> inputs(OpSpec spec, int[][] shapes) {
        List<Arbitrary<Tensor>> parts = new java.util.ArrayList<>();
        for (int i = 0; i < shapes.length; i++) parts.add(tensor(spec.domains()[i], shapes[i]));
        return Combinators.combine(parts).as(l -> l.toArray(new Tensor[0]));
    }

    private static Arbitrary<Tensor> tensor(Domain d, int[] shape) {
        int n = Shape.size(shape);
        Arbitrary<Double> value;
        switch (d) {
            case NONZERO:
                value = Arbitraries.doubles().between(0.5, 2).flatMap(v -> Arbitraries.of(v, -v));
                break;
            case DISTINCT:
                return Arbitraries.integers().between(0, 40).list().uniqueElements().ofSize(n)
                        .map(l -> Tensor.of(l.stream().mapToDouble(k -> -2 + 0.1 * k).toArray(), shape));
            default:
                value = Arbitraries.doubles().between(d.lo, d.hi).ofScale(4);
        }
        return value.list().ofSize(n).map(l -> Tensor.of(l.stream().mapToDouble(Double::doubleValue).toArray(), shape));
    }

    @Property(tries = 400, seed = "20261122")
    void jvpMatchesFiniteDifferences(@ForAll("cases") Case c, @ForAll long seed) {
        Conformance.jvpMatchesFiniteDifferences(c.spec, c.xs, seed);
    }

    @Property(tries = 400, seed = "20261123")
    void forwardAndReverseAgreeByTheDotProductTest(@ForAll("cases") Case c, @ForAll long seed) {
        Conformance.dotProductTest(c.spec, c.xs, seed);
    }

    @Property(tries = 300, seed = "20261124")
    void forwardJacobianEqualsReverseJacobianForEveryChunkSize(@ForAll("cases") Case c) {
        Conformance.jacobiansAgree(c.spec, c.xs);
    }

    @Property(tries = 300, seed = "20261125")
    void reverseOverForwardMatchesFiniteDifferences(@ForAll("cases") Case c, @ForAll long seed) {
        Conformance.secondOrderMatchesFiniteDifferences(c.spec, c.xs, seed);
    }

    @Property(tries = 300, seed = "20261127")
    void hvpAndHessianMatchFiniteDifferencesOfTheGradient(@ForAll("cases") Case c, @ForAll long seed) {
        Conformance.hvpAndHessianMatchFiniteDifferences(c.spec, c.xs, seed);
    }

    @Property(tries = 200, seed = "20261126")
    void primalIsUnchangedByDifferentiation(@ForAll("cases") Case c) {
        // The value computed inside jvp and vjp is bitwise the plain value.
        Tensor plain = c.spec.apply(c.xs);
        Tensor[] v = Conformance.directions(c.xs, 7);
        Tensor viaJvp = dev.dualgrad.Diff.jvp(c.spec::apply, c.xs, v).value();
        Tensor viaVjp = dev.dualgrad.Diff.vjp(c.spec::apply, c.xs).value();
        org.junit.jupiter.api.Assertions.assertArrayEquals(Tensors.buffer(plain), Tensors.buffer(viaJvp), 0, c.toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(Tensors.buffer(plain), Tensors.buffer(viaVjp), 0, c.toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain.shape(), viaJvp.shape(), Arrays.toString(plain.shape()));
    }
}
