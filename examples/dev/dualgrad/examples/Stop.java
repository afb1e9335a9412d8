package dev.dualgrad.examples;

import java.io.PrintStream;

/**
 * One stop of the {@link Tour}: a problem users meet with derivatives, solved with dualgrad in a few
 * printed lines. A stop checks every claim it prints ({@link Checks}), so the tests that run the tour fail
 * as soon as a claim stops being true; the tour holds it to {@link Tour#MAX_LINES} lines of at most
 * {@link Tour#WIDTH} characters.
 */
public interface Stop {
    /**
     * The problem, in one sentence of user terms ending with a period, e.g. "The Jacobian of a mean
     * cross-entropy with respect to the logits, with integer targets."
     *
     * @return the sentence
     */
    String problem();

    /**
     * Solves the problem and prints what a reader needs to see.
     *
     * @param out where the lines go
     * @throws IllegalStateException when a claim does not hold
     */
    void run(PrintStream out);
}
