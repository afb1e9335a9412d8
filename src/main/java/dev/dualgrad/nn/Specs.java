package dev.dualgrad.nn;

import dev.dualgrad.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Shared checks of the {@link ModuleSpec} build methods. */
final class Specs {
    private Specs() {}

    /** Throws naming the missing and extra names when {@code given} does not hold exactly {@code expected}. */
    static void exactly(String what, Set<String> expected, Map<String, Tensor> given) {
        if (expected.equals(given.keySet())) return;
        Map<String, Tensor> extra = new LinkedHashMap<>(given);
        extra.keySet().removeAll(expected);
        Set<String> missing = new LinkedHashSet<>(expected);
        missing.removeAll(given.keySet());
        throw new IllegalArgumentException(what + ": the parameters must be exactly " + expected
                + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; not in the network " + extra.keySet()));
    }
}
