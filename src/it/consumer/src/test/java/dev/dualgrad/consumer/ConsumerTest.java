package dev.dualgrad.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Backend;
import dev.dualgrad.tensor.Tensor;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Runs on the module path (surefire's default for a project with a module-info), patched into dev.dualgrad.consumer. */
class ConsumerTest {
    @Test
    void gradientAndJacobianHaveTheHandWorkedValues() {
        Tensor g = Main.gradient();
        assertArrayEquals(new int[] {3}, g.shape());
        assertArrayEquals(new double[] {3, 12, 27}, g.toArray(), 0.0);
        Tensor j = Main.jacobian();
        assertArrayEquals(new int[] {2, 3}, j.shape());
        assertArrayEquals(new double[] {2, 0, 12, 0, -4, 6}, j.toArray(), 0.0);
        assertArrayEquals(new double[] {0, 2, 3, 0, 2, 3}, Main.matmulGradient().toArray(), 0.0);
    }

    @Test
    void runsOnTheModulePath() {
        assertEquals("dev.dualgrad", Tensor.class.getModule().getName());
        assertEquals("dev.dualgrad.consumer", ConsumerTest.class.getModule().getName());
    }

    @Test
    void theEnginePackagesAreInTheJarButNotExported() throws Exception {
        Module dualgrad = Tensor.class.getModule();
        Class<?> tensors = Class.forName("dev.dualgrad.internal.engine.Tensors");
        assertEquals(dualgrad, tensors.getModule());
        assertFalse(dualgrad.isExported("dev.dualgrad.internal.engine"));
        assertFalse(dualgrad.isExported("dev.dualgrad.internal.engine", ConsumerTest.class.getModule()));
        assertTrue(dualgrad.isExported("dev.dualgrad"));
        assertThrows(IllegalAccessException.class,
                () -> tensors.getMethod("buffer", Tensor.class).invoke(null, Tensor.vector(1, 2)));
        Main.engineEncapsulation();
    }

    /** The Vector API kernel runs with no --add-modules: the module requires jdk.incubator.vector. */
    @Test
    void theVectorKernelRunsWithNoAddModulesFlag() {
        assertFalse(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().anyMatch(a -> a.contains("add-modules")
                        && a.contains("jdk.incubator.vector")),
                () -> "the test JVM was given the flag: " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        Main.matmulGradient(); // a product has run: the kernel is chosen
        assertTrue(Backend.usesVectorApi(), () -> "the matrix kernel is " + Backend.matmulKernel());
    }
}
