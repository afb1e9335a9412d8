package dev.dualgrad.internal.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * 200 seeded cases per registered op for every property (shapes drawn from the op's sample shapes,
 * values from its domain): JVP and second order against finite differences, the dot-product test,
 * forward = reverse Jacobian for every chunk size, and HVP/Hessian. Fixed seeds: reproducible in CI.
 */
class OpConformanceDeepTest {
    static final int CASES = 200;

    @TestFactory
    Stream<DynamicTest> twoHundredCasesPerOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            tests.add(DynamicTest.dynamicTest(spec.name() + ": " + CASES + " cases", () -> {
                for (int c = 0; c < CASES; c++) {
                    long seed = 1000 + c;
                    int[][] shapes = spec.shapes().get(c % spec.shapes().size());
                    Conformance.allChecks(spec, Conformance.inputs(spec, shapes, seed), seed);
                }
            }));
        }
        return tests.stream();
    }
}
