package dev.dualgrad.boundary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.HessianResult;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: negative sizes and positions, sizes whose product overflows 2³¹ − 1, and Integer.MIN_VALUE /
 * MAX_VALUE positions, on every factory and shape-taking method. Each must be refused with an
 * IllegalArgumentException or IndexOutOfBoundsException whose message names the op; no other exception
 * type, and never a result (a result here is always wrong: e.g. zeros(-2, -2) has a "product" of 4). None
 * of the cases needs memory: a correct implementation refuses before allocating.
 */
class BadSizesTest {
    private static final int MIN = Integer.MIN_VALUE, MAX = Integer.MAX_VALUE;
    /** Shapes no factory may accept: negative axes (some with a positive product), and products above 2³¹ − 1. */
    private static final int[][] BAD_SHAPES = {{-1}, {3, -1}, {-2, -2}, {-1, -1, 0}, {0, -1}, {MIN}, {MIN, MIN}, {-65536, -65536},
            {65536, 65536}, {46341, 46341}, {MAX, 2}, {2, MAX}, {65536, 65536, 65536, 65536}, {MAX, MAX}};

    /** mention: what the message must contain (the op's name, or for the factories the offending shape). */
    private record Case(String op, String what, String mention, Supplier<Object> call) {}

    private final List<Case> cases = new ArrayList<>();

    private void add(String op, String what, Supplier<Object> call) {
        cases.add(new Case(op, what, op, call));
    }

    private void add(String op, String what, String mention, Supplier<Object> call) {
        cases.add(new Case(op, what, mention, call));
    }

    private static String describe(Object r) {
        if (r instanceof Tensor t) return "a tensor of shape " + Arrays.toString(t.shape()) + " and size " + t.size();
        return String.valueOf(r);
    }

    /** Runs every case; collects every case that returned, threw another type, or threw without naming the op. */
    private List<String> runAll() {
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            String id = c.op + ": " + c.what;
            try {
                Object r = c.call.get();
                failures.add(id + " returned " + describe(r));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                String m = e.getMessage();
                if (m == null || !m.toLowerCase().contains(c.mention.toLowerCase())) failures.add(id + " threw " + e + ": the message does not mention " + c.mention);
            } catch (Throwable t) {
                failures.add(id + " threw " + t);
            }
        }
        return failures;
    }

    private void check() {
        List<String> failures = runAll();
        System.out.printf("BadSizesTest: %d cases, %d failures%n", cases.size(), failures.size());
        if (!failures.isEmpty()) fail(failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures));
    }

    private void factoryCases(boolean nameTheFactory) {
        for (int[] s : BAD_SHAPES) {
            String w = Arrays.toString(s);
            add("zeros", w, nameTheFactory ? "zeros" : w, () -> Tensor.zeros(s));
            add("ones", w, nameTheFactory ? "ones" : w, () -> Tensor.ones(s));
            add("full", w, nameTheFactory ? "full" : w, () -> Tensor.full(1.5, s));
            add("normal", w, nameTheFactory ? "normal" : w, () -> TensorRandom.seed(1).normal(s));
            add("uniform", w, nameTheFactory ? "uniform" : w, () -> TensorRandom.seed(1).uniform(0, 1, s));
            // of: a data length equal to the wrapped or signed "product" must not make the shape acceptable
            long p = 1;
            for (int d : s) p *= d;
            int len = (int) Math.max(0, Math.min(16, p));
            add("of", w + " with " + len + " values", nameTheFactory ? "of:" : w, () -> Tensor.of(new double[len], s));
            add("of", w + " with 0 values", nameTheFactory ? "of:" : w, () -> Tensor.of(new double[0], s));
        }
        for (int n : new int[] {-1, MIN, 46341, 65536, MAX}) add("eye", "n = " + n, nameTheFactory ? "eye" : String.valueOf(n), () -> Tensor.eye(n));
    }

    @Test
    void factoriesRefuseNegativeAndOverflowingShapes() {
        factoryCases(false); // the message names the offending shape (it does not name the factory: see below)
        add("fromArray", "ragged rows", () -> Tensor.fromArray(new double[][] {{1, 2}, {3}}));
        add("fromArray", "a non-array", () -> Tensor.fromArray("x"));
        add("fromArray", "an empty outer array", () -> Tensor.fromArray(new double[0][]));
        check();
        assertTrue(cases.size() >= 100, "too few cases: " + cases.size());
    }

    /**
     * Open: the factories' refusals come from the shared shape check and say only "shape [-1] has a
     * negative dimension (-1)" or "shape [65536, 65536] holds more than 2³¹ − 1 ...", without naming
     * zeros/ones/full/of/eye/normal/uniform. Naming them needs the op name passed from Tensor.java and
     * TensorRandom.java, which are outside this change (Tensor.java is being edited elsewhere).
     */
    @Test
    void factoryRefusalsNameTheFactory() {
        factoryCases(true);
        check();
    }

    @Test
    void shapeMethodsRefuseBadSizesAndPositions() {
        Tensor v = Tensor.vector(1, 2, 3), m = Tensor.ones(2, 3), one = Tensor.ones(1), e = Tensor.zeros(0);
        for (int[] s : new int[][] {{-2, -2}, {-1, -1}, {-3}, {-1, -6}, {MIN}, {MIN, -1}, {65536, 65536}, {46341, 46341}, {MAX, 2}, {6, 0, -1}}) {
            String w = Arrays.toString(s);
            add("reshape", "[2,3] to " + w, () -> m.reshape(s));
        }
        add("reshape", "[0] to [0, -1] (the inferred axis is ambiguous; NumPy refuses)", () -> e.reshape(0, -1));
        add("reshape", "[0] to [65536, 65536] (size 0, not 2³²)", () -> e.reshape(65536, 65536));
        add("reshape", "[0] to [-1, -1]", () -> e.reshape(-1, -1));
        for (int[] s : new int[][] {{-1}, {-2, -2}, {MIN}, {46341, 46341}, {MAX, 2}, {2, MAX}, {MIN, 1}}) {
            String w = Arrays.toString(s);
            add("broadcastTo", "[1] to " + w, () -> one.broadcastTo(s));
        }
        add("broadcastTo", "[1,1] to [-2,-2]", () -> Tensor.ones(1, 1).broadcastTo(-2, -2));
        for (int[] p : new int[][] {{0, -1, 0}, {0, 0, -1}, {0, MIN, 0}, {0, 0, MIN}, {0, MAX, MAX}, {0, MAX, 1}, {MIN, 0, 0}, {MAX, 0, 0}, {1, 0, 0}, {-2, 0, 0}}) {
            add("pad", Arrays.toString(p) + " on [3]", () -> v.pad(p[0], p[1], p[2]));
        }
        for (int[] p : new int[][] {{0, MIN, 0}, {0, 0, MAX}, {0, MAX, MAX}, {0, MIN, MIN}, {0, 0, MIN}, {MIN, 0, 1}, {MAX, 0, 1}, {1, 0, 1},
                {0, 2, 1}, {0, -4, 2}, {0, 0, 4}, {0, -1, -2}}) {
            add("slice", Arrays.toString(p) + " on [3]", () -> v.slice(p[0], p[1], p[2]));
        }
        add("slice", "(0, MIN) on [3]", () -> v.slice(0, MIN));
        add("slice", "(0, MAX) on [3]", () -> v.slice(0, MAX));
        for (int[] p : new int[][] {{0, MIN}, {0, MAX}, {0, 3}, {0, -4}, {MIN, 0}, {MAX, 0}, {1, 0}, {-2, 0}}) {
            add("select", Arrays.toString(p) + " on [3]", () -> v.select(p[0], p[1]));
        }
        add("select", "(0, 0) on [0]", () -> e.select(0, 0));
        for (int a : new int[] {MIN, MAX, 2, -3}) add("unsqueeze", "axis " + a + " on [3]", () -> v.unsqueeze(a));
        for (int[] p : new int[][] {{0, MIN}, {MAX, 0}, {0, 0}, {0}, {0, 1, 2}, {2, 0}, {MIN, MAX}, {-3, 0}}) {
            add("permute", Arrays.toString(p) + " on [2,3]", () -> m.permute(p));
        }
        for (int a : new int[] {MIN, MAX, 2, -3}) add("concat", "axis " + a + " of two [2,3]", () -> Tensor.concat(a, m, m));
        for (int a : new int[] {MIN, MAX, 3, -4}) add("stack", "axis " + a + " of two [2,3]", () -> Tensor.stack(a, m, m));
        add("concat", "[2,3] and [3]", () -> Tensor.concat(0, m, v));
        add("stack", "[2,3] and [3]", () -> Tensor.stack(0, m, v));
        add("matmul", "[2,3] @ [2,3]", () -> m.matmul(m));
        add("matmul", "a scalar @ [3] (NumPy refuses 0-d operands)", () -> Tensor.scalar(2).matmul(v));
        add("matmul", "[3] @ a scalar", () -> v.matmul(Tensor.scalar(2)));
        add("matmul", "[65536,1] @ [1,65536] (2³² elements)", () -> Tensor.ones(65536, 1).matmul(Tensor.ones(1, 65536)));
        add("matmul", "[46341,1] @ [1,46341] (46341² > 2³¹ − 1)", () -> Tensor.ones(46341, 1).matmul(Tensor.ones(1, 46341)));
        add("matmul", "[2,40000,1] @ [1,40000] (batch · rows · cols = 3.2·10⁹ overflows)", () -> Tensor.ones(2, 40000, 1).matmul(Tensor.ones(1, 40000)));
        for (int[] idx : new int[][] {{-1, 0, 0}, {MIN, 0, 0}, {MAX, 0, 0}, {0, 0, 4}, {0, 0}, {0, 0, 0, 0}}) {
            add("scatter", Arrays.toString(idx) + " into 4 classes from [3]", () -> v.scatter(idx, 4));
            add("pick", Arrays.toString(idx) + " from [3,4]", () -> Tensor.ones(3, 4).pick(idx));
        }
        for (int k : new int[] {-1, 0, MIN}) add("scatter", "[0,0,0] into " + k + " classes", () -> v.scatter(new int[3], k));
        add("scatter", "[0,0] from [2] into MAX classes (2·(2³¹ − 1) elements)", () -> Tensor.ones(2).scatter(new int[2], MAX));
        add("pick", "[0] from a rank-1 [4] (needs [..., N, C])", () -> Tensor.ones(4).pick(new int[] {0}));
        check();
        assertTrue(cases.size() >= 90, "too few cases: " + cases.size());
    }

    // ------------------------------------------------------------------ JacobianOptions at their extremes

    private static final TensorFunction F = x -> x.sin().mul(x.sum()); // dense 3×3 Jacobian, non-trivial Hessian of its sum
    private static final Tensor X = Tensor.vector(0.3, -1.1, 2.0);

    private static JacobianOptions[] extremes() {
        JacobianOptions d = JacobianOptions.defaults();
        return new JacobianOptions[] {d.chunkSize(MAX), d.chunkSize(1), d.memoryBudget(1), d.memoryBudget(Long.MAX_VALUE),
                d.chunkSize(MAX).memoryBudget(1), d.chunkSize(1).memoryBudget(Long.MAX_VALUE)};
    }

    /** Sane plan: 1 ≤ chunk ≤ directions, passes = ⌈directions / chunk⌉, bytes non-negative (−1 only where documented) and under 1 MiB. */
    private static void sanePlan(JacobianPlan p, long directions, JacobianOptions o, String what) {
        assertTrue(p.chunk() >= 1 && p.chunk() <= directions, what + ": chunk " + p.chunk() + " of " + directions + " directions: " + p);
        assertEquals((directions + p.chunk() - 1) / p.chunk(), p.passes(), what + ": " + p);
        // −1 is documented for forward mode with a chunk size given (f not recorded); hessian always gives one
        boolean unrecorded = p.mode() == JacobianMode.FORWARD && (o.chunkSize() != 0 || what.equals("hessian")) && p.bytesPerPass() == -1;
        assertTrue(unrecorded || p.bytesPerPass() >= 0, what + ": negative bytes per pass: " + p);
        // 3 directions of at most a few dozen doubles each: anything near a MiB is absurd
        assertTrue(p.bytesPerPass() < (1 << 20), what + ": " + p.bytesPerPass() + " bytes per pass for a 3×3 Jacobian: " + p);
    }

    @Test
    void jacobianAtExtremeOptionsMatchesTheDefault() {
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE, JacobianMode.AUTO}) {
            Tensor want = Diff.jacobian(F, X, JacobianOptions.defaults().mode(mode));
            // independent check of the default: J[i][j] = cos(x_i)·δij·s + sin(x_i), s = Σx
            double s = 0.3 - 1.1 + 2.0;
            double[] xv = X.toArray(), ref = new double[9];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) ref[i * 3 + j] = (i == j ? Math.cos(xv[i]) * s : 0) + Math.sin(xv[i]);
            assertArrayEquals(ref, want.toArray(), 1e-14, mode.toString());
            for (JacobianOptions o : extremes()) {
                JacobianOptions om = o.mode(mode);
                JacobianResult r = Diff.jacobianWithPlan(F, X, om);
                assertArrayEquals(want.shape(), r.jacobian().shape(), mode + " " + r.plan());
                assertArrayEquals(ref, r.jacobian().toArray(), 1e-14, mode + " " + r.plan());
                sanePlan(r.plan(), 3, om, "jacobian " + mode);
            }
        }
    }

    @Test
    void hessianAtExtremeOptionsMatchesTheDefault() {
        TensorFunction g = x -> F.apply(x).sum();
        // H of Σ sin(x_i)·s with s = Σx: ∂²/∂xi∂xj = cos(xi) + cos(xj) − δij·sin(xi)·s
        double s = 0.3 - 1.1 + 2.0;
        double[] xv = X.toArray(), ref = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) ref[i * 3 + j] = Math.cos(xv[i]) + Math.cos(xv[j]) - (i == j ? Math.sin(xv[i]) * s : 0);
        assertArrayEquals(ref, Diff.hessian(g, X).toArray(), 1e-13);
        for (JacobianOptions o : extremes()) {
            HessianResult h = Diff.hessianWithCheck(g, X, o);
            assertArrayEquals(ref, h.hessian().toArray(), 1e-13, h.plan().toString());
            sanePlan(h.plan(), 3, o, "hessian");
        }
    }

    private static final TensorFunction ROWS = x -> x.sin().mul(x.sum(-1, true)); // per row: the 3×3 Jacobian above
    private static final Tensor XB = Tensor.of(new double[] {0.3, -1.1, 2.0, 0.5, 0.25, -0.75}, 2, 3);

    private static double[] rowsReference() {
        double[] x = XB.toArray(), ref = new double[18];
        for (int b = 0; b < 2; b++) {
            double s = x[b * 3] + x[b * 3 + 1] + x[b * 3 + 2];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) ref[b * 9 + i * 3 + j] = (i == j ? Math.cos(x[b * 3 + i]) * s : 0) + Math.sin(x[b * 3 + i]);
        }
        return ref;
    }

    @Test
    void batchJacobianAtExtremeOptionsMatchesTheDefault() {
        double[] ref = rowsReference();
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE, JacobianMode.AUTO}) {
            assertArrayEquals(ref, Diff.batchJacobian(ROWS, XB, JacobianOptions.defaults().mode(mode)).toArray(), 1e-14, mode.toString());
            for (JacobianOptions o : extremes()) {
                JacobianResult r = Diff.batchJacobianWithPlan(ROWS, XB, o.mode(mode));
                assertArrayEquals(new int[] {2, 3, 3}, r.jacobian().shape(), mode + " " + r.plan());
                assertArrayEquals(ref, r.jacobian().toArray(), 1e-14, mode + " " + r.plan());
            }
        }
    }

    /**
     * Was: with chunkSize(Integer.MAX_VALUE) the plan kept the requested chunk, 2³¹ − 1 directions per pass
     * for 3 directions, so batchJacobian's estimate 8·d·chunk came to ~196608 MiB per pass (jacobian and
     * hessian reported the same chunk, with −1 bytes). Jacobians.choose, which picks the chunk for all of
     * them, now caps a requested chunk at the number of directions.
     */
    @Test
    void batchJacobianPlanAtChunkSizeMaxIsCappedAtTheDirections() {
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
            JacobianOptions o = JacobianOptions.defaults().chunkSize(MAX).mode(mode);
            JacobianPlan p = Diff.batchJacobianWithPlan(ROWS, XB, o).plan();
            sanePlan(p, 3, o, "batchJacobian " + mode);
        }
    }

    @Test
    void batchJacobianPlanAtOtherExtremesIsSane() {
        JacobianOptions d = JacobianOptions.defaults();
        for (JacobianMode mode : new JacobianMode[] {JacobianMode.FORWARD, JacobianMode.REVERSE}) {
            for (JacobianOptions o : new JacobianOptions[] {d.chunkSize(1), d.memoryBudget(1), d.memoryBudget(Long.MAX_VALUE), d.chunkSize(1).memoryBudget(Long.MAX_VALUE)}) {
                JacobianOptions om = o.mode(mode);
                sanePlan(Diff.batchJacobianWithPlan(ROWS, XB, om).plan(), 3, om, "batchJacobian " + mode);
            }
        }
    }

    @Test
    void optionsRefuseOutOfRangeValuesNamingThem() {
        for (Supplier<Object> s : List.<Supplier<Object>>of(() -> JacobianOptions.defaults().chunkSize(-1), () -> JacobianOptions.defaults().chunkSize(MIN),
                () -> JacobianOptions.defaults().memoryBudget(0), () -> JacobianOptions.defaults().memoryBudget(Long.MIN_VALUE))) {
            try {
                s.get();
                fail("accepted");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage() != null && (e.getMessage().contains("chunk size") || e.getMessage().contains("memory budget")), e.getMessage());
            }
        }
    }
}
