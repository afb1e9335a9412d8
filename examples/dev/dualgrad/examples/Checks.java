package dev.dualgrad.examples;

import dev.dualgrad.tensor.Tensor;

/** The examples check what they claim, so the tests that run them fail if a claim stops being true. */
final class Checks {
    private Checks() {}

    static void close(String claim, Tensor a, Tensor b, double tol) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalStateException(claim + ": shapes " + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
        }
        double[] x = a.toArray(), y = b.toArray();
        for (int i = 0; i < x.length; i++) close(claim + " (element " + i + ")", x[i], y[i], tol);
    }

    static void close(String claim, double a, double b, double tol) {
        if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) throw new IllegalStateException(claim + ": " + a + " vs " + b);
    }

    /** max |vᵢ|, 0 for an empty array. */
    static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) m = Math.max(m, Math.abs(d));
        return m;
    }

    static void check(String claim, boolean ok) {
        if (!ok) throw new IllegalStateException(claim);
    }
}
