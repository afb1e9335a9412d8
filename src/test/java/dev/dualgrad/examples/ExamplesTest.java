package dev.dualgrad.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the demo tour: every example checks its own claims and throws if one fails. */
class ExamplesTest {
    @Test
    void theTourRunsAndEveryExampleHoldsItsClaims() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Tour.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        for (Tour.Stop s : Tour.STOPS) assertTrue(out.contains(s.title()), "missing stop " + s.title());
        assertTrue(out.contains("FORWARD mode") && out.contains("REVERSE mode"), out);
        assertTrue(out.contains("cotangent has shape [2]"), out);
        java.nio.file.Path png = java.nio.file.Path.of("target", "examples", "seed001-training-curves.png");
        assertTrue(out.contains("training curves written to") && java.nio.file.Files.isRegularFile(png), out);
    }
}
