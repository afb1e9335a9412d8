package dev.dualgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The tests run with --add-modules jdk.incubator.vector (surefire's argLine), so the vector kernel is in use. */
class BackendTest {
    @Test
    void theVectorKernelRunsWhenTheModuleIsPresent() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "the test JVM lacks the module");
        assertTrue(Backend.usesVectorApi(), Backend.matmulKernel());
        assertTrue(Backend.matmulKernel().startsWith("vector"), Backend.matmulKernel());
    }
}
