package dev.dualgrad.taylor;

import dev.dualgrad.examples.TaylorDerivatives;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs the TaylorDerivatives stop (which checks its own claims and throws when one fails) and checks its
 * printed text against the tour's budget: 1 to 8 lines, each at most 118 characters (the tour indents by two
 * to make 120), and a one-sentence problem that fits a header "[nn/nn] problem" of 120.
 */
class TaylorDerivativesExampleTest {
    @Test
    void theStopRunsChecksItselfAndFitsTheTourBudget() {
        TaylorDerivatives stop = new TaylorDerivatives();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        stop.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        assertTrue(out.endsWith("\n"), out);
        List<String> lines = List.of(out.substring(0, out.length() - 1).split("\n", -1));
        assertTrue(lines.size() >= 1 && lines.size() <= 8, lines.size() + " lines:\n" + out);
        for (String l : lines) {
            assertTrue(l.codePointCount(0, l.length()) <= 118, "a line wider than 118 characters: " + l);
            assertFalse(l.isBlank(), "an empty line:\n" + out);
        }
        // What it must show: the eight orders, the reference, the nested route and both times.
        assertTrue(out.contains("k = 1..4: ") && out.contains("k = 5..8: "), out);
        assertTrue(out.contains("DerivativeStructure") && out.contains("8 nested jvp"), out);
        assertTrue(out.matches("(?s).*time \\(best of [0-9]+ rounds\\): one Taylor pass, all 8 orders [0-9.]+ ms; 8 nested jvp, 8th only [0-9.]+ ms \\(equal within 1e-10\\)\n.*"), out);

        String p = stop.problem();
        assertTrue(p.endsWith(".") && p.indexOf(". ") < 0, p);
        assertTrue(("[99/99] " + p).codePointCount(0, ("[99/99] " + p).length()) <= 120, p);
        System.out.print(out);
    }
}
