package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.ValueAndTangent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 16: carrying k tangent directions through one forward pass must give exactly the k JVPs that k
 * separate passes give. Every registered op runs on its own sample shapes and on 0-d and size-1 variants
 * of them (a 0-d input, a [1] or [1, 1] input, [2, 1] against [1, 3], ...), with k = 1, 2, 3 directions:
 * the batched tangent must be shaped [k, ...output shape] and its slice j must equal, bit for bit, the
 * tangent of a single {@code Diff.jvp} along direction j. Multi-argument ops are also run with only one
 * argument carrying directions (the others carry none), as the chunks of a forward Jacobian do.
 *
 * <p>The expected values come from the single-direction route; directions are sliced out of the [k, ...]
 * tensors by copying raw arrays, not with library ops. Shapes an op rejects with an
 * IllegalArgumentException (or, for select/pick with fixed indices, an IndexOutOfBoundsException) on the
 * plain primal evaluation are skipped; {@link #zeroDimensionalCoverage}
 * makes sure that skipping did not hide the 0-d cases.</p>
 */
class DirectionBatchingTest {
    static final int[] KS = {1, 2, 3};

    /** 0-d and size-1 shapes tried for every unary and binary op, on top of the registry's own shapes. */
    static final int[][] SMALL = {{}, {1}, {1, 1}, {2, 1}, {1, 3}, {1, 1, 1}, {1, 2, 1}};

    /** One admitted case: an op, its argument shapes, seeded inputs and the plain output. */
    record Case(OpSpec spec, int[][] shapes, Tensor[] xs, Tensor out) {
        String describe() {
            StringBuilder sb = new StringBuilder(spec.name()).append(" at shapes ");
            for (int i = 0; i < shapes.length; i++) sb.append(i == 0 ? "" : ", ").append(Shape.str(shapes[i]));
            sb.append(" (output ").append(Shape.str(out.shape())).append(')');
            for (Tensor x : xs) sb.append("\n  input ").append(x);
            return sb.toString();
        }
    }

    /** The registry's sample shapes, then 0-d / size-1 variants: each op runs on every shape tuple it admits. */
    static List<int[][]> candidateShapes(OpSpec spec) {
        Map<String, int[][]> out = new LinkedHashMap<>();
        for (int[][] t : spec.shapes()) put(out, t);
        if (spec.arity() == 1) for (int[] s : SMALL) put(out, new int[][] {s});
        if (spec.arity() == 2) for (int[] s : SMALL) for (int[] u : SMALL) put(out, new int[][] {s, u});
        for (int[][] t : spec.shapes()) {
            int a = t.length;
            int[][] ones = new int[a][], scalars = new int[a][];
            for (int i = 0; i < a; i++) {
                ones[i] = Shape.ones(t[i].length);
                scalars[i] = new int[0];
            }
            put(out, ones);
            put(out, scalars);
            for (int i = 0; i < a; i++) {
                put(out, with(t, i, new int[0]));
                put(out, with(t, i, Shape.ones(t[i].length)));
                if (t[i].length > 0) put(out, with(t, i, Arrays.copyOfRange(t[i], 1, t[i].length)));
                for (int ax = 0; ax < t[i].length; ax++) {
                    int[] s = t[i].clone();
                    s[ax] = 1;
                    put(out, with(t, i, s));
                    // the same axis set to 1 in every argument of that rank (for ops whose arguments must agree)
                    int[][] all = t.clone();
                    for (int j = 0; j < a; j++) {
                        if (t[j].length == t[i].length) {
                            all[j] = t[j].clone();
                            all[j][ax] = 1;
                        }
                    }
                    put(out, all);
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    private static int[][] with(int[][] t, int i, int[] s) {
        int[][] r = t.clone();
        r[i] = s;
        return r;
    }

    private static void put(Map<String, int[][]> m, int[][] t) {
        m.putIfAbsent(Arrays.deepToString(t), t);
    }

    /** Every (op, shape tuple) whose plain evaluation the op admits, with seeded inputs in its domains. */
    static List<Case> cases(OpSpec spec) {
        List<Case> r = new ArrayList<>();
        long seed = 1;
        for (int[][] shapes : candidateShapes(spec)) {
            seed++;
            Tensor[] xs;
            Tensor out;
            try {
                xs = Conformance.inputs(spec, shapes, seed);
                out = spec.apply(xs);
            } catch (IllegalArgumentException | IndexOutOfBoundsException rejected) {
                continue; // the op does not take these shapes (an index op: its fixed indices do not fit them)
            }
            r.add(new Case(spec, shapes, xs, out));
        }
        return r;
    }

    @TestFactory
    Stream<DynamicTest> kDirectionsInOnePassEqualKSingleJvpsBitwise() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            tests.add(DynamicTest.dynamicTest(spec.name(), () -> {
                List<Case> cs = cases(spec);
                assertTrue(!cs.isEmpty(), spec.name() + ": no shape admitted");
                List<String> failures = new ArrayList<>();
                int c = 0;
                for (Case cs1 : cs) {
                    for (int k : KS) {
                        long seed = 7919L * (c++) + k;
                        try {
                            check(cs1, k, seed, -1);
                            if (cs1.xs.length > 1) for (int only = 0; only < cs1.xs.length; only++) check(cs1, k, seed, only);
                        } catch (Throwable t) {
                            failures.add("k = " + k + ": " + t.getMessage() + (t instanceof AssertionError ? "" : " (" + t.getClass().getSimpleName() + ")"));
                        }
                    }
                }
                if (!failures.isEmpty()) {
                    fail(failures.size() + " failing cases for " + spec.name() + "; the first ones:\n" + String.join("\n\n", failures.subList(0, Math.min(4, failures.size()))));
                }
            }));
        }
        return tests.stream();
    }

    /**
     * k directions in one jvpBatched call against k single jvp calls. With {@code only} ≥ 0, only that
     * argument carries directions (a null tangent for the others) on both routes.
     */
    static void check(Case c, int k, long seed, int only) {
        MultiTensorFunction f = c.spec::apply;
        Tensor[] xs = c.xs;
        int a = xs.length;
        Tensor[] dirs = new Tensor[a];
        for (int i = 0; i < a; i++) if (only < 0 || only == i) dirs[i] = TensorRandom.seed(seed * 31 + i).normal(Shape.concat(new int[] {k}, xs[i].shape()));
        String what = c.describe() + "\n  k = " + k + (only >= 0 ? ", directions on argument " + only + " only" : "");
        ValueAndTangent batched;
        try {
            batched = Diff.jvpBatched(f, xs, dirs);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("jvpBatched threw " + e + "\n" + what, e);
        }
        int[] out = c.out.shape();
        int[] expectShape = Shape.concat(new int[] {k}, out);
        if (!Arrays.equals(expectShape, batched.tangent().shape())) {
            fail("jvpBatched tangent has shape " + Shape.str(batched.tangent().shape()) + " but " + k + " directions of an output "
                    + Shape.str(out) + " must be " + Shape.str(expectShape) + "\n" + what);
        }
        sameBits("jvpBatched value vs plain evaluation", Tensors.buffer(c.out), Tensors.buffer(batched.value()), what);
        double[] bt = Tensors.buffer(batched.tangent());
        int m = c.out.size();
        for (int j = 0; j < k; j++) {
            Tensor[] v = new Tensor[a];
            for (int i = 0; i < a; i++) {
                if (dirs[i] == null) continue;
                int n = xs[i].size();
                v[i] = Tensor.of(Arrays.copyOfRange(Tensors.buffer(dirs[i]), j * n, (j + 1) * n), xs[i].shape());
            }
            ValueAndTangent single = Diff.jvp(f, xs, v);
            assertEquals(Shape.str(out), Shape.str(single.tangent().shape()), "single jvp tangent shape\n" + what);
            sameBits("direction " + j + " of jvpBatched vs a single jvp along it", Tensors.buffer(single.tangent()),
                    Arrays.copyOfRange(bt, j * m, (j + 1) * m), what);
        }
    }

    static void sameBits(String label, double[] expected, double[] actual, String what) {
        if (actual.length != expected.length) fail(label + ": " + actual.length + " values but " + expected.length + " expected\n" + what);
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.17g but expected %.17g (not bitwise equal)\n%s", label, i, actual[i], expected[i], what));
            }
        }
    }

    /**
     * The shapes an op rejected must not have hidden its 0-d and size-1 cases: every elementwise op and
     * every broadcasting op runs with a 0-d argument (binary ones with a 0-d argument against a higher
     * rank too), every full reduction (sum(), mean(), max()) on a 0-d input, and every reduction along
     * axes and every softmax-family op on an input whose axes all have size 1.
     */
    @Test
    void zeroDimensionalCoverage() {
        Set<String> unary = Set.of("neg", "exp", "log", "log1p", "sqrt", "square", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
                "softplus", "reciprocal", "clamp");
        Set<String> binary = Set.of("add", "sub", "mul", "mulStrongZero", "div", "pow", "maximum", "minimum");
        Set<String> broadcasting = Set.of("broadcastTo", "where");
        Set<String> reductions = Set.of("sum", "mean", "max", "logsumexp", "softmax", "logSoftmax");
        Set<String> seen = new HashSet<>();
        List<String> missing = new ArrayList<>();
        int total = 0, zeroD = 0;
        for (OpSpec spec : OpRegistry.all()) {
            String m = spec.method();
            List<Case> cs = cases(spec);
            total += cs.size();
            boolean anyZeroArg = false, allZeroArgs = false, mixed = false, sizeOneInput = false;
            for (Case c : cs) {
                boolean any = false, all = true, higher = false;
                for (int[] s : c.shapes) {
                    any |= s.length == 0;
                    all &= s.length == 0;
                    higher |= s.length > 0;
                }
                if (any || c.out.rank() == 0) zeroD++;
                anyZeroArg |= any;
                allZeroArgs |= all;
                mixed |= any && higher;
                sizeOneInput |= c.shapes[0].length > 0 && Shape.size(c.shapes[0]) == 1;
            }
            if (unary.contains(m) || binary.contains(m)) {
                seen.add(m);
                if (!allZeroArgs) missing.add(spec.name() + ": never run with every argument 0-d");
                if (spec.arity() == 2 && !mixed) missing.add(spec.name() + ": never run with a 0-d argument against a higher rank");
            } else if (broadcasting.contains(m)) {
                seen.add(m);
                if (!anyZeroArg) missing.add(spec.name() + ": never run with a 0-d argument");
            } else if (reductions.contains(m)) {
                seen.add(m);
                if (spec.name().endsWith("()") && !allZeroArgs) missing.add(spec.name() + ": never run on a 0-d input");
                if (!sizeOneInput) missing.add(spec.name() + ": never run on an input whose axes all have size 1");
            }
        }
        Set<String> all = new HashSet<>(unary);
        all.addAll(binary);
        all.addAll(broadcasting);
        all.addAll(reductions);
        all.removeAll(seen);
        assertTrue(all.isEmpty(), "ops listed here but not in the registry (update the lists): " + all);
        assertTrue(missing.isEmpty(), String.join("\n", missing));
        assertTrue(total >= 1500 && zeroD >= 300, total + " admitted cases, " + zeroD + " with a 0-d argument or output");
    }
}
