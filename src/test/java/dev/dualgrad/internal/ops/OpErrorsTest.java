package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.MultiTensorFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad calls throw at once with the exception type and a message naming the op (or transform) and the
 * shapes. Every registered op gets three generic error cases: a tangent of the wrong shape, a
 * cotangent of the wrong shape, and an input that escaped an earlier transform. Ops with shape, axis or
 * index constraints get their own cases on top, listed in {@link #SPECIFIC}.
 */
class OpErrorsTest {
    private static void throwsWith(Class<? extends Throwable> type, Executable call, String... parts) {
        Throwable e = assertThrows(type, call);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks «" + p + "»: " + e.getMessage());
    }

    @TestFactory
    Stream<DynamicTest> threeGenericErrorCasesPerOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            tests.add(DynamicTest.dynamicTest(spec.name(), () -> {
                int[][] shapes = spec.shapes().get(spec.shapes().size() - 1);
                Tensor[] xs = Conformance.inputs(spec, shapes, 5);
                MultiTensorFunction f = spec::apply;
                // 1. a tangent shaped unlike its input
                Tensor[] vs = Conformance.directions(xs, 1);
                vs[0] = Tensor.zeros(xs[0].size() + 1);
                throwsWith(IllegalArgumentException.class, () -> Diff.jvp(f, xs, vs), "jvp", "tangent has shape [" + (xs[0].size() + 1) + "]",
                        "shaped like the input");
                // 2. a cotangent shaped unlike the output
                Tensor y = spec.apply(xs);
                throwsWith(IllegalArgumentException.class, () -> Diff.vjp(f, xs).applyAll(Tensor.zeros(y.size() + 2)), "vjp",
                        "cotangent has shape [" + (y.size() + 2) + "]", "output has shape " + java.util.Arrays.toString(y.shape()));
                // 3. an input carrying the tangent of a jvp that has returned
                AtomicReference<Tensor> leaked = new AtomicReference<>();
                Diff.jvp(z -> {
                    leaked.set(z);
                    return z;
                }, xs[0], Tensor.ones(xs[0].shape()));
                Tensor[] bad = xs.clone();
                bad[0] = leaked.get();
                throwsWith(IllegalStateException.class, () -> spec.apply(bad), "already returned", "detach()");
            }));
        }
        return tests.stream();
    }

    /** Op-specific bad calls: exception type, call, and the words its message must contain. */
    record Bad(Class<? extends Throwable> type, Executable call, String... parts) {}

    static final Map<String, Supplier<List<Bad>>> SPECIFIC = Map.ofEntries(
            Map.entry("binary elementwise", () -> List.of(
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(2)), "add", "[2, 3]", "[2]", "do not broadcast"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(4).pow(Tensor.zeros(3)), "pow", "[4]", "[3]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 1, 3).maximum(Tensor.zeros(4, 2)), "maximum", "[2, 1, 3]", "[4, 2]"),
                    new Bad(IllegalArgumentException.class, () -> Tensors.mulStrongZero(Tensor.zeros(5), Tensor.zeros(2, 4)), "mulStrongZero", "[5]", "[2, 4]"))),
            Map.entry("reductions", () -> List.of(
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).sum(2), "sum", "axis 2", "[2, 3]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).mean(new int[] {0, 0}, false), "mean", "twice"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).max(1), "max", "empty"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.scalar(1).logsumexp(0), "logsumexp", "rank 0"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(3).softmax(-2), "softmax", "axis -2", "[3]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(3).logSoftmax(1), "logSoftmax", "axis 1"))),
            Map.entry("matmul", () -> List.of(
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3)), "matmul", "[2, 3] @ [2, 3]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.scalar(2).matmul(Tensor.zeros(2)), "matmul", "rank ≥ 1", "[]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(4, 3, 2)), "matmul", "batch", "[2]", "[4]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(3, 4), false, true), "matmul", "transpose of [3, 4]", "3 vs 4"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(2, 3), false, true), "matmul", "rank ≥ 2", "[3]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(4, 2, 3), false, true), "matmul", "batch", "[2]", "[4]"))),
            Map.entry("shape", () -> List.of(
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(5), "reshape", "[2, 3]", "[5]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(-1, -1), "reshape", "-1"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).permute(0, 0), "permute", "not a permutation"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).permute(1), "permute", "rank 2"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).transpose(0, 2), "transpose", "axis 2"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).squeeze(0), "squeeze", "size 2"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).unsqueeze(4), "unsqueeze", "axis 4"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).broadcastTo(3, 3), "broadcastTo", "[2, 3]", "[3, 3]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(4).slice(0, 3, 2), "slice", "[3, 2)"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(4).pad(0, -1, 0), "pad", "negative"),
                    new Bad(IndexOutOfBoundsException.class, () -> Tensor.zeros(3, 4).select(1, 4), "select", "index 4", "size 4"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)), "concat", "[2, 4]", "[2, 3]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.stack(0, Tensor.zeros(2), Tensor.zeros(3)), "stack", "[3]", "[2]"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.where(Tensor.zeros(2), Tensor.zeros(3), Tensor.zeros(3)), "where", "[2]", "[3]"))),
            Map.entry("indexing", () -> List.of(
                    new Bad(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).pick(new int[] {0, 3}), "pick", "index[1] = 3", "3 classes"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).pick(new int[] {0}), "pick", "1 indices", "2 rows"),
                    new Bad(IllegalArgumentException.class, () -> Tensor.zeros(3).pick(new int[] {0}), "pick", "[..., N, C]", "[3]"),
                    new Bad(IndexOutOfBoundsException.class, () -> Tensor.zeros(2).scatter(new int[] {0, -1}, 3), "scatter", "index[1] = -1"))),
            Map.entry("losses", () -> List.of(
                    new Bad(IllegalArgumentException.class, () -> Loss.crossEntropy(Tensor.zeros(2, 3), new int[] {0, 3}), "crossEntropy", "target[1] = 3", "[2, 3]"),
                    new Bad(IllegalArgumentException.class, () -> Loss.crossEntropy(Tensor.zeros(2, 3), Tensor.zeros(2, 4)), "crossEntropy", "[2, 3]", "[2, 4]"),
                    new Bad(IllegalArgumentException.class, () -> Loss.crossEntropy(Tensor.scalar(0), new int[] {0}), "crossEntropy", "class axis"),
                    new Bad(IllegalArgumentException.class, () -> Loss.nll(Tensor.zeros(2, 3), new int[] {0, 1, 2}), "nll", "3 targets", "[2, 3]"),
                    new Bad(IllegalArgumentException.class, () -> Loss.bceWithLogits(Tensor.zeros(3), Tensor.zeros(3, 1)), "bceWithLogits", "[3]", "[3, 1]"),
                    new Bad(IllegalArgumentException.class, () -> Loss.bce(Tensor.vector(-0.5), Tensor.vector(0)), "bce", "-0.5", "[0, 1]"),
                    new Bad(IllegalArgumentException.class, () -> Loss.mse(Tensor.zeros(2, 2), Tensor.zeros(4)), "mse", "[2, 2]", "[4]"))));

    @TestFactory
    Stream<DynamicTest> opSpecificErrorCases() {
        List<DynamicTest> tests = new ArrayList<>();
        SPECIFIC.forEach((group, cases) -> {
            int i = 0;
            for (Bad b : cases.get()) tests.add(DynamicTest.dynamicTest(group + " #" + i++, () -> throwsWith(b.type, b.call, b.parts)));
        });
        return tests.stream();
    }
}
