package dev.dualgrad.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without the Vector API module the library falls back to the plain matrix kernel; it says so once,
 * through System.Logger "dev.dualgrad" at WARNING, naming the flag, at the first product, and never
 * when the user chose the plain kernel or when the module is there. The kernel is chosen when
 * {@link Kernels} is initialised, so each case runs in a child JVM on this test's class path.
 */
class PlainKernelWarningTest {
    /** The child: two matrix products, then which kernel ran. */
    static final class TwoProducts {
        public static void main(String[] args) {
            Tensor a = TensorRandom.seed(1).normal(8, 8), b = TensorRandom.seed(2).normal(8, 8);
            a.matmul(b);
            b.matmul(a);
            System.out.println("kernel: " + Kernels.matmulKernel());
            System.out.println("done");
        }
    }

    private static final String WARNING_TEXT = "dualgrad: the Vector API module jdk.incubator.vector is not loaded";

    @Test
    void withoutTheModuleTheFirstProductWarnsOnceNamingTheFlag() throws Exception {
        List<String> out = run();
        assertTrue(out.contains("done") && out.contains("kernel: plain"), String.join("\n", out));
        List<String> warnings = matching(out);
        assertEquals(1, warnings.size(), String.join("\n", out));
        String line = warnings.get(0);
        // the default System.Logger backend (java.util.logging) prints the level before the message
        assertTrue(line.startsWith("WARNING: ") && line.contains("--add-modules jdk.incubator.vector"), line);
    }

    @Test
    void noWarningWithTheModule() throws Exception {
        List<String> out = run("--add-modules", "jdk.incubator.vector");
        assertTrue(out.contains("done") && out.contains("kernel: vector (jdk.incubator.vector)"), String.join("\n", out));
        assertEquals(List.of(), matching(out));
    }

    @Test
    void noWarningWhenThePlainKernelIsChosen() throws Exception {
        List<String> out = run("-Ddualgrad.vector=false");
        assertTrue(out.contains("done") && out.contains("kernel: plain"), String.join("\n", out));
        assertEquals(List.of(), matching(out));
    }

    private static List<String> matching(List<String> lines) {
        List<String> r = new ArrayList<>();
        for (String l : lines) if (l.contains(WARNING_TEXT)) r.add(l);
        return r;
    }

    /** Runs {@link TwoProducts} in a new JVM with these options; returns its merged stdout and stderr, by line. */
    private static List<String> run(String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Duser.language=en"); // the logger prints the level's localised name
        cmd.add("-Duser.country=US");
        cmd.addAll(List.of(options));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TwoProducts.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JDK_JAVA_OPTIONS"); // options of the outer launch must not reach the child
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return List.of(text.split("\\R"));
    }
}
