package dev.dualgrad.testing;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** The generators as a user would use them, and checks that they honour their configuration. */
class TensorArbitrariesTest {
    @Provide
    Arbitrary<Tensor> positiveMatrices() {
        return TensorArbitraries.tensors().rank(2, 2).dims(1, 5).positive();
    }

    @Property(tries = 200, seed = "1")
    void configuredShapesAndValuesAreRespected(@ForAll("positiveMatrices") Tensor x) {
        assertEquals(2, x.rank());
        for (int d : x.shape()) assertTrue(d >= 1 && d <= 5);
        for (double v : Tensors.buffer(x)) assertTrue(v >= 0.2 && v <= 3);
    }

    @Property(tries = 200, seed = "2")
    void theDefaultProviderGivesSmallRealTensors(@ForAll Tensor x) {
        assertTrue(x.rank() <= 3);
        for (double v : Tensors.buffer(x)) assertTrue(v >= -2 && v <= 2);
        Statistics.collect(x.rank());
    }

    @Provide
    Arbitrary<Tensor> awayFromZero() {
        return TensorArbitraries.tensors().shape(6).awayFrom(0.1, 0.0, 1.0);
    }

    @Property(tries = 200, seed = "3")
    void kinksAreAvoided(@ForAll("awayFromZero") Tensor x) {
        for (double v : Tensors.buffer(x)) assertTrue(Math.abs(v) >= 0.1 && Math.abs(v - 1) >= 0.1, "value " + v);
        // a user property: relu's derivative away from 0 is the step function
        Tensor g = Diff.grad(z -> z.relu().sum(), x);
        for (int i = 0; i < 6; i++) assertEquals(x.get(i) > 0 ? 1.0 : 0.0, g.get(i), 0);
    }

    @Provide
    Arbitrary<Tensor[]> pairs() {
        return TensorArbitraries.broadcastablePair(TensorArbitraries.tensors());
    }

    @Property(tries = 200, seed = "4")
    void broadcastablePairsBroadcastAndTheirGradientsCheckOut(@ForAll("pairs") Tensor[] ab) {
        Tensor y = ab[0].mul(ab[1]).sin();
        assertTrue(y.rank() == Math.max(ab[0].rank(), ab[1].rank()));
        GradCheck.of(xs -> xs[0].mul(xs[1]).sin(), ab).secondOrder(false).assertPasses();
    }

    @Provide
    Arbitrary<Tensor[]> matmuls() {
        return TensorArbitraries.matmulPair(4, TensorArbitraries.tensors());
    }

    @Property(tries = 100, seed = "5")
    void matmulPairsMultiply(@ForAll("matmuls") Tensor[] ab) {
        Tensor c = ab[0].matmul(ab[1]);
        assertArrayEquals(new int[] {ab[0].dim(0), ab[1].dim(1)}, c.shape());
    }

    @Provide
    Arbitrary<Tensor> special() {
        return TensorArbitraries.tensors().shape(8).withSpecialValues();
    }

    @Property(tries = 300, seed = "6")
    void specialValuesAppearAndNaNNeverThrows(@ForAll("special") Tensor x) {
        boolean anySpecial = false;
        for (double v : Tensors.buffer(x)) anySpecial |= !Double.isFinite(v) || Math.abs(v) > 100 || (v != 0 && Math.abs(v) < 1e-300);
        Statistics.label("special").collect(anySpecial);
        // NaN in gives NaN out, never an exception, in both modes
        Diff.jvp(z -> z.exp().tanh().sum(), x, Tensor.ones(8));
        Diff.grad(z -> z.exp().tanh().sum(), x);
    }

    @Provide
    Arbitrary<Tensor[]> triples() {
        return TensorArbitraries.sameShape(3, TensorArbitraries.tensors().unitInterval());
    }

    @Property(tries = 100, seed = "7")
    void sameShapeGivesOneShape(@ForAll("triples") Tensor[] t) {
        assertArrayEquals(t[0].shape(), t[1].shape());
        assertArrayEquals(t[0].shape(), t[2].shape());
    }
}
