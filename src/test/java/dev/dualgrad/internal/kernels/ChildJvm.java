package dev.dualgrad.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a test's main class in a new JVM (this JVM's java and class path) with the given options; its stdout by line. */
final class ChildJvm {
    private ChildJvm() {}

    /** The child's stdout by line (stderr, with the incubator's notice, is dropped); fails the test on a non-zero exit. */
    static List<String> run(Class<?> main, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process proc = pb.start();
        proc.getOutputStream().close();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, proc.exitValue(), new String(out, StandardCharsets.UTF_8));
        return List.of(new String(out, StandardCharsets.UTF_8).split("\\R"));
    }
}
