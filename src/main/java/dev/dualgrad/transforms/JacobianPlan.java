package dev.dualgrad.transforms;

import java.util.Locale;

/**
 * What a Jacobian-like transform decided and why: the mode, directions per pass, number of passes, and
 * the memory one pass's tangents (or cotangents) are estimated to need. For f: ℝⁿ → ℝᵐ (per sample, for
 * {@code batchJacobian}), forward mode seeds the n input directions, reverse mode the m output directions;
 * with k directions per pass that is ⌈n / k⌉ forward passes or ⌈m / k⌉ reverse sweeps, the last one
 * holding the remainder.
 *
 * @param mode            FORWARD or REVERSE, never AUTO
 * @param inputSize       n, elements of all inputs together (columns of J)
 * @param outputSize      m, elements of the output (rows of J)
 * @param chunk           k, directions per pass
 * @param passes          forward passes (FORWARD) or backward sweeps (REVERSE): ⌈n / k⌉ or ⌈m / k⌉
 * @param bytesPerPass    estimated bytes of tangents or cotangents alive in one pass: 8·d·k for d doubles
 *                        per direction over the recorded ops; −1 when f was not recorded (forward mode
 *                        with a chunk size given)
 * @param reason          why this mode and chunk were chosen
 */
public record JacobianPlan(JacobianMode mode, long inputSize, long outputSize, int chunk, int passes, long bytesPerPass, String reason) {
    /**
     * The plan in words: mode, the m×n size of J, directions per pass, passes, bytes per pass, and the reason.
     *
     * @return one line of text
     */
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
