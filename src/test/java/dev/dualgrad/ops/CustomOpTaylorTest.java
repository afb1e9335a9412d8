package dev.dualgrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.Jet;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A custom op in Taylor mode: its own Taylor rule when given, its JVP rule on series otherwise; both exact. */
class CustomOpTaylorTest {
    private static final Tensor X = Tensor.of(new double[] {0.7, -1.3, 2.0}, 3), V = Tensor.of(new double[] {1.0, 0.5, -2.0}, 3);

    /** x³ with its JVP and VJP; {@code withTaylor} adds the Cauchy products x·x·x as its Taylor rule. */
    private static CustomOp cube(boolean withTaylor, AtomicInteger taylorCalls) {
        CustomOp.Builder b = CustomOp.builder("cube").arity(1)
                .primal(x -> x[0].mul(x[0]).mul(x[0]))
                .jvp((x, y, dx) -> dx[0].mul(x[0].square().mul(3)))
                .vjp((x, y, gy) -> new Tensor[] {gy.mul(x[0].square().mul(3))})
                .vjpReads(VjpReads.allInputs());
        if (withTaylor) {
            b.taylor((x, y, c) -> {
                taylorCalls.incrementAndGet();
                int k = c[0].dim(0);
                Tensor[] xs = new Tensor[k + 1];
                xs[0] = x[0];
                for (int i = 1; i <= k; i++) xs[i] = c[0].select(0, i - 1);
                Tensor[] sq = cauchy(xs, xs), cu = cauchy(sq, xs);
                return Tensor.stack(0, java.util.Arrays.copyOfRange(cu, 1, k + 1));
            });
        }
        return b.build();
    }

    private static Tensor[] cauchy(Tensor[] a, Tensor[] b) {
        Tensor[] r = new Tensor[a.length];
        for (int k = 0; k < a.length; k++) {
            Tensor s = a[0].mul(b[k]);
            for (int j = 1; j <= k; j++) s = s.add(a[j].mul(b[k - j]));
            r[k] = s;
        }
        return r;
    }

    /** d^k/dt^k Σ sin(x + t v)³ in closed form: the sum of the cube's derivatives, by the chain of sin's, via nested jvp. */
    private static double nested(TensorFunction f, int k) {
        TensorFunction g = f;
        for (int i = 0; i < k; i++) {
            TensorFunction gg = g;
            g = z -> Diff.jvp(gg, z, V).tangent();
        }
        return g.apply(X).item();
    }

    @Test
    void theTaylorRuleAndTheGenericRuleBothEqualNestedJvps() {
        AtomicInteger calls = new AtomicInteger();
        CustomOp withRule = cube(true, calls), without = cube(false, calls);
        TensorFunction f = x -> withRule.apply(x.sin()).sum(), g = x -> without.apply(x.sin()).sum();
        Jet a = Diff.directionalDerivative(f, X, V, TaylorOptions.order(5)), b = Diff.directionalDerivative(g, X, V, TaylorOptions.order(5));
        assertTrue(calls.get() > 0, "the builder's Taylor rule was used");
        for (int k = 1; k <= 5; k++) {
            double want = nested(g, k);
            assertEquals(want, a.derivative(k).item(), 1e-10 * Math.max(1, Math.abs(want)), "own rule, order " + k);
            assertEquals(want, b.derivative(k).item(), 1e-10 * Math.max(1, Math.abs(want)), "generic rule, order " + k);
        }
    }

    @Test
    void aTaylorRuleOfTheWrongShapeIsRefusedByName() {
        CustomOp bad = CustomOp.builder("bad").arity(1).primal(x -> x[0].square())
                .jvp((x, y, dx) -> dx[0].mul(x[0].mul(2))).vjp((x, y, gy) -> new Tensor[] {gy.mul(x[0].mul(2))})
                .taylor((x, y, c) -> c[0].select(0, 0)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Diff.directionalDerivative(x -> bad.apply(x).sum(), X, V, TaylorOptions.order(3)));
        assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("Taylor rule"), e.getMessage());
    }
}
