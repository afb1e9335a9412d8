package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.Pullback;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every registered op at the edge values of DESIGN.md, placed in each argument in turn:
 * ±0, ±1e-308, ±709.78, ±745, ±1e4, ±∞ and NaN.
 * <ul>
 *   <li>no exception, except the documented domain errors (bce refuses probabilities outside [0, 1]);</li>
 *   <li>a zero tangent gives an exactly zero tangent, and a zero cotangent exactly zero cotangents:
 *       never NaN through 0·∞;</li>
 *   <li>NaN in gives NaN out wherever the output depends on that input;</li>
 *   <li>running a pullback twice is bitwise equal, and so are results computed on 1 or 4 threads.</li>
 * </ul>
 */
class EdgeValuesTest {
    static final double[] EDGES = {0.0, -0.0, 1e-308, -1e-308, 709.78, -709.78, 745, -745, 1e4, -1e4,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    /** Ops that validate their input domain and throw, by design, for values outside it. */
    static boolean domainChecked(OpSpec spec) {
        return spec.method().equals("bce") || linalgDomainChecked(spec);
    }

    /**
     * Issue 20: cholesky refuses a matrix that is not positive definite (an ArithmeticException naming
     * the pivot, NaN and ±∞ pivots included: never NaNs that look like numbers) and eigh one with a
     * non-finite entry (an IllegalArgumentException); both by design, NaN included.
     */
    static boolean linalgDomainChecked(OpSpec spec) {
        return spec.name().contains("cholesky(") || spec.method().equals("eigh");
    }

    @TestFactory
    Stream<DynamicTest> edgeValuesForEveryOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            tests.add(DynamicTest.dynamicTest(spec.name(), () -> {
                int[][] shapes = spec.shapes().get(spec.shapes().size() - 1);
                Tensor[] base = Conformance.inputs(spec, shapes, 3);
                MultiTensorFunction f = spec::apply;
                Tensor[] dependence = Diff.jacobian(f, base, JacobianOptions.defaults().mode(JacobianMode.FORWARD)).toArray();
                for (int arg = 0; arg < base.length; arg++) {
                    for (double e : EDGES) {
                        Tensor[] xs = base.clone();
                        double[] d = xs[arg].toArray();
                        d[0] = e;
                        xs[arg] = Tensor.of(d, xs[arg].shape());
                        String where = spec.name() + " with " + e + " at element 0 of argument " + arg;
                        Tensor y;
                        try {
                            y = spec.apply(xs);
                        } catch (IllegalArgumentException | ArithmeticException ex) {
                            if (domainChecked(spec) && (!Double.isNaN(e) || linalgDomainChecked(spec))
                                    && (ex instanceof IllegalArgumentException || linalgDomainChecked(spec))) continue;
                            throw new AssertionError(where + ": threw " + ex, ex);
                        }
                        Tensor[] zeros = new Tensor[xs.length];
                        for (int i = 0; i < xs.length; i++) zeros[i] = Tensor.zeros(xs[i].shape());
                        for (double t : Tensors.buffer(Diff.jvp(f, xs, zeros).tangent())) {
                            if (t != 0) fail(where + ": a zero tangent gave " + t);
                        }
                        Pullback p = Diff.vjp(f, xs);
                        for (Tensor g : p.applyAll(Tensor.zeros(y.shape()))) {
                            for (double t : Tensors.buffer(g)) if (t != 0) fail(where + ": a zero cotangent gave " + t);
                        }
                        Tensor u = TensorRandom.seed(5).normal(y.shape());
                        Tensor[] once = p.applyAll(u).toArray(), twice = p.applyAll(u).toArray();
                        for (int i = 0; i < once.length; i++) assertArrayEquals(Tensors.buffer(once[i]), Tensors.buffer(twice[i]), 0, where + ": pullback rerun");
                        if (Double.isNaN(e) && dependsOnElementZero(dependence[arg], base[arg].size())) {
                            assertTrue(Arrays.stream(Tensors.buffer(y)).anyMatch(Double::isNaN), where + ": NaN in but no NaN out: " + y);
                        }
                    }
                }
            }));
        }
        return tests.stream();
    }

    /** Whether column 0 of a Jacobian [out..., in...] (in of the given size) has a non-zero entry. */
    static boolean dependsOnElementZero(Tensor j, int inSize) {
        double[] d = Tensors.buffer(j);
        for (int r = 0; r < d.length / inSize; r++) if (d[r * inSize] != 0) return true;
        return false;
    }

    @TestFactory
    Stream<DynamicTest> resultsDoNotDependOnTheThreadCount() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            tests.add(DynamicTest.dynamicTest(spec.name(), () -> {
                int[][] shapes = spec.shapes().get(spec.shapes().size() - 1);
                Tensor[] xs = Conformance.inputs(spec, shapes, 4);
                MultiTensorFunction f = spec::apply;
                double[] alone = concat(Diff.jacobian(f, xs, JacobianOptions.defaults()).toArray());
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<double[]>> rs = new ArrayList<>();
                    for (int t = 0; t < 8; t++) rs.add(pool.submit(() -> concat(Diff.jacobian(f, xs, JacobianOptions.defaults()).toArray())));
                    for (Future<double[]> r : rs) assertArrayEquals(alone, r.get(), 0, spec.name() + " on 4 threads");
                } finally {
                    pool.shutdown();
                }
            }));
        }
        return tests.stream();
    }

    static double[] concat(Tensor[] ts) {
        return Arrays.stream(ts).flatMapToDouble(t -> Arrays.stream(Tensors.buffer(t))).toArray();
    }
}
