package dev.dualgrad.internal.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.commons.LeastSquares;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's property: for the random smooth programs of {@link RandomCompositionProperties} (registry ops,
 * one or two inputs laid end to end as one parameter vector p), the Jacobian that a Commons Math
 * least-squares problem receives from {@link LeastSquares#model} (its {@code evaluate(p).getJacobian()},
 * eager and lazy, at the first point and again once the plan is cached) is bitwise {@code Diff.jacobian}
 * in AUTO, FORWARD, REVERSE and FORWARD with one direction per pass, and matches central differences
 * (h = 1e-6, 1e-5 + 1e-3·|fd|).
 */
class CommonsJacobianProperties {
    static final int PROGRAMS = 150;

    @Test
    void theJacobianCommonsMathReceivesIsDiffJacobianExactlyAndCentralDifferences() {
        List<String> failures = new ArrayList<>();
        JacobianOptions d = JacobianOptions.defaults();
        JacobianOptions[] options = {d, d.mode(JacobianMode.FORWARD), d.mode(JacobianMode.REVERSE), d.mode(JacobianMode.FORWARD).chunkSize(1)};
        int forward = 0, reverse = 0;
        for (int i = 0; i < PROGRAMS; i++) {
            RandomCompositionProperties.Program prog = RandomCompositionProperties.program(RandomCompositionProperties.BASE_SEED + i);
            int[][] shapes = new int[prog.inputs.length][];
            Tensor[] flat = new Tensor[shapes.length];
            for (int k = 0; k < shapes.length; k++) {
                shapes[k] = prog.inputs[k].shape();
                flat[k] = prog.inputs[k].reshape(-1);
            }
            TensorFunction f = p -> prog.apply(split(p, shapes));
            Tensor p0 = Tensor.concat(0, flat);
            int n = p0.size(), m = f.apply(p0).size();
            try {
                Tensor fd = RandomCompositionProperties.centralDifferences(xs -> f.apply(xs[0]), new Tensor[] {p0})[0].reshape(m, n);
                for (JacobianOptions o : options) {
                    Tensor expected = Diff.jacobian(f, p0, o).reshape(m, n);
                    for (boolean lazy : new boolean[] {false, true}) {
                        LeastSquaresProblem problem = new LeastSquaresBuilder().model(LeastSquares.model(f, o)).target(new double[m])
                                .start(p0.toArray()).lazyEvaluation(lazy).maxEvaluations(10).maxIterations(10).build();
                        for (int call = 0; call < 2; call++) {
                            Tensor received = toTensor(problem.evaluate(problem.getStart()).getJacobian());
                            String what = o.mode() + (o.chunkSize() > 0 ? " chunk " + o.chunkSize() : "") + (lazy ? " lazy" : "") + " call " + call;
                            RandomCompositionProperties.bitwise(what + " = Diff.jacobian", expected, received);
                            RandomCompositionProperties.close(what + " = central differences", fd, received);
                        }
                    }
                }
                if (n <= m) forward++;
                else reverse++;
            } catch (AssertionError | RuntimeException e) {
                failures.add(e.getMessage() + "\n" + prog.describe());
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " of " + PROGRAMS + " programs failed; the first:\n" + failures.get(0));
        assertTrue(forward >= 20 && reverse >= 20, String.format(Locale.ROOT, "AUTO should meet both modes: %d forward, %d reverse", forward, reverse));
    }

    /** The parameter vector cut back into the program's inputs (slices and reshapes: differentiable). */
    static Tensor[] split(Tensor p, int[][] shapes) {
        Tensor[] xs = new Tensor[shapes.length];
        for (int k = 0, at = 0; k < shapes.length; k++) {
            int size = Shape.size(shapes[k]);
            xs[k] = p.slice(0, at, at + size).reshape(shapes[k]);
            at += size;
        }
        return xs;
    }

    static Tensor toTensor(RealMatrix j) {
        return Tensor.of(j.getData());
    }
}
