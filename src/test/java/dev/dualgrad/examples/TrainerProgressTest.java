package dev.dualgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dualgrad.data.Dataset;
import dev.dualgrad.data.Digits;
import dev.dualgrad.nn.Adam;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.nn.Trainer;
import dev.dualgrad.nn.Trainer.EpochListener;
import dev.dualgrad.nn.Trainer.EpochReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The compact forms of Trainer's progress output, which the examples use (hand-made reports, expected text written out). */
class TrainerProgressTest {
    /** Epoch e of E with loss e/10, train accuracy 0.5 and test accuracy (90 + e)% (or NaN). */
    private static EpochReport report(int e, int epochs, boolean withTest) {
        return new EpochReport(e, epochs, e / 10.0, 0.5, withTest ? (90 + e) / 100.0 : Double.NaN, 123);
    }

    private static String feed(Function<PrintStream, EpochListener> make, int epochs, boolean withTest, int runs) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        EpochListener l = make.apply(out);
        for (int run = 0; run < runs; run++) for (int e = 1; e <= epochs; e++) l.onEpoch(report(e, epochs, withTest));
        return buf.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void progressLinePrintsEveryNthEpochAndTheLastOnOneLine() {
        assertEquals("epoch 3: loss 0.300, test 93.0% | 6: loss 0.600, test 96.0% | 7: loss 0.700, test 97.0%\n",
                feed(out -> EpochListener.progressLine(3, out), 7, true, 1));
    }

    @Test
    void progressLineStartsANewLineForEachRunAndShowsTrainAccuracyWithoutATestSet() {
        String one = "epoch 2: loss 0.200, train 50.0% | 4: loss 0.400, train 50.0%\n";
        assertEquals(one + one, feed(out -> EpochListener.progressLine(2, out), 4, false, 2));
    }

    @Test
    void printingEveryPrintsFullLinesAtMultiplesOfNAndTheLast() {
        String text = feed(out -> EpochListener.printingEvery(3, out), 7, true, 1);
        assertEquals(List.of(report(3, 7, true).line(), report(6, 7, true).line(), report(7, 7, true).line()), List.of(text.split("\n")));
        assertEquals("epoch   3/7  loss 0.3000  train acc 50.00%  test acc 93.00%  123 ms", report(3, 7, true).line());
    }

    @Test
    void andThenCallsBothInOrder() {
        List<String> calls = new ArrayList<>();
        EpochListener a = r -> calls.add("a" + r.epoch()), b = r -> calls.add("b" + r.epoch());
        EpochListener both = a.andThen(b);
        both.onEpoch(report(1, 2, true));
        both.onEpoch(report(2, 2, true));
        assertEquals(List.of("a1", "b1", "a2", "b2"), calls);
    }

    @Test
    void everyNMustBePositive() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> EpochListener.progressLine(0, out));
        assertThrows(IllegalArgumentException.class, () -> EpochListener.printingEvery(0, out));
    }

    @Test
    void aTrainingRunPrintsOneProgressLineMatchingItsReports() {
        Dataset[] s = Digits.load().split(0.8, 3);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        List<EpochReport> h = Trainer.of(Mlp.of(64, 16, 10).seed(4).build(), new Adam(0.01)).epochs(3).batchSize(128).seed(5)
                .listener(EpochListener.progressLine(2, out)).fit(s[0], s[1]);
        assertEquals("epoch " + h.get(1).brief() + " | " + h.get(2).brief() + System.lineSeparator(), buf.toString(StandardCharsets.UTF_8));
    }
}
