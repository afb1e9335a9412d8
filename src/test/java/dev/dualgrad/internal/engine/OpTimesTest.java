package dev.dualgrad.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The op timer: off unless asked for, and when on, one entry per op and operand shapes with every evaluation counted. */
class OpTimesTest {
    /** The child JVM's program: three adds of [2, 3] and one sum, then the timer's entries. */
    static final class Child {
        public static void main(String[] args) {
            OpTimes.clear();
            Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), b = a.mul(2);
            for (int i = 0; i < 3; i++) a.add(b);
            a.sum();
            for (OpTimes.Entry e : OpTimes.snapshot()) System.out.println(e.op() + "|" + e.calls() + "|" + (e.nanos() > 0));
        }
    }

    @Test
    void offByDefault() {
        assertFalse(OpTimes.enabled(), "this JVM runs without -Ddualgrad.opTimes");
        Tensor.ones(3).add(Tensor.ones(3));
        assertTrue(OpTimes.snapshot().isEmpty(), "nothing timed when off");
    }

    @Test
    void onItCountsEachOpByItsShapes() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Ddualgrad.opTimes=true",
                "-cp", System.getProperty("java.class.path"), Child.class.getName());
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process proc = pb.start();
        proc.getOutputStream().close();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, proc.exitValue(), out);
        List<String> lines = List.of(out.split("\\R"));
        assertTrue(lines.contains("add [2, 3] [2, 3]|3|true"), out);
        assertTrue(lines.contains("sum [2, 3]|1|true"), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("mul [2, 3] []|1|")), out);
    }
}
