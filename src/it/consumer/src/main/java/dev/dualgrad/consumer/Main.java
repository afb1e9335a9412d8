package dev.dualgrad.consumer;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Backend;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/**
 * A gradient and a Jacobian with hand-worked values, what the module system lets a user see, and the
 * kernel that runs.
 * Exits with an exception (so a non-zero status) when a value or a check is wrong.
 */
public final class Main {
    private Main() {}

    /** x = [1, 2, 3]. */
    static Tensor x() {
        return Tensor.vector(1, 2, 3);
    }

    /** ∇ Σ xᵢ³ = 3xᵢ² = [3, 12, 27]. */
    static Tensor gradient() {
        return Diff.grad(z -> z.mul(z).mul(z).sum(), x());
    }

    /** W = [[1, 0, 2], [0, -1, 1]]; g(x) = W·(x ⊙ x); J = W · diag(2x) = [[2, 0, 12], [0, -4, 6]]. */
    static Tensor jacobian() {
        Tensor w = Tensor.of(new double[][] {{1, 0, 2}, {0, -1, 1}});
        return Diff.jacobian(z -> w.matmul(z.square()), x());
    }

    /** A = [[1, 2, 3], [4, 5, 6]], B = [[1, -1], [2, 0], [0, 3]]: ∂ Σᵢⱼ (AB)ᵢⱼ / ∂Aᵢₖ = Σⱼ Bₖⱼ = [0, 2, 3] in every row. */
    static Tensor matmulGradient() {
        Tensor a = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tensor.of(new double[][] {{1, -1}, {2, 0}, {0, 3}});
        return Diff.grad(z -> z.matmul(b).sum(), a);
    }

    static void check(String what, Tensor t, int[] shape, double... expected) {
        if (!Arrays.equals(t.shape(), shape) || !Arrays.equals(t.toArray(), expected))
            throw new AssertionError(what + ": expected shape " + Arrays.toString(shape) + " values "
                    + Arrays.toString(expected) + ", got " + t);
    }

    /** The engine's classes are in the jar but their packages are not exported to anyone. */
    static String engineEncapsulation() throws ClassNotFoundException {
        Module dualgrad = Tensor.class.getModule();
        Class<?> tensors = Class.forName("dev.dualgrad.internal.engine.Tensors");
        if (!dualgrad.isNamed() || !dualgrad.getName().equals("dev.dualgrad"))
            throw new AssertionError("dualgrad is not on the module path: " + dualgrad);
        if (tensors.getModule() != dualgrad) throw new AssertionError("Tensors is in " + tensors.getModule());
        if (dualgrad.isExported("dev.dualgrad.internal.engine"))
            throw new AssertionError("dev.dualgrad.internal.engine is exported");
        if (!dualgrad.isExported("dev.dualgrad.tensor")) throw new AssertionError("dev.dualgrad.tensor is not exported");
        try {
            tensors.getMethod("buffer", Tensor.class).invoke(null, x());
            throw new AssertionError("Tensors.buffer was callable from " + Main.class.getModule());
        } catch (IllegalAccessException expected) {
            return expected.getMessage();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Tensor g = gradient(), j = jacobian(), ga = matmulGradient();
        System.out.println("grad of sum(x^3) at [1, 2, 3]: " + g);
        System.out.println("jacobian of W(x*x) at [1, 2, 3]: " + j);
        System.out.println("grad of sum(A B) w.r.t. A: " + ga);
        check("gradient", g, new int[] {3}, 3, 12, 27);
        check("jacobian", j, new int[] {2, 3}, 2, 0, 12, 0, -4, 6);
        check("matmul gradient", ga, new int[] {2, 3}, 0, 2, 3, 0, 2, 3);
        System.out.println("engine not exported: " + engineEncapsulation());
        if (!Backend.usesVectorApi()) throw new AssertionError("the matrix kernel is " + Backend.matmulKernel());
        System.out.println("matrix kernel: " + Backend.matmulKernel() + "; java was started with "
                + ProcessHandle.current().info().arguments().map(Arrays::toString).orElse("(arguments unknown)"));
        System.out.println("consumer on the module path: all checks passed");
    }
}
