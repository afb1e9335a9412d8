package dev.dualgrad.testing;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The test functions of DiffTests.jl (JuliaDiff), written afresh with dualgrad's ops, each run through
 * GradCheck: JVP, VJP and second order against finite differences, and forward against reverse.
 * Left out: det, inv and the solves (/ and \), which dualgrad has no ops for, and the in-place (!)
 * variants, which Java tensors, being immutable, have no counterpart of.
 */
class DiffTestsPortTest {
    record Case(String name, MultiTensorFunction f, Tensor[] inputs) {}

    private static Tensor at(Tensor x, int i) {
        return x.select(0, i);
    }

    private static Tensor pos(long seed, int... shape) {
        return TensorRandom.seed(seed).uniform(0.5, 1.5, shape);
    }

    private static Tensor real(long seed, int... shape) {
        // |x| ≥ 0.3: away from the kinks that relu and abs put at 0.
        Tensor u = TensorRandom.seed(seed).uniform(0.3, 1.5, shape);
        Tensor s = TensorRandom.seed(seed + 1).uniform(-1, 1, shape).sign();
        return u.mul(s);
    }

    private static Case one(String name, TensorFunction f, Tensor x) {
        return new Case(name, xs -> f.apply(xs[0]), new Tensor[] {x});
    }

    // ---- number → number
    static Tensor num2num1(Tensor x) { return x.sin().square().div(x.cos().square()); }
    static Tensor num2num2(Tensor x) { return x.mul(2).add(x.mul(x).mul(x).sqrt()); }
    static Tensor num2num3(Tensor x) { return Tensor.scalar(10.31).pow(x.add(x)).sub(x); }
    static Tensor num2num5(Tensor x) { return Tensor.scalar(1).div(x.neg().exp().add(1)); }

    // ---- vector → number
    static Tensor rosenbrock1(Tensor x) {
        int n = x.size();
        Tensor head = x.slice(0, 0, n - 1), tail = x.slice(0, 1, n);
        return Tensor.scalar(1).sub(head).square().add(tail.sub(head.square()).square().mul(100)).sum();
    }

    static Tensor rosenbrock2(Tensor x) {
        int n = x.size();
        Tensor a = at(x, 0), head = x.slice(0, 0, n - 1), tail = x.slice(0, 1, n);
        return a.sub(head).square().add(a.mul(100).mul(tail.sub(head.square()).square())).sum();
    }

    static Tensor rosenbrock4(Tensor x) {
        int n = x.size();
        Tensor head = x.slice(0, 0, n - 1), tail = x.slice(0, 1, n);
        return head.add(1).square().add(tail.add(head.square()).abs().square().mul(100)).sum();
    }

    static Tensor ackley(Tensor x) {
        double a = 20, b = -0.2, c = 2 * Math.PI;
        Tensor meanSq = x.square().mean(), meanCos = x.mul(c).cos().mean();
        return meanSq.sqrt().mul(b).exp().mul(-a).sub(meanCos.exp()).add(a + Math.E);
    }

    // ---- matrix → number
    static Tensor mat2num2(Tensor x) {
        int n = x.size();
        Tensor a = x.reshape(n, 1), b = x.reshape(1, n);
        Tensor m = a.matmul(b).add(1).add(a).sub(b).log();
        return Tensors.mulStrongZero(m, Tensor.eye(n)).sum(); // the trace; off-diagonal logs may be NaN and are not part of it
    }

    static Tensor mat2num3(Tensor x) { return x.abs().add(x.square()).sqrt().mul(0.5).sum(); }
    static Tensor mat2num4(Tensor x) { return x.sin().matmul(x).sum(1).mean(); }

    // ---- ternary: neural_step
    static Tensor neuralStep(Tensor x1, Tensor w1, Tensor w2) {
        int n = w1.dim(1);
        Tensor h = w1.matmul(x1.flatten().slice(0, 0, n)).exp().add(1).log();
        return Tensor.scalar(1).div(w2.flatten().slice(0, 0, n).matmul(h).neg().exp().add(1));
    }

    // ---- array → array
    static Tensor chebyquad(Tensor x) {
        int n = x.size();
        Tensor t1 = Tensor.ones(n), t2 = x.mul(2).sub(1), twice = t2.mul(2);
        Tensor[] y = new Tensor[n];
        for (int i = 0; i < n; i++) {
            y[i] = t2.sum();
            Tensor ti = twice.mul(t2).sub(t1);
            t1 = t2;
            t2 = ti;
        }
        for (int k = 0; k < n; k++) {
            y[k] = y[k].div(n);
            if ((k + 1) % 2 == 0) y[k] = y[k].add(1.0 / ((k + 1) * (k + 1) - 1));
        }
        return Tensor.stack(0, y);
    }

    static Tensor brownAlmostLinear(Tensor x) {
        int n = x.size();
        Tensor c = x.sum().sub(n + 1);
        Tensor s = x.slice(0, 0, n - 1).add(c).sum();
        Tensor prod = at(x, 0);
        for (int i = 1; i < n; i++) prod = prod.mul(at(x, i));
        return Tensor.concat(0, s.broadcastTo(n - 1), prod.sub(1).reshape(1));
    }

    static Tensor trigonometric(Tensor x) {
        int n = x.size();
        Tensor y = at(x, n - 1).cos().broadcastTo(n);
        Tensor c = y.sum();
        for (int i = 0; i < n; i++) y = at(x, i).sin().mul(y).add(n).sub(c);
        return y;
    }

    static Tensor mutation1(Tensor x) {
        Tensor y1 = at(x, 0).mul(at(x, 1));
        Tensor zero = at(x, 2).mul(0);
        return Tensor.concat(0, Tensor.stack(0, y1, zero, y1.add(zero)), Tensor.zeros(x.size() - 3));
    }

    static Tensor mutation2(Tensor x) {
        Tensor p = at(x, 0).mul(at(x, 1));
        return Tensor.concat(0, Tensor.stack(0, p, p), Tensor.ones(x.size() - 2));
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        Tensor s = Tensor.scalar(0.7), v = pos(1, 6), r = real(2, 6), m = pos(3, 3, 3), mr = real(4, 3, 3);
        c.add(one("num2num_1", DiffTestsPortTest::num2num1, s));
        c.add(one("num2num_2", DiffTestsPortTest::num2num2, s));
        c.add(one("num2num_3", DiffTestsPortTest::num2num3, s));
        c.add(one("num2num_4", x -> Tensor.scalar(1), s));
        c.add(one("num2num_5", DiffTestsPortTest::num2num5, s));
        c.add(one("identity (number)", x -> x, s));
        c.add(one("num2arr_1", x -> Tensor.stack(0, num2num1(x), num2num2(x), num2num3(x), num2num1(x).sub(num2num2(x)), num2num2(x), num2num3(x),
                num2num2(x), num2num3(x)).reshape(2, 2, 2), s));
        c.add(one("vec2num_1", x -> at(x, 0).exp().add(at(x, 2).log().mul(at(x, 3))).div(at(x, 4)), v));
        c.add(one("vec2num_2", x -> at(x, 0).mul(at(x, 1)).add(at(x, 0).sin()), r));
        c.add(one("vec2num_3", x -> x.unsqueeze(1).mul(x.unsqueeze(0)).square().sum().sqrt(), r));
        c.add(one("vec2num_4", x -> Tensor.scalar(1), r));
        c.add(one("vec2num_5", x -> x.neg().pow(3.0).sum(), r));
        c.add(one("vec2num_6", x -> x.relu().sum(), r));
        c.add(one("vec2num_7", x -> at(x, 0).mul(x).sum(), r));
        c.add(one("rosenbrock_1", DiffTestsPortTest::rosenbrock1, r));
        c.add(one("rosenbrock_2", DiffTestsPortTest::rosenbrock2, r));
        c.add(one("rosenbrock_3", DiffTestsPortTest::rosenbrock1, r.mul(0.5)));
        c.add(one("rosenbrock_4", DiffTestsPortTest::rosenbrock4, r));
        c.add(one("ackley", DiffTestsPortTest::ackley, r));
        c.add(one("self_weighted_logit", x -> Tensor.scalar(1).div(x.matmul(x).neg().exp().add(1)), r.mul(0.3)));
        c.add(one("first", x -> at(x, 0), r));
        c.add(one("mat2num_2", DiffTestsPortTest::mat2num2, mr));
        c.add(one("mat2num_3", DiffTestsPortTest::mat2num3, mr));
        c.add(one("mat2num_4", DiffTestsPortTest::mat2num4, mr));
        c.add(one("softmax", x -> x.exp().div(x.exp().sum(1, true)).sum(), mr));
        Tensor a = real(5, 3, 3), b = pos(6, 3, 3);
        c.add(new Case("broadcast +", xs -> xs[0].add(xs[1]), new Tensor[] {a, b}));
        c.add(new Case("broadcast -", xs -> xs[0].sub(xs[1]), new Tensor[] {a, b}));
        c.add(new Case("broadcast *", xs -> xs[0].mul(xs[1]), new Tensor[] {a, b}));
        c.add(new Case("broadcast /", xs -> xs[0].div(xs[1]), new Tensor[] {a, b}));
        c.add(new Case("broadcast \\", xs -> xs[1].div(xs[0]), new Tensor[] {a, b}));
        c.add(new Case("broadcast ^", xs -> xs[1].pow(xs[0]), new Tensor[] {a, b}));
        c.add(new Case("a * b", xs -> xs[0].matmul(xs[1]), new Tensor[] {a, b}));
        c.add(new Case("a * transpose(b)", xs -> xs[0].matmul(xs[1].transpose()), new Tensor[] {a, b}));
        c.add(new Case("transpose(a) * b", xs -> xs[0].transpose().matmul(xs[1]), new Tensor[] {a, b}));
        c.add(new Case("transpose(a) * transpose(b)", xs -> xs[0].transpose().matmul(xs[1].transpose()), new Tensor[] {a, b}));
        c.add(new Case("neural_step", xs -> neuralStep(xs[0], xs[1], xs[2]), new Tensor[] {real(7, 3, 3), real(8, 3, 3), real(9, 3, 3)}));
        c.add(one("negation", Tensor::neg, v));
        c.add(one("chebyquad", DiffTestsPortTest::chebyquad, v.mul(0.5)));
        c.add(one("brown_almost_linear", DiffTestsPortTest::brownAlmostLinear, v));
        c.add(one("trigonometric", DiffTestsPortTest::trigonometric, r));
        c.add(one("arr2arr_1", x -> x.mul(x).sum().mul(0).add(Tensor.zeros(x.shape())), v));
        c.add(one("arr2arr_2", x -> x.select(0, 0).add(x.select(0, 0)).add(x.at(0, 0).mul(0)).add(x.select(0, 0).select(0, 0)), m));
        c.add(one("mutation_test_1", DiffTestsPortTest::mutation1, v));
        c.add(one("mutation_test_2", DiffTestsPortTest::mutation2, v));
        c.add(one("identity (array)", x -> x, m));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyDiffTestsFunctionPassesGradCheck() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> GradCheck.of(c.f, c.inputs).assertPasses()));
    }
}
