package dev.dualgrad.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@link GradCheck} found: one entry per check, each with its worst element. Usable from plain
 * JUnit ({@link #assertPassed()} throws an AssertionError with the report) or by any caller.
 */
public final class GradCheckResult {
    /**
     * The worst element of one check: which argument (−1 when the check concerns the output as a whole),
     * its index, the analytic and reference values, and the allowed difference there.
     */
    public record Worst(int argument, int[] index, double analytic, double reference, double tolerance) {
        /** |analytic − reference| / tolerance: above 1 is a failure; NaN on one side only counts as infinite. */
        public double excess() {
            if (Double.isNaN(analytic) && Double.isNaN(reference)) return 0;
            if (Double.isNaN(analytic) || Double.isNaN(reference)) return Double.POSITIVE_INFINITY;
            if (analytic == reference) return 0;
            return Math.abs(analytic - reference) / tolerance;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%sindex %s: analytic %.12g, reference %.12g, |difference| %.3g, tolerance %.3g",
                    argument >= 0 ? "argument " + argument + ", " : "", Arrays.toString(index), analytic, reference,
                    Math.abs(analytic - reference), tolerance);
        }
    }

    /** One check: its name, how it compared, and its worst element (null when nothing was compared). */
    public record Check(String name, String reference, Worst worst) {
        public boolean passed() {
            return worst == null || worst.excess() <= 1;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "  %s %s (against %s)%s", passed() ? "ok  " : "FAIL", name, reference,
                    worst == null ? "" : "\n        worst at " + worst + (passed() ? "" : String.format(Locale.ROOT, " (%.3g× the tolerance)", worst.excess())));
        }
    }

    private final String subject;
    private final List<Check> checks;

    GradCheckResult(String subject, List<Check> checks) {
        this.subject = subject;
        this.checks = List.copyOf(checks);
    }

    public List<Check> checks() {
        return checks;
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /** The first failing check, or null. */
    public Check firstFailure() {
        return checks.stream().filter(c -> !c.passed()).findFirst().orElse(null);
    }

    /** Throws an AssertionError with the full report unless every check passed. */
    public GradCheckResult assertPassed() {
        if (!passed()) throw new AssertionError(toString());
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GradCheck of ").append(subject).append(passed() ? ": passed" : ": FAILED");
        for (Check c : checks) sb.append('\n').append(c);
        return sb.toString();
    }
}
