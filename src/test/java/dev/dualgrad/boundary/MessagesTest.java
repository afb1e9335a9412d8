package dev.dualgrad.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.data.Dataset;
import dev.dualgrad.nn.Linear;
import dev.dualgrad.nn.Sgd;
import dev.dualgrad.nn.Trainer;
import dev.dualgrad.tensor.Parallelism;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Issue 11, items 6 (Trainer on an empty set) and 9: messages that say what is wrong, where. */
class MessagesTest {
    @Test
    void verifyOnANanInputBlamesTheInputNotARule() {
        for (JacobianMode m : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Diff.jacobian(x -> x.square(), Tensor.vector(1, Double.NaN),
                    JacobianOptions.defaults().mode(m).verify(true)));
            assertTrue(e.getMessage().contains("the input holds NaN at element 1"), e.getMessage());
            assertFalse(e.getMessage().contains("rule of some op in f is wrong"), e.getMessage());
        }
        // a finite input whose output and derivative are NaN (sqrt of a negative number, d = 1/(2·sqrt x)): the output is named
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Diff.jacobian(x -> x.sqrt(), Tensor.vector(1, -1), JacobianOptions.defaults().verify(true)));
        assertTrue(e.getMessage().contains("the output f(x) holds NaN at element 1"), e.getMessage());
    }

    @Test
    void datasetRowsOutOfRangeNameTheIndex() {
        Dataset d = new Dataset(Tensor.zeros(3, 2), new int[3]);
        for (int bad : new int[] {3, 5, -1}) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> d.rows(new int[] {0, bad}));
            assertFalse(e instanceof ArrayIndexOutOfBoundsException, e.toString());
            assertEquals("Dataset.rows: index[1] = " + bad + " is not a row of this data set of 3 rows; indices must lie in [0, 3)", e.getMessage());
        }
    }

    @Test
    void aShutDownPoolIsRefusedWithAMessage() {
        ForkJoinPool pool = new ForkJoinPool(2);
        pool.shutdown();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallelism.with(pool, () -> 1));
        assertTrue(e.getMessage().contains("pool is shut down"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Parallelism.use(pool));
        assertTrue(e.getMessage().contains("pool is shut down"), e.getMessage());
    }

    @Test
    void trainingOnAnEmptySetIsAClearError() {
        Trainer t = Trainer.of(new Linear(3, 2, 0), new Sgd(0.1)).epochs(1);
        Dataset empty = new Dataset(Tensor.zeros(0, 3), new int[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(empty, null));
        assertTrue(e.getMessage().startsWith("Trainer.fit: train has no rows"), e.getMessage());
    }
}
