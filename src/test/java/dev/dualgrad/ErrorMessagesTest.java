package dev.dualgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.Pullback;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every bad call throws at once, naming the op or transform, the argument, the shapes, and the fix. */
class ErrorMessagesTest {
    private static void contains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "message lacks «" + p + "»: " + message);
    }

    @Test
    void vjpCotangentShapedLikeTheInputIsRefusedAndExplained() {
        // A common mistake: a vector shaped like the parameters passed to a VJP as its cotangent.
        Tensor w = Tensor.vector(0.3, -0.2);
        Tensor x = TensorRandom.seed(1).normal(100, 2);
        Pullback p = Diff.vjp(q -> x.matmul(q).sigmoid(), w);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.apply(Tensor.vector(1, 2)));
        contains(e.getMessage(), "vjp", "cotangent has shape [2]", "output has shape [100]", "uᵀJ", "shaped like the output", "Diff.jvp");
    }

    @Test
    void jvpTangentShapedLikeTheOutputIsRefusedAndExplained() {
        Tensor w = Tensor.vector(0.3, -0.2);
        Tensor x = TensorRandom.seed(1).normal(100, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Diff.jvp(q -> x.matmul(q).sigmoid(), w, Tensor.zeros(100)));
        contains(e.getMessage(), "jvp", "tangent has shape [100]", "input has shape [2]", "J·v", "shaped like the input", "Diff.vjp");
    }

    @Test
    void batchedShapesAreChecked() {
        Tensor x = Tensor.zeros(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diff.jvpBatched(Tensor::exp, x, Tensor.zeros(3)));
        contains(e.getMessage(), "jvpBatched", "[3]", "[k, 3]");
        Pullback p = Diff.vjp(Tensor::exp, x);
        e = assertThrows(IllegalArgumentException.class, () -> p.applyBatched(Tensor.zeros(3)));
        contains(e.getMessage(), "vjp", "batched", "[c, 3]");
    }

    @Test
    void shapesThatDoNotBroadcast() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        contains(e.getMessage(), "add", "[2, 3]", "[4]", "do not broadcast");
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).mul(Tensor.zeros(3, 2)));
        contains(e.getMessage(), "mul", "[2, 3]", "[3, 2]");
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).broadcastTo(2, 4));
        contains(e.getMessage(), "broadcastTo", "[3]", "[2, 4]");
    }

    @Test
    void matmulInnerDimensionMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)));
        contains(e.getMessage(), "matmul", "[2, 3] @ [4, 5]", "3", "4", "transpose");
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2)));
        contains(e.getMessage(), "matmul", "[2, 3] @ [2]");
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 1)));
        contains(e.getMessage(), "matmul", "batch", "[2]", "[3]");
    }

    @Test
    void axisOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).sum(2));
        contains(e.getMessage(), "sum", "axis 2", "rank 2", "[3, 4]", "-2..1");
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).logSoftmax(-3));
        contains(e.getMessage(), "logSoftmax", "axis -3", "[3, 4]");
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).softmax(1));
        contains(e.getMessage(), "softmax", "axis 1");
    }

    @Test
    void classIndexOutOfRange() {
        Tensor logits = Tensor.zeros(3, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(logits, new int[] {0, 7, 1}));
        contains(e.getMessage(), "crossEntropy", "target[1] = 7", "5 classes", "[3, 5]", "[0, 5)");
        e = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(logits, new int[] {0, 1}));
        contains(e.getMessage(), "crossEntropy", "2 targets", "[3, 5]", "3");
        e = assertThrows(IllegalArgumentException.class, () -> Loss.nll(logits, new int[] {0, -1, 1}));
        contains(e.getMessage(), "nll", "target[1] = -1");
    }

    @Test
    void gradOfANonScalarFunction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diff.grad(Tensor::exp, Tensor.zeros(3)));
        contains(e.getMessage(), "grad", "scalar", "[3]", "Diff.jacobian", "Diff.vjp");
    }

    @Test
    void tangentsOfTwoUnrelatedTransformsMeeting() throws Exception {
        // A tensor carrying the tangent of a jvp running on another thread meets this thread's jvp.
        AtomicReference<Tensor> foreign = new AtomicReference<>();
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1), done = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> Diff.jvp(x -> {
            foreign.set(x);
            inside.countDown();
            try {
                done.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            return x;
        }, Tensor.scalar(1), Tensor.scalar(1)));
        t.start();
        inside.await();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Diff.jvp(y -> y.mul(foreign.get()), Tensor.scalar(2), Tensor.scalar(1)));
            contains(e.getMessage(), "mul", "two unrelated transforms", "perturbation confusion");
        } finally {
            done.countDown();
            t.join();
        }
    }

    @Test
    void aTangentThatEscapedItsJvp() {
        AtomicReference<Tensor> leaked = new AtomicReference<>();
        Diff.jvp(x -> {
            leaked.set(x.exp());
            return x;
        }, Tensor.scalar(1), Tensor.scalar(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked.get().add(1));
        contains(e.getMessage(), "add", "already returned", "detach()");
        // Used as a constant after detach, it is fine.
        assertEquals(Math.E + 1, leaked.get().detach().add(1).item(), 1e-15);
    }

    @Test
    void badOptionsAndArguments() {
        contains(assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[5], 2, 3)).getMessage(), "5 values", "[2, 3]");
        contains(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2)).getMessage(), "reshape", "[2, 3]", "[4, 2]");
        contains(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).item()).getMessage(), "item", "[2, 3]");
        contains(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).clamp(1, 0)).getMessage(), "clamp");
        contains(assertThrows(IllegalArgumentException.class, () -> Loss.mse(Tensor.zeros(3), Tensor.zeros(3, 1))).getMessage(), "mse", "[3]", "[3, 1]");
        contains(assertThrows(IllegalArgumentException.class, () -> Loss.bce(Tensor.vector(0.5, 1.5), Tensor.vector(0, 1))).getMessage(), "bce", "1.5", "bceWithLogits");
        contains(assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(3, 4).pick(new int[] {0, 4, 1})).getMessage(), "pick", "index[1] = 4", "4 classes");
        contains(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).slice(1, 2, 5)).getMessage(), "slice", "[2, 5)", "size 4");
    }
}
