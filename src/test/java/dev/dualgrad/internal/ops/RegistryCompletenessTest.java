package dev.dualgrad.internal.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Loss;
import dev.dualgrad.tensor.Tensor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A public op that is missing from the registry fails this test. */
class RegistryCompletenessTest {
    /** Public Tensor methods that create, read or expose a tensor rather than compute an op. */
    private static final Set<String> NOT_OPS = Set.of("of", "fromArray", "vector", "scalar", "zeros", "ones", "full", "eye");

    @Test
    void everyPublicTensorOpIsRegistered() {
        Set<String> registered = new TreeSet<>();
        for (OpSpec s : OpRegistry.all()) registered.add(s.method());
        Set<String> missing = new TreeSet<>();
        for (Method m : Tensor.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || m.getReturnType() != Tensor.class) continue;
            String n = m.getName();
            if (NOT_OPS.contains(n) || OpRegistry.CONSTANT_OPS.contains(n)) continue;
            if (!registered.contains(n)) missing.add(n);
        }
        for (Method m : Loss.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !registered.contains(m.getName())) missing.add("Loss." + m.getName());
        }
        for (Method m : dev.dualgrad.tensor.Linalg.class.getDeclaredMethods()) { // issue 20: every public op of Linalg too
            if (Modifier.isPublic(m.getModifiers()) && !registered.contains(m.getName())) missing.add("Linalg." + m.getName());
        }
        assertTrue(missing.isEmpty(), "public ops missing from OpRegistry: " + missing);
    }

    @Test
    void constantOpsExist() {
        Set<String> names = new TreeSet<>();
        for (Method m : Tensor.class.getDeclaredMethods()) names.add(m.getName());
        for (String c : OpRegistry.CONSTANT_OPS) assertTrue(names.contains(c), "CONSTANT_OPS names " + c + ", which Tensor lacks");
    }
}
