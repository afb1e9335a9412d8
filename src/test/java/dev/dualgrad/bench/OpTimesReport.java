package dev.dualgrad.bench;

import dev.dualgrad.internal.engine.OpTimes;
import java.util.List;
import java.util.Locale;

/**
 * The time of one harness workload split by op and operand shapes:
 * {@code java --add-modules jdk.incubator.vector -Ddualgrad.opTimes=true -Ddualgrad.threads=1 -cp ...
 * dev.dualgrad.bench.OpTimesReport <workload> [calls]}. Warms the workload up for two seconds, then times
 * {@code calls} calls (200 by default) and prints each op's microseconds per call, the most first, beside the whole
 * call's. Inclusive times (see {@link OpTimes}); the timer itself adds about a microsecond per op.
 */
public final class OpTimesReport {
    private OpTimesReport() {}

    /** Where each call's result goes, so that no call is optimised away. */
    static volatile Object sink;

    public static void main(String[] args) {
        if (!OpTimes.enabled()) throw new IllegalStateException("run with -Ddualgrad.opTimes=true");
        if (args.length < 1) throw new IllegalArgumentException("usage: OpTimesReport <workload> [calls]");
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Harness.Workload w = Harness.warmedUp(args[0]);
        OpTimes.clear();
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) sink = w.body().get();
        double whole = (System.nanoTime() - start) / 1e3 / calls;
        List<OpTimes.Entry> entries = OpTimes.snapshot();
        System.out.printf(Locale.ROOT, "%s: %.1f µs a call, by op and operand shapes:%n%n| op | operands | evaluations a call | µs a call |%n|---|---|---|---|%n",
                w.name(), whole);
        for (OpTimes.Entry e : entries) {
            int cut = e.op().indexOf(" [");
            String op = cut < 0 ? e.op() : e.op().substring(0, cut), shapes = cut < 0 ? "" : e.op().substring(cut + 1);
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.1f |%n", op, shapes, (double) e.calls() / calls, e.nanos() / 1e3 / calls);
        }
    }
}
