package dev.dualgrad.transforms;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.nn.JacobianPenalty;
import dev.dualgrad.internal.ops.Domain;
import dev.dualgrad.internal.ops.OpRegistry;
import dev.dualgrad.internal.ops.OpSpec;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.testsupport.ReductionGaps;
import dev.dualgrad.tensor.TensorRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Random per-sample programs, checked with {@code Diff.batchJacobian} against per-sample Jacobians.
 *
 * <p>A program is written for one sample z (shape D...) and acts on trailing axes only: registry
 * elementwise ops, binary elementwise ops between two of its values or against a per-feature constant,
 * reductions over trailing axes (sum, mean, max, with or without keepDims, and "every axis" — sum(),
 * mean(), max() of the sample, which for a per-sample scalar is a 0-d reduction), logsumexp, softmax
 * and logSoftmax along a trailing axis, matmul by a fixed weight on the last axis, unsqueeze and
 * transpose of trailing axes. Many programs end in a per-sample scalar (output [B]).</p>
 *
 * <p>Each program has two batch realizations on x [B, D...]: <em>vectorised</em> (the same ops on
 * [B, ...], values of lower rank reshaped to [B, 1.., s] before broadcasting, "every axis" spelled as
 * the list of trailing axes) and <em>looped</em> (the per-sample program on each x[b], stacked). Both
 * must agree with each other in value; then batchJacobian of each, in FORWARD, REVERSE and AUTO mode at
 * chunk sizes 0 (automatic), 1, 2, 3, must equal the stack of per-sample Jacobians, each computed by
 * {@code Diff.jacobian} in REVERSE mode on the per-sample program at one sample (itself checked against
 * central differences), to 1e-12·max(1, max|J|). JacobianPenalty.exact in each mode must equal
 * (1/B)·Σ_b ‖J_b‖²_F from the same reference.</p>
 */
class BatchJacobianProgramsTest {
    static final long BASE_SEED = 16_000L;
    static final int[] BATCHES = {1, 2, 3, 5};
    static final int PROGRAMS_PER_BATCH = 50, MAX_STEPS = 7;
    static final double ROUNDING = 1e-12, H = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    static final Set<String> UNARY = Set.of("neg", "exp", "log", "log1p", "sqrt", "square", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
            "softplus", "reciprocal", "clamp", "pow", "add", "sub", "mul", "div");
    static final Set<String> BINARY = Set.of("add", "sub", "mul", "mulStrongZero", "div", "pow", "maximum", "minimum");
    static final List<OpSpec> UNARIES = new ArrayList<>(), BINARIES = new ArrayList<>();

    static {
        for (OpSpec s : OpRegistry.all()) {
            if (s.arity() == 1 && UNARY.contains(s.method())) UNARIES.add(s);
            if (s.arity() == 2 && BINARY.contains(s.method())) BINARIES.add(s);
        }
    }

    /** One step: the op on the batch and on one sample, how to print it, and the value ids it reads. */
    record Step(String text, Function<Tensor[], Tensor> batched, Function<Tensor[], Tensor> single, int[] args) {}

    static final class Program {
        final long seed;
        final int b;
        final int[] d;
        final Tensor x;
        final List<Step> steps = new ArrayList<>();
        final List<Tensor> values = new ArrayList<>(); // vectorised values at x
        final List<int[]> shapes = new ArrayList<>(); // per-sample shapes
        final List<String> constants = new ArrayList<>();
        boolean zeroDimReduction;

        Program(long seed, int b, int[] d, Tensor x) {
            this.seed = seed;
            this.b = b;
            this.d = d;
            this.x = x;
            values.add(x);
            shapes.add(d);
        }

        int[] outShape() {
            return shapes.get(shapes.size() - 1);
        }

        Tensor vectorised(Tensor z) {
            return run(z, true);
        }

        Tensor single(Tensor z) {
            return run(z, false);
        }

        /** The per-sample program on each sample, stacked: a function of the batch that no sample can mix into another. */
        Tensor looped(Tensor z) {
            Tensor[] per = new Tensor[z.dim(0)];
            for (int i = 0; i < per.length; i++) per[i] = single(z.select(0, i));
            return Tensor.stack(0, per);
        }

        private Tensor run(Tensor z, boolean batched) {
            Tensor[] v = new Tensor[steps.size() + 1];
            v[0] = z;
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                Tensor[] a = new Tensor[s.args.length];
                for (int j = 0; j < a.length; j++) a[j] = v[s.args[j]];
                v[i + 1] = (batched ? s.batched : s.single).apply(a);
            }
            return v[steps.size()];
        }

        String describe() {
            StringBuilder sb = new StringBuilder("per-sample program seed ").append(seed).append(" (BatchJacobianProgramsTest.program(").append(seed)
                    .append("L, ").append(b).append(")), x [B, D...] = ").append(Shape.str(x.shape())).append(", one sample z ").append(Shape.str(d));
            for (int i = 0; i < steps.size(); i++) {
                sb.append("\n  v").append(i + 1).append(" = ").append(steps.get(i).text).append("   per sample ").append(Shape.str(shapes.get(i + 1)));
            }
            for (String c : constants) sb.append("\n  ").append(c);
            sb.append("\n  x = ").append(x);
            return sb.toString();
        }
    }

    static String name(int id) {
        return id == 0 ? "z" : "v" + id;
    }

    /** [B, s...] → [B, 1 (r − |s| times), s...], so that values of different per-sample ranks broadcast sample by sample. */
    static Tensor align(Tensor t, int r) {
        int have = t.rank() - 1;
        if (have == r) return t;
        int[] s = Shape.suffix(t.shape(), 1);
        return t.reshape(Shape.concat(Shape.concat(new int[] {t.dim(0)}, Shape.ones(r - have)), s));
    }

    record Squash(String text, Function<Tensor, Tensor> fn) {}

    static Squash squash(Domain dom) {
        switch (dom) {
            case POSITIVE: return new Squash("add(mul(sigmoid(%s), 2.6), 0.3)", e -> e.sigmoid().mul(2.6).add(0.3));
            case UNIT_INTERVAL: return new Squash("add(mul(sigmoid(%s), 0.8), 0.1)", e -> e.sigmoid().mul(0.8).add(0.1));
            case NONZERO: return new Squash("add(mul(sigmoid(%s), 1.3), 0.6)", e -> e.sigmoid().mul(1.3).add(0.6));
            default: return new Squash("mul(tanh(%s), 1.9)", e -> e.tanh().mul(1.9));
        }
    }

    static int[] randomSampleShape(Random r) {
        int[][] choices = {{}, {1}, {2}, {3}, {1, 3}, {2, 1}, {2, 3}, {1, 1}, {3, 2}};
        return choices[r.nextInt(choices.length)].clone();
    }

    static Program program(long seed, int b) {
        Random r = new Random(seed);
        int[] d = randomSampleShape(r);
        Tensor x = TensorRandom.seed(seed * 11).uniform(-1.5, 1.5, Shape.concat(new int[] {b}, d));
        Program p = new Program(seed, b, d, x);
        int steps = 1 + r.nextInt(MAX_STEPS);
        for (int i = 0; i < steps; i++) {
            for (int attempt = 0; attempt < 200; attempt++) if (tryStep(p, r)) break;
        }
        // many programs end in a per-sample scalar: an output [B]
        if (r.nextInt(10) < 4) for (int attempt = 0; attempt < 50; attempt++) if (fullReduction(p, r, p.values.size() - 1)) break;
        return p;
    }

    /** Appends a step if its operands are admitted (domains, kinks, ties) and its output is finite and small. */
    static boolean add(Program p, Step s, int[] outShape) {
        Tensor[] a = new Tensor[s.args.length];
        for (int j = 0; j < a.length; j++) a[j] = p.values.get(s.args[j]);
        Tensor out;
        try {
            out = s.batched.apply(a);
        } catch (IllegalArgumentException | IndexOutOfBoundsException rejected) {
            return false;
        }
        if (!Arrays.equals(Shape.concat(new int[] {p.b}, outShape), out.shape())) {
            throw new IllegalStateException("test bug: step " + s.text + " gave " + Shape.str(out.shape()) + " for per-sample " + Shape.str(outShape));
        }
        if (Shape.size(outShape) > 12) return false;
        for (double v : Tensors.buffer(out)) if (!Double.isFinite(v) || Math.abs(v) > 1e3) return false;
        p.steps.add(s);
        p.values.add(out);
        p.shapes.add(outShape);
        return true;
    }

    /** A squashed copy of value {@code id} if it leaves the domain, as an extra step; returns the id to use. */
    static int inDomain(Program p, int id, Domain dom) {
        boolean inside = true;
        for (double v : Tensors.buffer(p.values.get(id))) inside &= dom.admits(v);
        if (inside) return id;
        Squash q = squash(dom);
        Step s = new Step(String.format(Locale.ROOT, q.text, name(id)), t -> q.fn.apply(t[0]), t -> q.fn.apply(t[0]), new int[] {id});
        if (!add(p, s, p.shapes.get(id))) throw new IllegalStateException("a squash failed");
        return p.values.size() - 1;
    }

    static boolean tryStep(Program p, Random r) {
        int last = p.values.size() - 1;
        int[] s = p.shapes.get(last);
        int rank = s.length;
        int kind = r.nextInt(20);
        if (kind < 6) { // unary elementwise
            OpSpec spec = UNARIES.get(r.nextInt(UNARIES.size()));
            if (!spec.admits(new Tensor[] {squashed(p, last, spec.domains()[0])})) return false; // near a kink
            int size = p.values.size();
            int a = inDomain(p, last, spec.domains()[0]);
            if (add(p, new Step(call(spec, name(a)), t -> spec.apply(t[0]), t -> spec.apply(t[0]), new int[] {a}), s)) return true;
            truncate(p, size);
            return false;
        }
        if (kind < 10) { // binary between two values of the program (maybe the same one twice)
            OpSpec spec = BINARIES.get(r.nextInt(BINARIES.size()));
            int other = r.nextInt(10) < 3 ? last : r.nextInt(p.values.size());
            int[] ids = r.nextBoolean() ? new int[] {last, other} : new int[] {other, last};
            int[] out;
            try {
                out = Shape.broadcast("program", p.shapes.get(ids[0]), p.shapes.get(ids[1]));
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (ids[0] == ids[1] && (spec.method().equals("sub") || spec.method().equals("div")) && r.nextInt(10) > 0) return false;
            int r0 = out.length;
            Tensor[] preview = {align(squashed(p, ids[0], spec.domains()[0]), r0), align(squashed(p, ids[1], spec.domains()[1]), r0)};
            if (!spec.admits(preview)) return false;
            int size = p.values.size();
            int a0 = inDomain(p, ids[0], spec.domains()[0]);
            int a1 = ids[1] == ids[0] && spec.domains()[1] == spec.domains()[0] ? a0 : inDomain(p, ids[1], spec.domains()[1]);
            Step st = new Step(call(spec, name(a0), name(a1)), t -> spec.apply(align(t[0], r0), align(t[1], r0)), t -> spec.apply(t[0], t[1]), new int[] {a0, a1});
            if (add(p, st, out)) return true;
            truncate(p, size);
            return false;
        }
        if (kind < 12) { // binary against a per-feature constant (no batch axis: the same for every sample)
            OpSpec spec = BINARIES.get(r.nextInt(BINARIES.size()));
            int[] cs = Arrays.copyOfRange(s, r.nextInt(rank + 1), rank);
            for (int i = 0; i < cs.length; i++) if (r.nextInt(3) == 0) cs[i] = 1;
            boolean constFirst = r.nextBoolean();
            int vArg = constFirst ? 1 : 0;
            Domain cd = spec.domains()[1 - vArg];
            Tensor c = constant(cd, cs, r.nextLong());
            Tensor[] preview = new Tensor[2];
            preview[vArg] = squashed(p, last, spec.domains()[vArg]);
            preview[1 - vArg] = c;
            if (!spec.admits(preview)) return false;
            int size = p.values.size();
            int a = inDomain(p, last, spec.domains()[vArg]);
            String cn = "c" + (p.constants.size() + 1);
            String text = constFirst ? call(spec, cn, name(a)) : call(spec, name(a), cn);
            Function<Tensor[], Tensor> fn = constFirst ? t -> spec.apply(c, t[0]) : t -> spec.apply(t[0], c);
            if (add(p, new Step(text, fn, fn, new int[] {a}), s)) {
                p.constants.add(cn + " = " + c);
                return true;
            }
            truncate(p, size);
            return false;
        }
        if (kind < 16) { // reduction over trailing axes
            if (rank == 0 || r.nextInt(4) == 0) return fullReduction(p, r, last);
            List<Integer> axes = new ArrayList<>();
            for (int i = 0; i < rank; i++) if (r.nextBoolean()) axes.add(i - rank);
            if (axes.isEmpty()) axes.add(-1 - r.nextInt(rank));
            int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
            boolean keep = r.nextBoolean();
            int which = r.nextInt(3);
            String op = which == 0 ? "sum" : which == 1 ? "mean" : "max";
            if (which == 2 && topGap(p.values.get(last), ax) < 0.05) return false;
            Function<Tensor[], Tensor> fn = t -> which == 0 ? t[0].sum(ax, keep) : which == 1 ? t[0].mean(ax, keep) : t[0].max(ax, keep);
            int[] red = new int[ax.length];
            for (int i = 0; i < ax.length; i++) red[i] = ax[i] + rank;
            return add(p, new Step(op + "(" + name(last) + ", axes=" + Arrays.toString(ax) + (keep ? ", keepDims" : "") + ")", fn, fn, new int[] {last}),
                    Shape.reduced(s, red, keep));
        }
        if (kind < 18) { // along one trailing axis
            if (rank == 0) return false;
            int axis = -1 - r.nextInt(rank);
            int which = r.nextInt(4);
            boolean keep = which == 3;
            String[] names = {"logsumexp", "softmax", "logSoftmax", "logsumexp"};
            Function<Tensor[], Tensor> fn = t -> which == 0 ? t[0].logsumexp(axis) : which == 1 ? t[0].softmax(axis) : which == 2 ? t[0].logSoftmax(axis)
                    : t[0].logsumexp(axis, true);
            int[] out = which == 1 || which == 2 ? s : Shape.reduced(s, new int[] {axis + rank}, keep);
            return add(p, new Step(names[which] + "(" + name(last) + ", axis=" + axis + (keep ? ", keepDims" : "") + ")", fn, fn, new int[] {last}), out);
        }
        if (kind < 19) { // matmul by a fixed weight on the last axis
            if (rank == 0) return false;
            int in = s[rank - 1], outDim = 1 + r.nextInt(3);
            Tensor w = TensorRandom.seed(r.nextLong()).normal(in, outDim).mul(0.6);
            String wn = "W" + (p.constants.size() + 1);
            int[] out = s.clone();
            out[rank - 1] = outDim;
            Function<Tensor[], Tensor> fn = t -> t[0].matmul(w);
            if (add(p, new Step("matmul(" + name(last) + ", " + wn + ")", fn, fn, new int[] {last}), out)) {
                p.constants.add(wn + " = " + w);
                return true;
            }
            return false;
        }
        // trailing shape ops
        if (rank >= 2 && r.nextBoolean()) {
            Function<Tensor[], Tensor> fn = t -> t[0].transpose(-2, -1);
            int[] out = s.clone();
            out[rank - 2] = s[rank - 1];
            out[rank - 1] = s[rank - 2];
            return add(p, new Step("transpose(" + name(last) + ", -2, -1)", fn, fn, new int[] {last}), out);
        }
        if (rank >= 3) return false;
        Function<Tensor[], Tensor> fn = t -> t[0].unsqueeze(-1);
        return add(p, new Step("unsqueeze(" + name(last) + ", -1)", fn, fn, new int[] {last}), Shape.concat(s, new int[] {1}));
    }

    /** sum(), mean() or max() of the whole sample: the every-axis reductions, 0-d when the sample value is 0-d already. */
    static boolean fullReduction(Program p, Random r, int id) {
        int[] s = p.shapes.get(id);
        int rank = s.length;
        int which = r.nextInt(3);
        String op = which == 0 ? "sum" : which == 1 ? "mean" : "max";
        if (which == 2 && topGap(p.values.get(id), null) < 0.05) return false;
        int[] trailing = new int[rank];
        for (int i = 0; i < rank; i++) trailing[i] = i + 1;
        Function<Tensor[], Tensor> single = t -> which == 0 ? t[0].sum() : which == 1 ? t[0].mean() : t[0].max();
        // on the batch: the same reduction over the trailing axes; none at all for a per-sample scalar
        Function<Tensor[], Tensor> batched = rank == 0 ? t -> t[0]
                : t -> which == 0 ? t[0].sum(trailing, false) : which == 1 ? t[0].mean(trailing, false) : t[0].max(trailing, false);
        boolean ok = add(p, new Step(op + "(" + name(id) + ")", batched, single, new int[] {id}), new int[0]);
        if (ok && rank == 0) p.zeroDimReduction = true;
        return ok;
    }

    /** The values {@link #inDomain} would give value {@code id}, without appending anything. */
    static Tensor squashed(Program p, int id, Domain dom) {
        Tensor v = p.values.get(id);
        for (double x : Tensors.buffer(v)) if (!dom.admits(x)) return squash(dom).fn.apply(v);
        return v;
    }

    static void truncate(Program p, int size) {
        while (p.values.size() > size) {
            p.values.remove(p.values.size() - 1);
            p.shapes.remove(p.shapes.size() - 1);
            p.steps.remove(p.steps.size() - 1);
        }
    }

    static Tensor constant(Domain dom, int[] shape, long seed) {
        Random r = new Random(seed);
        double[] v = new double[Shape.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = dom == Domain.NONZERO ? (r.nextBoolean() ? 1 : -1) * (0.6 + 1.3 * r.nextDouble()) : dom.lo + (dom.hi - dom.lo) * (0.05 + 0.9 * r.nextDouble());
        }
        return Tensor.of(v, shape);
    }

    static String call(OpSpec spec, String... args) {
        String n = spec.name();
        if (args.length == 1 && n.contains("(x")) return n.replace("(x", "(" + args[0]);
        return n + "(" + String.join(", ", args) + ")";
    }

    /** The smallest gap between the largest and second largest entry of a reduced group (axes may be negative; null: all but axis 0). */
    static double topGap(Tensor x, int[] axes) {
        int[] s = x.shape();
        boolean[] red = new boolean[s.length];
        if (axes == null) for (int i = 1; i < s.length; i++) red[i] = true;
        else for (int ax : axes) red[ax < 0 ? ax + s.length : ax] = true;
        return ReductionGaps.topGap(x, red);
    }

    // ------------------------------------------------------------------ checks

    /** Sample i of x as its own tensor, copied out of the raw array. */
    static Tensor sample(Tensor x, int i) {
        int n = x.size() / x.dim(0);
        return Tensor.of(Arrays.copyOfRange(Tensors.buffer(x), i * n, (i + 1) * n), Shape.suffix(x.shape(), 1));
    }

    /** The reference: Diff.jacobian (REVERSE) of the per-sample program at each sample, stacked [B, C..., D...]. */
    static Tensor reference(Program p, List<String> failed) {
        int n = Shape.size(p.d), m = Shape.size(p.outShape());
        double[] all = new double[p.b * m * n];
        for (int i = 0; i < p.b; i++) {
            Tensor z = sample(p.x, i);
            Tensor j = Diff.jacobian(p::single, z, JacobianOptions.defaults().mode(JacobianMode.REVERSE));
            System.arraycopy(Tensors.buffer(j), 0, all, i * m * n, m * n);
            // the reference itself against central differences of the per-sample program
            double[] zd = z.toArray();
            for (int c = 0; c < n; c++) {
                double[] plus = zd.clone(), minus = zd.clone();
                plus[c] += H;
                minus[c] -= H;
                double[] fp = Tensors.buffer(p.single(Tensor.of(plus, p.d))), fm = Tensors.buffer(p.single(Tensor.of(minus, p.d)));
                for (int r = 0; r < m; r++) {
                    double num = (fp[r] - fm[r]) / (2 * H), an = Tensors.buffer(j)[r * n + c];
                    if (!(Math.abs(an - num) <= ATOL + RTOL * Math.abs(num))) {
                        failed.add(String.format(Locale.ROOT, "the reference (reverse Jacobian of sample %d) is %.12g at [%d, %d] but central differences give %.12g",
                                i, an, r, c, num));
                        return null;
                    }
                }
            }
        }
        return Tensor.of(all, Shape.concat(Shape.concat(new int[] {p.b}, p.outShape()), p.d));
    }

    static String compare(String what, Tensor expected, Tensor actual) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return what + ": shape " + Shape.str(actual.shape()) + " but expected " + Shape.str(expected.shape());
        }
        double max = 0;
        for (double v : Tensors.buffer(expected)) max = Math.max(max, Math.abs(v));
        double tol = ROUNDING * Math.max(1, max);
        for (int i = 0; i < expected.size(); i++) {
            double e = Tensors.buffer(expected)[i], a = Tensors.buffer(actual)[i];
            if (!(Math.abs(e - a) <= tol)) {
                return String.format(Locale.ROOT, "%s: element %d is %.17g but the per-sample Jacobians give %.17g", what, i, a, e);
            }
        }
        return null;
    }

    static List<String> check(Program p) {
        List<String> failed = new ArrayList<>();
        Tensor vec = p.vectorised(p.x), loop = p.looped(p.x);
        String same = compare("the looped realization's value vs the vectorised one", vec, loop);
        if (same != null) {
            failed.add("test bug: " + same);
            return failed;
        }
        Tensor ref = reference(p, failed);
        if (ref == null) return failed;
        double penalty = 0;
        for (double v : Tensors.buffer(ref)) penalty += v * v;
        penalty /= p.b;
        Map<String, TensorFunction> realizations = new java.util.LinkedHashMap<>();
        realizations.put("vectorised", p::vectorised);
        realizations.put("looped", p::looped);
        for (Map.Entry<String, TensorFunction> e : realizations.entrySet()) {
            for (JacobianMode mode : JacobianMode.values()) {
                for (int chunk : new int[] {0, 1, 2, 3}) {
                    String what = "batchJacobian(" + e.getKey() + ", " + mode + ", chunk " + chunk + ")";
                    try {
                        String m = compare(what, ref, Diff.batchJacobian(e.getValue(), p.x, JacobianOptions.defaults().mode(mode).chunkSize(chunk)));
                        if (m != null) failed.add(m);
                    } catch (RuntimeException ex) {
                        failed.add(what + " threw " + ex);
                    }
                }
                String what = "JacobianPenalty.exact(" + e.getKey() + ", " + mode + ")";
                try {
                    double got = JacobianPenalty.exact(e.getValue(), p.x, JacobianOptions.defaults().mode(mode)).item();
                    if (!(Math.abs(got - penalty) <= ROUNDING * Math.max(1, penalty))) {
                        failed.add(String.format(Locale.ROOT, "%s is %.17g but (1/B)·Σ‖J_b‖² of the per-sample Jacobians is %.17g", what, got, penalty));
                    }
                } catch (RuntimeException ex) {
                    failed.add(what + " threw " + ex);
                }
            }
        }
        return failed;
    }

    @Test
    void batchJacobianEqualsThePerSampleJacobiansInEveryModeAndChunk() {
        List<String> failures = new ArrayList<>();
        int programs = 0, scalarOut = 0, zeroD = 0, scalarIn = 0, matmuls = 0, constants = 0;
        for (int b : BATCHES) {
            for (int i = 0; i < PROGRAMS_PER_BATCH; i++) {
                long seed = BASE_SEED + 1000L * b + i;
                Program p = program(seed, b);
                programs++;
                if (p.outShape().length == 0) scalarOut++;
                if (p.zeroDimReduction) zeroD++;
                if (p.d.length == 0) scalarIn++;
                for (Step s : p.steps) matmuls += s.text.startsWith("matmul(") ? 1 : 0;
                constants += p.constants.isEmpty() ? 0 : 1;
                List<String> f = check(p);
                if (!f.isEmpty()) {
                    failures.add(String.join("\n", f.subList(0, Math.min(6, f.size()))) + (f.size() > 6 ? "\n(" + (f.size() - 6) + " more)" : "")
                            + "\n" + p.describe());
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + programs + " programs failed; the first ones:\n\n" + String.join("\n\n", failures.subList(0, Math.min(3, failures.size()))));
        }
        String coverage = String.format(Locale.ROOT, "%d programs: %d with per-sample scalar outputs, %d with a 0-d per-sample reduction, %d with"
                + " per-sample scalar inputs, %d matmuls, %d programs with constants", programs, scalarOut, zeroD, scalarIn, matmuls, constants);
        assertTrue(scalarOut >= 50 && zeroD >= 25 && scalarIn >= 10 && matmuls >= 20 && constants >= 40, "coverage too thin: " + coverage);
    }
}
