package dev.dualgrad.tensor;

import dev.dualgrad.internal.kernels.Kernels;

/**
 * Which kernels this JVM runs. The matrix products use the Vector API kernel when the module
 * {@code jdk.incubator.vector} is present (on the module path it is, since {@code dev.dualgrad} requires
 * it; on the class path it needs {@code --add-modules jdk.incubator.vector}), and a plain-Java kernel
 * otherwise, several times slower. The choice is made once, when the first product runs.
 * {@code -Ddualgrad.vector=false} forces the plain kernel.
 */
public final class Backend {
    private Backend() {}

    /** @return a short name of the matrix kernel in use, with its vector width when it is the Vector API one */
    public static String matmulKernel() {
        return Kernels.matmulKernel();
    }

    /** @return true when the matrix products run on the Vector API kernel */
    public static boolean usesVectorApi() {
        return !Kernels.matmulKernel().startsWith("plain");
    }
}
