package dev.dualgrad.commons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.BlockedObjective;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.nn.ParameterSnapshot;
import dev.dualgrad.nn.TrainingObjective;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.ValueAndGrad;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.junit.jupiter.api.Test;

/** {@link Objective#of(TrainingObjective, ParameterSnapshot)}: a model's training objective for Commons Math's optimizers. */
class TrainingObjectiveAdapterTest {
    static Dataset someDigits() {
        int[] idx = new int[300];
        for (int i = 0; i < idx.length; i++) idx[i] = (7 * i) % Digits.load().size();
        return Digits.load().rows(idx);
    }

    @Test
    void theValueAndGradientAreTheObjectivesFlattenedAndShareOneEvaluation() {
        Mlp model = Mlp.of(64, 8, 10).seed(3).build();
        BlockedObjective blocked = BlockedObjective.of(model, someDigits()).blockSize(64);
        AtomicInteger calls = new AtomicInteger();
        TrainingObjective counted = params -> {
            calls.incrementAndGet();
            return blocked.valueAndGrad(params);
        };
        ParameterSnapshot layout = model.snapshot();
        Objective f = Objective.of(counted, layout);
        double[] p = layout.values();
        p[5] += 0.25; // not the model's own values: the point is what counts
        ValueAndGrad expected = blocked.valueAndGrad(layout.withValues(p).toArray());
        assertEquals(expected.value().item(), f.valueFunction().value(p.clone()), 0.0);
        assertEquals(1, calls.get());
        double[] g = f.gradientFunction().value(p.clone());
        assertEquals(1, calls.get(), "the gradient at the value's point came from the same evaluation");
        double[] flat = new double[g.length];
        int at = 0;
        for (Tensor t : expected.grads().toArray()) {
            System.arraycopy(t.toArray(), 0, flat, at, t.size());
            at += t.size();
        }
        assertEquals(flat.length, at);
        assertArrayEquals(flat, g, 0.0, "bitwise the objective's gradient, in the snapshot's order");
        assertEquals(1, f.sharedValues());
        assertEquals(1, f.gradientRecordings());
        assertEquals(0, f.plainEvaluations());
        f.valueFunction().value(p.clone());
        assertEquals(1, calls.get());
        p[0] += 1e-3;
        f.gradientFunction().value(p);
        assertEquals(2, calls.get(), "another point is another evaluation");
        g[0] = 1e300; // the returned arrays are the caller's
        assertTrue(f.gradientFunction().value(p)[0] != 1e300);
    }

    @Test
    void conjugateGradientLowersTheLossAndTheOptimumGoesBackIntoTheModel() {
        Mlp model = Mlp.of(64, 8, 10).seed(4).build();
        BlockedObjective blocked = BlockedObjective.of(model, someDigits());
        ParameterSnapshot layout = model.snapshot();
        Objective f = Objective.of(blocked, layout);
        double start = blocked.valueAndGrad(model.parameterArray()).value().item();
        PointValuePair r = new NonLinearConjugateGradientOptimizer(NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE,
                new SimpleValueChecker(1e-10, 1e-10, 20)).optimize(new MaxEval(5_000), f.function(), f.gradient(), GoalType.MINIMIZE,
                new InitialGuess(layout.values()));
        model.setParameters(layout.withValues(r.getPoint()).toArray());
        double end = blocked.valueAndGrad(model.parameterArray()).value().item();
        assertEquals(r.getValue(), end, 0.0, "the optimizer's value is the objective's at its point");
        assertTrue(end < 0.5 * start, start + " -> " + end);
        assertTrue(f.sharedValues() > 0);
    }

    @Test
    void badPointsAndObjectivesAreRefusedByName() {
        Mlp model = Mlp.of(4, 3).seed(1).build();
        ParameterSnapshot layout = model.snapshot();
        Objective f = Objective.of(params -> new ValueAndGrad(params[0].sum(), PerArgument.of(Tensor.ones(params[0].shape()), Tensor.ones(params[1].shape()))), layout);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.valueFunction().value(new double[3]));
        assertTrue(e.getMessage().contains("the point has 3 coordinates, the parameters 15"), e.getMessage());
        Objective wrongShape = Objective.of(params -> new ValueAndGrad(params[0].sum(), PerArgument.of(Tensor.ones(params[0].shape()), Tensor.ones(params[0].shape()))), layout);
        e = assertThrows(IllegalArgumentException.class, () -> wrongShape.gradientFunction().value(layout.values()));
        assertTrue(e.getMessage().contains("gradient 1 has shape"), e.getMessage());
        Objective tooFew = Objective.of(params -> new ValueAndGrad(params[0].sum(), PerArgument.of(Tensor.ones(params[0].shape()))), layout);
        e = assertThrows(IllegalArgumentException.class, () -> tooFew.gradientFunction().value(layout.values()));
        assertTrue(e.getMessage().contains("1 gradients for 2 parameters"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Objective.of((TrainingObjective) null, layout));
        assertThrows(NullPointerException.class, () -> Objective.of((TrainingObjective) p -> null, null));
    }
}
