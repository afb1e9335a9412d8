package dev.dualgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo tour: every stop checks its own claims and throws if one fails; here the tour's shape is
 * checked from its printed text (headers, lines per stop, widths, total), independently of the budget the
 * tour enforces itself.
 */
class ExamplesTest {
    private static String capture(java.util.function.Consumer<PrintStream> run) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        run.accept(new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void theTourRunsEveryStopWithinItsBudgetAndEveryClaimHolds() throws Exception {
        Files.deleteIfExists(JacobianPenaltyTraining.PNG);
        Files.deleteIfExists(PoissonPinn.PNG);
        String out = capture(Tour::run);
        String[] lines = out.split("\n", -1);
        assertEquals("", lines[lines.length - 1], "the tour ends with a line end");
        List<String> text = List.of(lines).subList(0, lines.length - 1);

        // Each stop: an empty line, its header "[i/n] problem", then its own lines, all indented.
        int n = Tour.STOPS.size(), at = 1;
        for (int i = 0; i < n; i++) {
            assertEquals("", text.get(at), "an empty line before stop " + (i + 1) + "\n" + out);
            assertEquals("[" + (i + 1) + "/" + n + "] " + Tour.STOPS.get(i).problem(), text.get(at + 1), out);
            int body = 0;
            at += 2;
            while (text.get(at).startsWith("  ")) {
                body++;
                at++;
            }
            assertTrue(body >= 1 && body <= 8, "stop " + (i + 1) + " printed " + body + " lines\n" + out);
        }
        assertEquals(List.of("", text.get(text.size() - 1)), text.subList(at, text.size()), out);
        assertTrue(text.get(0).startsWith("dualgrad on " + n + " problems; "), out);
        assertTrue(text.get(text.size() - 1).startsWith("every claim held (" + n + " stops, "), out);
        assertTrue(text.size() <= 100, "the tour printed " + text.size() + " lines\n" + out);
        for (String l : text) assertTrue(l.codePointCount(0, l.length()) <= 120, "a line wider than 120 characters: " + l);

        // It speaks of problems, not of the forum threads they came from.
        assertFalse(Pattern.compile("(?i)\\b(seeds?|questions?)\\b").matcher(out).find(), out);
        // What some stops must show.
        assertTrue(out.contains("R^10 -> R^1000: FORWARD mode") && out.contains("R^1000 -> R^10: REVERSE mode"), out);
        assertTrue(out.contains("cotangent has shape [2]"), out);
        assertTrue(out.contains("written to " + JacobianPenaltyTraining.PNG) && Files.isRegularFile(JacobianPenaltyTraining.PNG), out);
        assertTrue(out.contains("written to " + PoissonPinn.PNG) && Files.isRegularFile(PoissonPinn.PNG), out); // issue 18
        assertTrue(out.contains("one pass of order 8 (Diff.directionalDerivative)"), out);
    }

    @Test
    void theBratuExampleSolvesBothWaysAndChecksItself() {
        String out = capture(o -> Tour.run(List.of(new BratuNewton()), o));
        assertTrue(out.contains("sparse Jacobian + EJML Cholesky") && out.contains("the two solutions differ"), out);
        assertTrue(out.contains("every claim held (1 stop, "), out);
    }

    @Test
    void everyProblemIsOneSentence() {
        for (Stop s : Tour.STOPS) {
            String p = s.problem();
            assertTrue(p.endsWith(".") && !Pattern.compile("[.?!]\\s").matcher(p).find() && Character.isUpperCase(p.charAt(0)), p);
        }
    }

    /** A stop that prints the given lines. */
    private static Stop printing(String problem, String... lines) {
        return new Stop() {
            @Override
            public String problem() {
                return problem;
            }

            @Override
            public void run(PrintStream out) {
                for (String l : lines) out.println(l);
            }
        };
    }

    @Test
    void theTourRefusesAStopOverItsBudget() {
        String[] eight = new String[8], nine = new String[9];
        java.util.Arrays.fill(eight, "a line");
        java.util.Arrays.fill(nine, "a line");
        String ok = capture(out -> Tour.runStop(printing("Fits.", eight), "1/1", out));
        assertEquals("[1/1] Fits.\n" + "  a line\n".repeat(8), ok);
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThrows(IllegalStateException.class, () -> Tour.runStop(printing("Too long.", nine), "1/1", sink));
        Tour.runStop(printing("As wide as allowed.", "x".repeat(118)), "1/1", sink); // 2 of indentation make 120
        assertThrows(IllegalStateException.class, () -> Tour.runStop(printing("Too wide.", "x".repeat(119)), "1/1", sink));
        assertThrows(IllegalStateException.class, () -> Tour.runStop(printing("Two sentences. Here.", "a"), "1/1", sink));
        assertThrows(IllegalStateException.class, () -> Tour.runStop(printing("No period", "a"), "1/1", sink));
        // empty lines count as lines
        String[] gaps = new String[9];
        java.util.Arrays.fill(gaps, "");
        assertThrows(IllegalStateException.class, () -> Tour.runStop(printing("Gaps.", gaps), "1/1", sink));
        // twelve stops of eight lines do not fit the tour
        List<Stop> many = new ArrayList<>();
        for (int i = 0; i < 12; i++) many.add(printing("Fits.", eight));
        assertThrows(IllegalStateException.class, () -> Tour.run(many, sink));
    }

    @Test
    void wrapBreaksAtSpacesWithinTheWidth() {
        assertEquals("aa bb\ncc", Tour.wrap("aa bb cc", 5));
        assertEquals("aaaaaaa\nb", Tour.wrap("aaaaaaa b", 5));
    }
}
