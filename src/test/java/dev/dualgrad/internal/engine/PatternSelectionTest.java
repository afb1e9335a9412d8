package dev.dualgrad.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * The selection rules copy runs of shared rows in bulk ({@code System.arraycopy} from 8 on, a loop below): these tests
 * hold {@link Pattern#alongAxis} and {@link Pattern#gather} to an element-by-element reading of their definitions, on
 * shapes whose runs are longer and shorter than that threshold, with padding at both ends and maps that jump.
 */
class PatternSelectionTest {
    private static final int R = 12, C = 20; // a [12, 20] tensor seeded with its own indices

    /** Row e of the seed is {e}; every other element's row is checked against the element it must copy. */
    private static void assertCopies(Pattern p, Pattern seed, int[] expectedSource) {
        for (int o = 0; o < expectedSource.length; o++) {
            int e = expectedSource[o];
            if (e < 0) assertArrayEquals(Pattern.NONE, p.row(o), "element " + o + " depends on nothing");
            else assertSame(seed.row(e), p.row(o), "element " + o + " shares input row " + e);
        }
    }

    @Test
    void slicesAndPadsAlongEitherAxisCopyTheRowsTheirDefinitionsName() {
        Pattern seed = Pattern.seed(R * C, 0, R * C);
        int[] shape = {R, C};
        for (int axis = 0; axis < 2; axis++) {
            int length = shape[axis];
            for (int[] cut : new int[][] {{0, length}, {1, length - 1}, {3, 4}, {0, 9}, {length - 9, length}}) {
                int start = cut[0], len = cut[1] - cut[0];
                Pattern p = Pattern.alongAxis(seed, shape, axis, len, a -> a + start);
                assertCopies(p, seed, sources(shape, axis, len, a -> a + start));
            }
            for (int[] pad : new int[][] {{1, 1}, {0, 3}, {9, 0}, {2, 10}}) {
                int before = pad[0], out = pad[0] + length + pad[1];
                java.util.function.IntUnaryOperator from = a -> a >= before && a < before + length ? a - before : -1;
                Pattern p = Pattern.alongAxis(seed, shape, axis, out, from);
                assertCopies(p, seed, sources(shape, axis, out, from));
            }
            // a map that runs backwards and jumps: no two sources follow one another
            java.util.function.IntUnaryOperator reversed = a -> length - 1 - a;
            assertCopies(Pattern.alongAxis(seed, shape, axis, length, reversed), seed, sources(shape, axis, length, reversed));
        }
    }

    @Test
    void gatherFromOneInputFollowsItsMapWhateverTheRuns() {
        Pattern seed = Pattern.seed(R * C, 0, R * C);
        int n = 3 * R * C;
        int[] map = new int[n];
        for (int o = 0; o < n; o++) { // a run of 40, one of nothing, single jumps, a run of 7 and one of 8
            int block = o / 40;
            map[o] = block % 4 == 0 ? (o * 7) % (R * C) : block % 4 == 1 ? -1 : block % 4 == 2 ? o % (R * C) : (o % 15 < 7 ? o % 200 : (o % 15) + 100);
        }
        Pattern p = Pattern.gather(n, new Pattern[] {seed, null}, new int[][] {map, null});
        assertCopies(p, seed, map);
        int[] ones = new int[n];
        java.util.Arrays.fill(ones, -1);
        Pattern none = Pattern.gather(n, new Pattern[] {null, seed}, new int[][] {null, ones});
        assertCopies(none, seed, ones);
    }

    /** For each output element of an axis op, the input element it copies (row-major), or -1. */
    private static int[] sources(int[] shape, int axis, int outLength, java.util.function.IntUnaryOperator from) {
        int[] out = shape.clone();
        out[axis] = outLength;
        int[] src = new int[out[0] * out[1]];
        for (int i = 0; i < out[0]; i++) {
            for (int j = 0; j < out[1]; j++) {
                int a = axis == 0 ? i : j, b = from.applyAsInt(a);
                int si = axis == 0 ? b : i, sj = axis == 0 ? j : b;
                src[i * out[1] + j] = b < 0 ? -1 : si * shape[1] + sj;
            }
        }
        return src;
    }
}
