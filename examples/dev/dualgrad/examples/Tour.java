package dev.dualgrad.examples;

import java.io.PrintStream;
import java.util.function.Consumer;

/** The main demo: the seed questions answered with dualgrad, in order. */
public final class Tour {
    private Tour() {}

    record Stop(String title, Consumer<PrintStream> example) {}

    static final Stop[] STOPS = {
        new Stop("Seed 000: the Jacobian and a JVP of cross-entropy with integer targets", Seed000CrossEntropyJacobian::run),
        new Stop("Seed 002: VJP versus JVP, and the shapes each takes", Seed002VjpVersusJvp::run),
        new Stop("Seed 003: cross-entropy vs NLL on raw scores vs NLL on log-softmax", Seed003CrossEntropyVsNll::run),
        new Stop("jacobian() choosing forward or reverse mode", JacobianModes::run),
        new Stop("Seed 004: per-sample Jacobians [batch, classes, dims] in one call", Seed004BatchJacobian::run),
        new Stop("A digits classifier: training, accuracy, input-Jacobian norms", DigitsClassifier::run),
        new Stop("Seed 001: training with a penalty on the input-Jacobian norm", Seed001JacobianPenalty::run),
        new Stop("Speed and memory: the kernel, transposes in place, threads, what a tape keeps", SpeedAndMemory::run),
    };

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        for (Stop s : STOPS) {
            out.println();
            out.println("=== " + s.title);
            s.example.accept(out);
        }
    }
}
