package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.testsupport.ReductionGaps;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A seeded property over 500 random programs (plain java.util.Random, seeds BASE_SEED + i): compositions
 * of 1 to 8 registry ops on one or two inputs of rank 0–3 with size-1 and broadcast axes (dims drawn
 * from {1, 1, 2, 3}; a second input often a suffix of the first, the first with axes set to 1, or 0-d).
 * Each step reads the latest value and, for ops of several arguments, earlier values in a random order —
 * 30% of the time the same value again (mul(v, v), pow(v, v), concat(-1, v, v, v)), so values are read
 * twice and tangents meet themselves. Every step feeds the output.
 *
 * <p>Smooth by construction: an operand outside its op's {@link Domain} is first squashed into it by a
 * smooth map (tanh, sigmoid, affine; printed as part of the program), and a step is only kept when its
 * operands are 0.05 away from the op's kinks (relu, abs, clamp at their corners), its {@code valid}
 * condition holds (no near-ties for maximum/minimum; maximum(v, v) is refused) and, for max reductions,
 * the largest and second largest entry of every reduced group are 0.05 apart. x − x and x / x are let
 * through rarely. So the tolerances below need no slack for kinks.</p>
 *
 * <p>For every program, each check computed on its own (so one that throws does not hide another that is
 * silently wrong):</p>
 * <ol>
 *   <li>the forward Jacobian at every chunk size 1..n (n = total input size) is bitwise the one at the
 *       default chunk; it equals the reverse Jacobian to 1e-12·max(1, max|J|), the AUTO Jacobian likewise;
 *       the forward and the reverse Jacobian each equal central differences of the plain program
 *       (h = 1e-6, computed here from primal evaluations) to 1e-5 + 1e-3·|fd|;</li>
 *   <li>for s(x) = ⟨w, f(x)⟩ (one argument at a time, the others held): hvp(s, x, v) equals central
 *       differences of the reverse gradient along v, H·v for the Hessian does too, and the Hessian is
 *       bitwise the same at chunk sizes 1, 2, n and the default.</li>
 * </ol>
 * A failure prints every failing check, then the program as one expression and as a listing with every
 * value's shape, the input shapes and values, and its seed ({@link #program(long)} rebuilds it). The
 * property also asserts that the programs still cover what it is for (0-d reductions, reuse, broadcasting).
 */
class RandomCompositionProperties {
    static final long BASE_SEED = 20261201L;
    static final int PROGRAMS = 500, MAX_OPS = 8, MAX_SIZE = 24;
    static final double H = 1e-6, ATOL = 1e-5, RTOL = 1e-3, ROUNDING = 1e-12;

    // ------------------------------------------------------------------ programs

    /** One step: an op applied to earlier values (inputs are values 0..inputs−1). */
    record Node(String name, Function<String[], String> printer, Function<Tensor[], Tensor> fn, int[] args) {}

    static final class Program {
        final long seed;
        final Tensor[] inputs;
        final List<Node> nodes = new ArrayList<>();
        final List<Tensor> values = new ArrayList<>(); // plain values at the inputs, for the listing
        boolean sameValueTwice, valueReadTwice, zeroDimReduction, broadcastBinary;
        int steps; // registry ops, not counting the squashes before them

        Program(long seed, Tensor[] inputs) {
            this.seed = seed;
            this.inputs = inputs;
            values.addAll(Arrays.asList(inputs));
        }

        Tensor apply(Tensor[] xs) {
            Tensor[] v = new Tensor[xs.length + nodes.size()];
            System.arraycopy(xs, 0, v, 0, xs.length);
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                Tensor[] a = new Tensor[n.args.length];
                for (int j = 0; j < a.length; j++) a[j] = v[n.args[j]];
                v[xs.length + i] = n.fn.apply(a);
            }
            return v[v.length - 1];
        }

        String name(int value) {
            return value < inputs.length ? "x" + value : "v" + value;
        }

        String expression(int value) {
            if (value < inputs.length) return name(value);
            Node n = nodes.get(value - inputs.length);
            String[] a = new String[n.args.length];
            for (int j = 0; j < a.length; j++) a[j] = expression(n.args[j]);
            return n.printer.apply(a);
        }

        String describe() {
            StringBuilder sb = new StringBuilder("program seed ").append(seed).append(" (RandomCompositionProperties.program(").append(seed).append("L)), inputs");
            for (int i = 0; i < inputs.length; i++) sb.append(' ').append(name(i)).append(' ').append(Shape.str(inputs[i].shape()));
            String e = expression(values.size() - 1);
            sb.append("\n  f = ").append(e.length() > 3000 ? e.substring(0, 3000) + " …" : e);
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                String[] a = new String[n.args.length];
                for (int j = 0; j < a.length; j++) a[j] = name(n.args[j]);
                int id = inputs.length + i;
                sb.append("\n  ").append(name(id)).append(" = ").append(n.printer.apply(a)).append("   ").append(Shape.str(values.get(id).shape()));
            }
            for (int i = 0; i < inputs.length; i++) sb.append("\n  ").append(name(i)).append(" = ").append(inputs[i]);
            return sb.toString();
        }
    }

    /** Registry ops usable in programs, by kind (networks with five arguments are left out). */
    static final Set<String> UNARY = Set.of("neg", "exp", "log", "log1p", "sqrt", "square", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
            "softplus", "reciprocal", "clamp",
            "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "expm1", "log2", "log10", "erf", "erfc", "lgamma", // issue 20
            "digamma", "logSigmoid", "gelu", "geluTanh", "silu", "elu", "leakyRelu");
    static final Set<String> ELEMENTWISE = Set.of("add", "sub", "mul", "mulStrongZero", "div", "pow", "maximum", "minimum",
            "atan2", "hypot", "logaddexp"); // issue 20
    static final Set<String> REDUCTIONS = Set.of("sum", "mean", "max", "logsumexp", "softmax", "logSoftmax");

    /** Reduced axes of each max configuration, for the tie check (null: every axis). */
    static final Map<String, int[]> MAX_AXES = new HashMap<>();

    static {
        MAX_AXES.put("max()", null);
        MAX_AXES.put("max(axis=-1)", new int[] {-1});
        MAX_AXES.put("max(axis=0, keepDims)", new int[] {0});
        MAX_AXES.put("max(axes=[0,1])", new int[] {0, 1});
    }

    static final List<OpSpec> UNARIES = new ArrayList<>(), BINARIES = new ArrayList<>(), REDUCERS = new ArrayList<>(), FULL_REDUCERS = new ArrayList<>(), OTHERS = new ArrayList<>();

    static {
        for (OpSpec s : OpRegistry.all()) {
            if (s.arity() > 3) continue;
            boolean distinct = Arrays.asList(s.domains()).contains(Domain.DISTINCT);
            if (distinct && !MAX_AXES.containsKey(s.name())) continue; // a tie condition this class does not know how to check
            if (s.arity() == 1 && (UNARY.contains(s.method()) || ELEMENTWISE.contains(s.method()))) UNARIES.add(s);
            else if (s.arity() == 2 && ELEMENTWISE.contains(s.method())) BINARIES.add(s);
            else if (REDUCTIONS.contains(s.method())) (s.name().endsWith("()") ? FULL_REDUCERS : REDUCERS).add(s);
            else OTHERS.add(s);
        }
    }

    /** A smooth map of ℝ into the interior of a domain, as ops, and its name. */
    record Squash(String name, Function<Tensor, Tensor> fn) {}

    static Squash squash(Domain d) {
        switch (d) {
            case POSITIVE: return new Squash("add(mul(sigmoid(%s), 2.6), 0.3)", e -> e.sigmoid().mul(2.6).add(0.3));
            case UNIT_INTERVAL: return new Squash("add(mul(sigmoid(%s), 0.8), 0.1)", e -> e.sigmoid().mul(0.8).add(0.1));
            case NONZERO: return new Squash("add(mul(sigmoid(%s), 1.3), 0.6)", e -> e.sigmoid().mul(1.3).add(0.6));
            // issue 20's domains
            case OPEN_UNIT: return new Squash("mul(tanh(%s), 0.85)", e -> e.tanh().mul(0.85));
            case ABOVE_ONE: return new Squash("add(mul(sigmoid(%s), 1.8), 1.15)", e -> e.sigmoid().mul(1.8).add(1.15));
            case NEGATIVE_UNIT: return new Squash("sub(mul(sigmoid(%s), -0.7), 0.15)", e -> e.sigmoid().mul(-0.7).sub(0.15));
            default: return new Squash("mul(tanh(%s), 1.9)", e -> e.tanh().mul(1.9));
        }
    }

    private static final Pattern WORD = Pattern.compile("\\b([A-Za-z]\\w*)\\b");
    private static final String[][][] PLACEHOLDERS = {{}, {{"x"}}, {{"a", "b"}, {"A", "B"}}, {{"a", "b", "c"}, {"x", "W", "b"}}};

    /** A registry op's name written as a call on argument expressions: "pow(x, 3)" → "pow(E, 3)", "sum(axis=-1)" → "sum(E, axis=-1)". */
    static String call(OpSpec spec, String[] args) {
        String n = spec.name();
        for (String[] ph : PLACEHOLDERS[args.length]) {
            List<String> words = new ArrayList<>();
            Matcher m = WORD.matcher(n);
            while (m.find()) words.add(m.group(1));
            if (!words.containsAll(Arrays.asList(ph))) continue;
            StringBuilder sb = new StringBuilder();
            m = WORD.matcher(n);
            int last = 0;
            while (m.find()) {
                sb.append(n, last, m.start());
                int k = Arrays.asList(ph).indexOf(m.group(1));
                sb.append(k >= 0 ? args[k] : m.group(1));
                last = m.end();
            }
            return sb.append(n.substring(last)).toString();
        }
        String joined = String.join(", ", args);
        int p = n.indexOf('(');
        if (p < 0) return n + "(" + joined + ")";
        if (n.endsWith("()")) return n.substring(0, n.length() - 2) + "(" + joined + ")";
        if (args.length == 1) return n.substring(0, p + 1) + joined + ", " + n.substring(p + 1);
        return n + "(" + joined + ")";
    }

    static int[] randomShape(Random r) {
        int[] dims = {1, 1, 2, 3};
        while (true) {
            int[] s = new int[r.nextInt(4)];
            for (int i = 0; i < s.length; i++) s[i] = dims[r.nextInt(dims.length)];
            if (Shape.size(s) <= 12) return s;
        }
    }

    /** A second input's shape: often one that broadcasts with the first (a suffix, size-1 axes, 0-d). */
    static int[] relatedShape(Random r, int[] s) {
        switch (r.nextInt(5)) {
            case 0: return s.clone();
            case 1: return Arrays.copyOfRange(s, r.nextInt(s.length + 1), s.length);
            case 2: {
                int[] t = s.clone();
                for (int i = 0; i < t.length; i++) if (r.nextBoolean()) t[i] = 1;
                return t;
            }
            case 3: return new int[0];
            default: return randomShape(r);
        }
    }

    /** The program of one seed: inputs, then 1..8 ops each on earlier values. */
    static Program program(long seed) {
        Random r = new Random(seed);
        int nIn = r.nextBoolean() ? 1 : 2;
        int[][] shapes = new int[nIn][];
        shapes[0] = randomShape(r);
        if (nIn == 2) shapes[1] = relatedShape(r, shapes[0]);
        Tensor[] xs = new Tensor[nIn];
        for (int i = 0; i < nIn; i++) xs[i] = TensorRandom.seed(seed * 7 + i).uniform(-1.5, 1.5, shapes[i]);
        Program p = new Program(seed, xs);
        int ops = 1 + r.nextInt(MAX_OPS);
        int[] reads = new int[nIn + 4 * MAX_OPS];
        for (int step = 0; step < ops; step++) {
            for (int attempt = 0; attempt < 200; attempt++) {
                if (tryStep(p, r, reads)) break;
            }
        }
        if (p.nodes.isEmpty()) throw new IllegalStateException("seed " + seed + ": no op applied");
        return p;
    }

    private static OpSpec pickSpec(Random r) {
        int c = r.nextInt(24);
        List<OpSpec> l = c < 6 ? UNARIES : c < 12 ? BINARIES : c < 17 ? REDUCERS : c < 20 ? FULL_REDUCERS : OTHERS;
        return l.get(r.nextInt(l.size()));
    }

    /** Tries one random op on random earlier values; appends it (and its squashes) if it is admitted. */
    private static boolean tryStep(Program p, Random r, int[] reads) {
        OpSpec spec = pickSpec(r);
        int a = spec.arity(), count = p.values.size();
        int[] idx = new int[a];
        // one operand is the latest value, so that every step feeds the output; further operands are
        // an operand already chosen (the same value twice) 30% of the time, otherwise any earlier value
        idx[0] = count - 1;
        for (int i = 1; i < a; i++) idx[i] = r.nextInt(10) < 3 ? idx[r.nextInt(i)] : r.nextInt(count);
        for (int i = a - 1; i > 0; i--) { // then in a random order: rules treat their first and second operands differently
            int j = r.nextInt(i + 1), t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        // x − x and x / x are constants: let them through rarely, so that few programs have a constant tail
        if (a == 2 && idx[0] == idx[1] && (spec.method().equals("sub") || spec.method().equals("div")) && r.nextInt(10) > 0) return false;
        // squash operands that leave the op's domain; the same value squashed the same way is one node
        List<Node> extra = new ArrayList<>();
        List<Tensor> extraValues = new ArrayList<>();
        Map<String, Integer> squashed = new HashMap<>();
        Tensor[] operands = new Tensor[a];
        int[] args = new int[a];
        for (int i = 0; i < a; i++) {
            Tensor v = p.values.get(idx[i]);
            Domain d = spec.domains()[i];
            boolean inside = true;
            for (double x : Tensors.buffer(v)) inside &= d.admits(x);
            if (inside) {
                operands[i] = v;
                args[i] = idx[i];
                continue;
            }
            String key = idx[i] + " " + d;
            Integer id = squashed.get(key);
            if (id == null) {
                Squash s = squash(d);
                Tensor sv = s.fn.apply(v);
                id = count + extra.size();
                extra.add(new Node(s.name, e -> String.format(Locale.ROOT, s.name, e[0]), t -> s.fn.apply(t[0]), new int[] {idx[i]}));
                extraValues.add(sv);
                squashed.put(key, id);
            }
            operands[i] = extraValues.get(id - count);
            args[i] = id;
        }
        Tensor out;
        try {
            if (!spec.admits(operands)) return false; // near a kink, or near-tied arguments of maximum/minimum
            if (MAX_AXES.containsKey(spec.name()) && topGap(operands[0], MAX_AXES.get(spec.name())) < 0.05) return false;
            out = spec.apply(operands);
        } catch (IllegalArgumentException | IndexOutOfBoundsException rejected) {
            return false; // shapes the op does not take
        }
        if (out.size() == 0 || out.size() > MAX_SIZE) return false;
        for (double x : Tensors.buffer(out)) if (!Double.isFinite(x) || Math.abs(x) > 1e3) return false;
        // commit
        for (int i = 0; i < extra.size(); i++) {
            p.nodes.add(extra.get(i));
            p.values.add(extraValues.get(i));
            reads[extra.get(i).args[0]]++;
        }
        p.nodes.add(new Node(spec.name(), e -> call(spec, e), spec::apply, args));
        p.steps++;
        p.values.add(out);
        for (int i = 0; i < a; i++) {
            reads[args[i]]++;
            if (reads[args[i]] > 1) p.valueReadTwice = true;
            for (int j = 0; j < i; j++) {
                if (args[i] == args[j]) p.sameValueTwice = true;
                if (!Arrays.equals(operands[i].shape(), operands[j].shape())) p.broadcastBinary |= ELEMENTWISE.contains(spec.method());
            }
        }
        if (spec.name().endsWith("()") && REDUCTIONS.contains(spec.method()) && operands[0].rank() == 0) p.zeroDimReduction = true;
        return true;
    }

    /** The smallest gap between the largest and the second largest entry of a reduced group (∞ if no group has two). */
    static double topGap(Tensor x, int[] axes) {
        int[] s = x.shape();
        boolean[] red = new boolean[s.length];
        if (axes == null) Arrays.fill(red, true);
        else for (int ax : axes) red[ax < 0 ? ax + s.length : ax] = true;
        return ReductionGaps.topGap(x, red);
    }

    // ------------------------------------------------------------------ the checks

    /** One named check of a program; it throws an AssertionError when it fails. */
    record Check(String name, Runnable body) {}

    /**
     * The checks of one program, each computing what it needs itself, so that every failing check is
     * reported (a forward Jacobian that throws does not hide a Hessian that is silently wrong).
     */
    static List<Check> checks(Program p) {
        MultiTensorFunction f = p::apply;
        Tensor[] xs = p.inputs;
        int total = 0;
        for (Tensor x : xs) total += x.size();
        int n = total;
        JacobianOptions o = JacobianOptions.defaults();
        JacobianOptions fwdO = o.mode(JacobianMode.FORWARD), revO = o.mode(JacobianMode.REVERSE);
        List<Check> l = new ArrayList<>();
        l.add(new Check("forward Jacobian: every chunk size 1.." + n + " bitwise equal to the default chunk", () -> {
            Tensor[] fwd = jacobian("the forward Jacobian (default chunk)", f, fwdO, xs);
            for (int c = 1; c <= n; c++) {
                Tensor[] fc = jacobian("the forward Jacobian at chunk size " + c, f, fwdO.chunkSize(c), xs);
                for (int i = 0; i < xs.length; i++) bitwise("argument " + i + ", chunk size " + c, fwd[i], fc[i]);
            }
        }));
        l.add(new Check("forward Jacobian = reverse Jacobian to rounding", () -> {
            Tensor[] fwd = jacobian("the forward Jacobian", f, fwdO, xs), rev = jacobian("the reverse Jacobian", f, revO, xs);
            for (int i = 0; i < xs.length; i++) rounding("argument " + i, rev[i], fwd[i]);
        }));
        l.add(new Check("AUTO Jacobian = forward Jacobian to rounding", () -> {
            Tensor[] fwd = jacobian("the forward Jacobian", f, fwdO, xs), auto = jacobian("the AUTO Jacobian", f, o, xs);
            for (int i = 0; i < xs.length; i++) rounding("argument " + i, fwd[i], auto[i]);
        }));
        l.add(new Check("forward Jacobian = central differences", () -> {
            Tensor[] fwd = jacobian("the forward Jacobian", f, fwdO, xs), fd = centralDifferences(f, xs);
            for (int i = 0; i < xs.length; i++) close("argument " + i, fd[i], fwd[i]);
        }));
        l.add(new Check("reverse Jacobian = central differences", () -> {
            Tensor[] rev = jacobian("the reverse Jacobian", f, revO, xs), fd = centralDifferences(f, xs);
            for (int i = 0; i < xs.length; i++) close("argument " + i, fd[i], rev[i]);
        }));
        Tensor w = TensorRandom.seed(p.seed * 13 + 1).normal(p.values.get(p.values.size() - 1).shape());
        for (int i = 0; i < xs.length; i++) {
            int arg = i;
            TensorFunction s = z -> {
                Tensor[] a = xs.clone();
                a[arg] = z;
                return p.apply(a).mul(w).sum();
            };
            Tensor x = xs[i], v = TensorRandom.seed(p.seed * 13 + 2 + i).normal(x.shape());
            int m = x.size();
            String of = " of s = ⟨w, f⟩ in argument " + i;
            l.add(new Check("hvp" + of + " = central differences of the gradient along v", () ->
                    close("hvp", gradientDifference(s, x, v), run("hvp", () -> Diff.hvp(s, x, v)))));
            l.add(new Check("Hessian" + of + ": chunk sizes 1, 2, " + m + " bitwise equal to the default", () -> {
                Tensor h = run("the Hessian", () -> Diff.hessianWithCheck(s, x, JacobianOptions.defaults()).hessian());
                for (int c : new int[] {1, 2, m}) {
                    JacobianOptions oc = JacobianOptions.defaults().chunkSize(c);
                    bitwise("chunk size " + c, h, run("the Hessian at chunk size " + c, () -> Diff.hessianWithCheck(s, x, oc).hessian()));
                }
            }));
            l.add(new Check("Hessian·v" + of + " = central differences of the gradient along v", () -> {
                Tensor h = run("the Hessian", () -> Diff.hessianWithCheck(s, x, JacobianOptions.defaults()).hessian());
                double[] hv = new double[m], hd = Tensors.buffer(h), vd = Tensors.buffer(v);
                for (int r = 0; r < m; r++) for (int c = 0; c < m; c++) hv[r] += hd[r * m + c] * vd[c];
                close("H·v", gradientDifference(s, x, v), Tensor.of(hv, x.shape()));
            }));
        }
        return l;
    }

    static Tensor[] jacobian(String what, MultiTensorFunction f, JacobianOptions o, Tensor[] xs) {
        return run(what, () -> Diff.jacobian(f, xs, o).toArray());
    }

    /** (∇s(x + h v) − ∇s(x − h v)) / 2h with reverse-mode gradients. */
    static Tensor gradientDifference(TensorFunction s, Tensor x, Tensor v) {
        return run("the gradient", () -> Diff.grad(s, x.add(v.mul(H))).sub(Diff.grad(s, x.sub(v.mul(H)))).div(2 * H));
    }

    /** Runs one transform; an exception it throws fails the check, naming the transform. */
    static <T> T run(String what, java.util.function.Supplier<T> transform) {
        try {
            return transform.get();
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw " + e, e);
        }
    }

    /** ∂f/∂x_j by (f(x + h e_j) − f(x − h e_j)) / 2h, from plain evaluations only. */
    static Tensor[] centralDifferences(MultiTensorFunction f, Tensor[] xs) {
        Tensor y = f.apply(xs);
        int m = y.size();
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            int n = xs[i].size();
            double[] j = new double[m * n];
            for (int c = 0; c < n; c++) {
                double[] plus = xs[i].toArray(), minus = xs[i].toArray();
                plus[c] += H;
                minus[c] -= H;
                Tensor[] a = xs.clone(), b = xs.clone();
                a[i] = Tensor.of(plus, xs[i].shape());
                b[i] = Tensor.of(minus, xs[i].shape());
                double[] fp = Tensors.buffer(f.apply(a)), fm = Tensors.buffer(f.apply(b));
                for (int r = 0; r < m; r++) j[r * n + c] = (fp[r] - fm[r]) / (2 * H);
            }
            out[i] = Tensor.of(j, Shape.concat(y.shape(), xs[i].shape()));
        }
        return out;
    }

    static void shapes(String what, Tensor expected, Tensor actual) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Shape.str(actual.shape()) + " but expected " + Shape.str(expected.shape()));
        }
    }

    static void bitwise(String what, Tensor expected, Tensor actual) {
        shapes(what, expected, actual);
        double[] e = Tensors.buffer(expected), a = Tensors.buffer(actual);
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToRawLongBits(e[i]) != Double.doubleToRawLongBits(a[i])) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.17g but %.17g (not bitwise equal)", what, i, a[i], e[i]));
            }
        }
    }

    static void rounding(String what, Tensor expected, Tensor actual) {
        shapes(what, expected, actual);
        double[] e = Tensors.buffer(expected), a = Tensors.buffer(actual);
        double max = 0;
        for (double x : e) max = Math.max(max, Math.abs(x));
        double tol = ROUNDING * Math.max(1, max);
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.17g but %.17g (tolerance %.3g)", what, i, a[i], e[i], tol));
            }
        }
    }

    static void close(String what, Tensor numeric, Tensor analytic) {
        shapes(what, numeric, analytic);
        double[] n = Tensors.buffer(numeric), a = Tensors.buffer(analytic);
        for (int i = 0; i < n.length; i++) {
            if (!(Math.abs(a[i] - n[i]) <= ATOL + RTOL * Math.abs(n[i]))) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.12g analytically but %.12g numerically (tolerance %.1g + %.1g·|n|)",
                        what, i, a[i], n[i], ATOL, RTOL));
            }
        }
    }

    // ------------------------------------------------------------------ the property

    @Test
    void randomProgramsHaveConsistentFirstAndSecondDerivatives() {
        List<String> failures = new ArrayList<>(), wrong = new ArrayList<>(), threw = new ArrayList<>();
        int dependent = 0, sameTwice = 0, readTwice = 0, zeroD = 0, broadcast = 0, rank0 = 0, rank3 = 0, deep = 0, sizeOneAxis = 0;
        for (int i = 0; i < PROGRAMS; i++) {
            long seed = BASE_SEED + i;
            Program p = program(seed);
            if (p.sameValueTwice) sameTwice++;
            if (p.valueReadTwice) readTwice++;
            if (p.zeroDimReduction) zeroD++;
            if (p.broadcastBinary) broadcast++;
            if (p.steps >= 6) deep++;
            boolean r0 = false, r3 = false, one = false;
            for (Tensor x : p.inputs) {
                r0 |= x.rank() == 0;
                r3 |= x.rank() == 3;
                for (int d : x.shape()) one |= d == 1;
            }
            if (r0) rank0++;
            if (r3) rank3++;
            if (one) sizeOneAxis++;
            StringBuilder failed = new StringBuilder();
            boolean silent = false;
            for (Check c : checks(p)) {
                try {
                    c.body.run();
                } catch (Throwable t) {
                    silent |= t.getCause() == null;
                    failed.append("FAILED ").append(c.name).append(": ").append(t.getMessage()).append('\n');
                }
            }
            if (failed.length() > 0) {
                failures.add(failed + p.describe());
                (silent ? wrong : threw).add(failed + p.describe());
                continue;
            }
            boolean everyInput = true;
            for (Tensor j : jacobian("the reverse Jacobian", p::apply, JacobianOptions.defaults().mode(JacobianMode.REVERSE), p.inputs)) {
                boolean nonzero = false;
                for (double d : Tensors.buffer(j)) nonzero |= d != 0;
                everyInput &= nonzero;
            }
            if (everyInput) dependent++;
        }
        if (!failures.isEmpty()) {
            List<String> first = new ArrayList<>(wrong.subList(0, Math.min(2, wrong.size())));
            first.addAll(threw.subList(0, Math.min(3 - first.size(), threw.size())));
            fail(failures.size() + " of " + PROGRAMS + " programs failed: " + wrong.size() + " with wrong numbers (and perhaps exceptions too), "
                    + threw.size() + " only with exceptions; the first ones:\n\n" + String.join("\n\n", first));
        }
        String coverage = String.format(Locale.ROOT, "%d programs: %d depend on every input (a nonzero Jacobian for each), %d apply"
                + " an op to the same value twice, %d read a value twice, %d reduce a 0-d value with sum()/mean()/max(), %d broadcast in a binary op,"
                + " %d have a 0-d input, %d a rank-3 input, %d a size-1 input axis, %d have 6 or more op steps",
                PROGRAMS, dependent, sameTwice, readTwice, zeroD, broadcast, rank0, rank3, sizeOneAxis, deep);
        assertTrue(dependent >= 375 && sameTwice >= 50 && readTwice >= 150 && zeroD >= 50 && broadcast >= 50 && rank0 >= 75 && rank3 >= 50
                && sizeOneAxis >= 150 && deep >= 50, "the programs no longer cover what this property is for: " + coverage);
    }
}
