package dev.dualgrad.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo: problems users meet with derivatives, one {@link Stop} each, solved and checked in a few lines.
 * The budget is part of the structure: a stop prints at most {@link #MAX_LINES} lines of at most
 * {@link #WIDTH} characters, its problem is one sentence, and the whole tour at most
 * {@link #MAX_TOTAL_LINES} lines (about a minute of reading); the tour throws when a stop overruns, so a
 * new stop has to fit or something has to go.
 *
 * <p>{@code mvn -q -B test-compile exec:java} runs every stop; {@code -Dexec.args="PerSampleJacobians"}
 * runs the stops named (by class name).</p>
 */
public final class Tour {
    /** Lines one stop may print, its header not counted. */
    static final int MAX_LINES = 8;
    /** Characters a printed line may hold, the indentation included. */
    static final int WIDTH = 120;
    /** Lines the whole tour may print. */
    static final int MAX_TOTAL_LINES = 100;
    private static final String INDENT = "  ";

    static final List<Stop> STOPS = List.of(
            new CrossEntropyJacobian(),
            new VjpVersusJvp(),
            new CrossEntropyVersusNll(),
            new JacobianModes(),
            new PerSampleJacobians(),
            new DigitsClassifier(),
            new JacobianPenaltyTraining(),
            new GaussianProcessFit(), // issue 20: linear algebra
            new ExponentialDecayFit(), // issue 12: Commons Math
            new RosenbrockConjugateGradient(),
            new NewtonRaphsonRoot(),
            new SparseNewtonRosenbrock(), // issue 13: a sparse Hessian (BratuNewton, a sparse Jacobian, runs alone: ~20 s)
            new TaylorDerivatives(), // issue 18: Taylor mode
            new PoissonPinn(), // issue 18: the forward Laplacian in a training loss
            new SpeedAndMemory());

    private Tour() {}

    /**
     * Runs the tour, or the stops named by their class names.
     *
     * @param args class names of the stops to run; none runs them all
     */
    public static void main(String[] args) {
        List<Stop> chosen = new ArrayList<>();
        for (String a : args) {
            Stop s = STOPS.stream().filter(t -> t.getClass().getSimpleName().equals(a)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no stop named " + a + "; the stops are "
                            + STOPS.stream().map(t -> t.getClass().getSimpleName()).toList()));
            chosen.add(s);
        }
        run(chosen.isEmpty() ? STOPS : chosen, System.out);
    }

    /**
     * Runs every stop.
     *
     * @param out where the tour prints
     */
    public static void run(PrintStream out) {
        run(STOPS, out);
    }

    static void run(List<Stop> stops, PrintStream out) {
        long t0 = System.nanoTime();
        int lines = 0;
        out.println("dualgrad on " + stops.size() + (stops.size() == 1 ? " problem" : " problems")
                + "; each stop checks what it prints, and a claim that fails stops the tour.");
        lines++;
        for (int i = 0; i < stops.size(); i++) {
            out.println();
            lines += 1 + runStop(stops.get(i), (i + 1) + "/" + stops.size(), out);
        }
        out.println();
        out.printf(Locale.ROOT, "every claim held (%d %s, %.1f s)%n", stops.size(), stops.size() == 1 ? "stop" : "stops", (System.nanoTime() - t0) / 1e9);
        lines += 2;
        if (lines > MAX_TOTAL_LINES) {
            throw new IllegalStateException("the tour printed " + lines + " lines; it may print at most " + MAX_TOTAL_LINES);
        }
    }

    /**
     * Prints the stop's header and runs it with its output indented, within the budget.
     *
     * @return the lines printed, the header included
     */
    static int runStop(Stop s, String label, PrintStream out) {
        String name = s.getClass().getSimpleName(), problem = s.problem();
        if (!problem.endsWith(".") || problem.substring(0, problem.length() - 1).matches("(?s).*[.?!](\\s.*)?")) {
            throw new IllegalStateException(name + ": the problem must be one sentence ending with a period, got \"" + problem + "\"");
        }
        String header = "[" + label + "] " + problem;
        if (header.codePointCount(0, header.length()) > WIDTH) {
            throw new IllegalStateException(name + ": the header \"" + header + "\" is longer than " + WIDTH + " characters");
        }
        out.println(header);
        Budget b = new Budget(out);
        PrintStream ps = new PrintStream(b, true, StandardCharsets.UTF_8);
        s.run(ps);
        ps.flush();
        b.finish();
        if (b.lines > MAX_LINES) throw new IllegalStateException(name + " printed " + b.lines + " lines; a stop may print at most " + MAX_LINES);
        if (b.widest > WIDTH) throw new IllegalStateException(name + " printed a line of " + b.widest + " characters; at most " + WIDTH);
        return 1 + b.lines;
    }

    /**
     * Breaks a long text (an error message, say) at spaces into lines of at most {@code width} characters.
     *
     * @return the lines, joined by '\n'
     */
    static String wrap(String text, int width) {
        StringBuilder all = new StringBuilder(), line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                all.append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        return all.append(line).toString();
    }

    /** Forwards a stop's UTF-8 output line by line, indented, counting the lines and the widest. */
    private static final class Budget extends OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean lineStarted;
        int lines, widest, width;

        Budget(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                emit();
                if (!lineStarted) {
                    out.print(INDENT); // an empty line of the stop: indented too, so that only the tour's separators are empty
                    lines++;
                }
                out.println();
                lineStarted = false;
                width = 0;
            } else if (b != '\r') {
                pending.write(b);
            }
        }

        @Override
        public void flush() {
            emit();
            out.flush();
        }

        /** Ends a last line the stop left open. */
        void finish() {
            if (lineStarted) {
                out.println();
                lineStarted = false;
            }
        }

        private void emit() {
            if (pending.size() == 0) return;
            String text = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            if (!lineStarted) {
                out.print(INDENT);
                width = INDENT.length();
                lineStarted = true;
                lines++;
            }
            out.print(text);
            width += text.codePointCount(0, text.length());
            widest = Math.max(widest, width);
        }
    }
}
