package dev.dualgrad.internal.kernels;

/**
 * The inner loop of a broadcasting binary op: {@code out[oo+i] = f(a[ao+i*as], b[bo+i*bs])} for
 * {@code i < n}. Each op implements it with its own loop, so the JIT sees one call per row and a
 * monomorphic loop body, never a lambda per element.
 */
public interface RowKernel {
    void row(double[] a, int ao, int as, double[] b, int bo, int bs, double[] out, int oo, int n);
}
