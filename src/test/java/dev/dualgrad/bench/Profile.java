package dev.dualgrad.bench;

/**
 * Runs one harness workload in a loop for a while, for a profiler to watch:
 * {@code bash src/bench/profile.sh mlp_primal} records it with JDK Flight Recorder and prints the hottest
 * frames. Prints the mean time per call (profiling adds some).
 */
public final class Profile {
    private Profile() {}

    private static volatile Object sink;

    public static void main(String[] args) {
        String name = args[0];
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 8;
        Harness.Workload w = Harness.warmedUp(name);
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < end) {
            sink = w.body().get();
            n++;
        }
        System.out.printf("%s: %d calls, mean %.1f µs%n", name, n, (System.nanoTime() - t0) / 1e3 / n);
    }
}
