package dev.dualgrad.internal.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every registered op, on every one of its sample shapes, with seeded values: all five checks. This
 * runs each op on each shape every time; {@link OpProperties} adds random shapes and values with shrinking.
 */
class OpConformanceTest {
    @TestFactory
    Stream<DynamicTest> everyOpOnEverySampleShape() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            for (int[][] shapes : spec.shapes()) {
                for (long seed : new long[] {1, 2}) {
                    tests.add(DynamicTest.dynamicTest(spec.name() + " " + Arrays.deepToString(shapes) + " seed " + seed, () -> {
                        Conformance.allChecks(spec, Conformance.inputs(spec, shapes, seed), seed);
                    }));
                }
            }
        }
        return tests.stream();
    }
}
