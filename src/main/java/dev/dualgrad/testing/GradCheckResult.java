package dev.dualgrad.testing;

import dev.dualgrad.internal.transforms.GradChecker;
import dev.dualgrad.internal.transforms.Tolerances;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@link GradCheck} found: one entry per check, each with its worst element. Usable from plain
 * JUnit ({@link #assertPassed()} throws an AssertionError with the report) or by any caller.
 */
public final class GradCheckResult {
    /**
     * The worst element of one check: the one with the largest |analytic − reference| / tolerance.
     *
     * @param argument which argument the element belongs to; −1 when the check concerns the output as a
     *                 whole (the JVP along a direction, or one inner product per direction)
     * @param index the element's index in the compared tensor (for a per-direction check, the direction)
     * @param analytic the value by automatic differentiation
     * @param reference the value it was compared with (finite differences, or the other mode)
     * @param tolerance the allowed |analytic − reference| there
     */
    public record Worst(int argument, int[] index, double analytic, double reference, double tolerance) {
        /**
         * Copies the index, so that the record holds its own.
         *
         * @param argument the argument's position
         * @param index the element's index within that argument's Jacobian or cotangent
         * @param analytic the value by automatic differentiation
         * @param reference the value it was compared with
         * @param tolerance the allowed |analytic − reference| there
         */
        public Worst {
            index = index == null ? null : index.clone();
        }

        /** @return a copy of the element's index */
        @Override
        public int[] index() {
            return index == null ? null : index.clone();
        }

        /**
         * How far the element is off, in tolerances.
         *
         * @return |analytic − reference| / tolerance: above 1 is a failure; equal values and two NaNs give 0,
         *         a NaN on one side only gives +∞
         */
        public double excess() {
            return Tolerances.excess(analytic, reference, tolerance);
        }

        /**
         * The element, its two values, their difference and the tolerance.
         *
         * @return one line of text
         */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%sindex %s: analytic %.12g, reference %.12g, |difference| %.3g, tolerance %.3g",
                    argument >= 0 ? "argument " + argument + ", " : "", Arrays.toString(index), analytic, reference,
                    Math.abs(analytic - reference), tolerance);
        }
    }

    /**
     * One check.
     *
     * @param name what was checked
     * @param reference what it was compared against
     * @param worst its worst element, or null when nothing was compared
     */
    public record Check(String name, String reference, Worst worst) {
        static Check of(GradChecker.Finding f) {
            GradChecker.Worst w = f.worst();
            return new Check(f.name(), f.reference(),
                    w == null ? null : new Worst(w.argument(), w.index(), w.value(), w.reference(), w.tolerance()));
        }

        /**
         * Whether every element was within its tolerance.
         *
         * @return true when nothing was compared or the worst element's {@link Worst#excess()} is at most 1
         */
        public boolean passed() {
            return worst == null || worst.excess() <= 1;
        }

        /**
         * The verdict ("ok" or "FAIL"), the name, the reference and the worst element.
         *
         * @return one or two lines of text
         */
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

    /**
     * Every check that ran, in the order {@link GradCheck} documents.
     *
     * @return an unmodifiable list
     */
    public List<Check> checks() {
        return checks;
    }

    /**
     * Whether every check passed.
     *
     * @return true when no check failed
     */
    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /**
     * The first failing check.
     *
     * @return that check, or null when all passed
     */
    public Check firstFailure() {
        return checks.stream().filter(c -> !c.passed()).findFirst().orElse(null);
    }

    /**
     * Throws unless every check passed, for use in tests.
     *
     * @return this result, when every check passed
     * @throws AssertionError with the full report ({@link #toString()}), when a check failed
     */
    public GradCheckResult assertPassed() {
        if (!passed()) throw new AssertionError(toString());
        return this;
    }

    /**
     * The subject (input shapes and settings), the verdict, and every check with its worst element.
     *
     * @return a multi-line report
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GradCheck of ").append(subject).append(passed() ? ": passed" : ": FAILED");
        for (Check c : checks) sb.append('\n').append(c);
        return sb.toString();
    }
}
