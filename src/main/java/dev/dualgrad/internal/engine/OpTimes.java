package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a computation's time goes, op by op: with {@code -Ddualgrad.opTimes=true} every primitive evaluated on concrete
 * data (each op of a primal, of a dual pass's primal and tangent, and of a backward sweep) is timed, keyed by its name
 * and its operands' shapes. A development tool for the benchmarks ({@code dev.dualgrad.bench.OpTimesReport} prints the
 * table); off by default, when the check in {@link Dispatch} is a constant the JIT removes.
 *
 * <p>Times are inclusive: an op whose evaluation runs other ops counts their time too (they also appear on their
 * own), so the rows may sum to more than the whole.</p>
 */
public final class OpTimes {
    private OpTimes() {}

    /** Whether ops are timed: the system property {@code dualgrad.opTimes}, read once. */
    static final boolean ON = Boolean.getBoolean("dualgrad.opTimes");

    private static final Map<String, long[]> TIMES = new ConcurrentHashMap<>();

    /** p.eval(in), timed under its name and the operands' shapes. */
    static Tensor timed(Primitive p, Tensor[] in) {
        long start = System.nanoTime();
        Tensor y = p.eval(in);
        long took = System.nanoTime() - start;
        StringBuilder key = new StringBuilder(p.name());
        for (Tensor t : in) key.append(' ').append(Arrays.toString(t.shape()));
        TIMES.merge(key.toString(), new long[] {1, took}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        return y;
    }

    /** One op and shapes: how many evaluations and their total nanoseconds. */
    public record Entry(String op, long calls, long nanos) {}

    /** @return whether timing is on in this JVM */
    public static boolean enabled() {
        return ON;
    }

    /** @return what has been timed since the last {@link #clear}, the most time first */
    public static List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>();
        TIMES.forEach((k, v) -> out.add(new Entry(k, v[0], v[1])));
        out.sort((a, b) -> Long.compare(b.nanos(), a.nanos()));
        return out;
    }

    /** Forgets what has been timed. */
    public static void clear() {
        TIMES.clear();
    }
}
