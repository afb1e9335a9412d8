package dev.dualgrad.transforms;

import java.util.Locale;

/**
 * What {@code jacobian} decided and why: the mode, directions per pass, number of passes, and the
 * memory one pass's tangents (or cotangents) are estimated to need.
 *
 * @param mode            FORWARD or REVERSE, never AUTO
 * @param inputSize       n, elements of all inputs together (columns of J)
 * @param outputSize      m, elements of the output (rows of J)
 * @param chunk           directions per pass
 * @param passes          forward passes (FORWARD) or backward sweeps (REVERSE)
 * @param bytesPerPass    estimated bytes of tangents or cotangents alive in one pass
 * @param reason          why this mode and chunk were chosen
 */
public record JacobianPlan(JacobianMode mode, long inputSize, long outputSize, int chunk, int passes, long bytesPerPass, String reason) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "jacobian plan: %s mode, J is %d×%d, %d direction%s per pass, %d pass%s, ~%s per pass. %s",
                mode, outputSize, inputSize, chunk, chunk == 1 ? "" : "s", passes, passes == 1 ? "" : "es", bytes(bytesPerPass), reason);
    }

    private static String bytes(long b) {
        if (b < 1 << 10) return b + " B";
        if (b < 1 << 20) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
    }
}
