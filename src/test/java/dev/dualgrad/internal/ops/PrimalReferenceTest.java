package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Primal values against independent references: Commons Math 3's DerivativeStructure for the scalar
 * functions (value, first and second derivative), plain loops for the rest. Every registered op is
 * covered here or, for the losses and networks, by their own reference tests (LossReferenceTest,
 * NetworksTest); a registered op with neither fails {@link #everyRegisteredOpHasAReference()}.
 */
class PrimalReferenceTest {
    /** Scalar functions: the DerivativeStructure version is the oracle. */
    static final Map<String, Function<DerivativeStructure, DerivativeStructure>> SCALAR = Map.ofEntries(
            Map.entry("neg", DerivativeStructure::negate),
            Map.entry("exp", DerivativeStructure::exp),
            Map.entry("log", DerivativeStructure::log),
            Map.entry("log1p", DerivativeStructure::log1p),
            Map.entry("sqrt", DerivativeStructure::sqrt),
            Map.entry("square", d -> d.multiply(d)),
            Map.entry("abs", DerivativeStructure::abs),
            Map.entry("sin", DerivativeStructure::sin),
            Map.entry("cos", DerivativeStructure::cos),
            Map.entry("tanh", DerivativeStructure::tanh),
            Map.entry("sigmoid", d -> d.negate().exp().add(1).reciprocal()),
            Map.entry("relu", d -> d.getValue() > 0 ? d : d.multiply(0)),
            Map.entry("softplus", d -> d.exp().log1p()),
            Map.entry("reciprocal", DerivativeStructure::reciprocal),
            Map.entry("pow(x, 3)", d -> d.pow(3.0)),
            Map.entry("pow(x, 2)", d -> d.pow(2.0)),
            Map.entry("pow(x, 0.5)", d -> d.pow(0.5)),
            Map.entry("pow(x, -1.5)", d -> d.pow(-1.5)),
            Map.entry("pow(x, 0)", d -> d.multiply(0).add(1)),
            Map.entry("clamp(x, -0.5, 0.7)", d -> d.getValue() < -0.5 ? d.multiply(0).add(-0.5) : d.getValue() > 0.7 ? d.multiply(0).add(0.7) : d),
            Map.entry("add(x, 1.5)", d -> d.add(1.5)),
            Map.entry("sub(x, 1.5)", d -> d.subtract(1.5)),
            Map.entry("mul(x, -2.5)", d -> d.multiply(-2.5)),
            Map.entry("div(x, 4)", d -> d.divide(4)),
            Map.entry("rsub(1.5, x)", d -> d.negate().add(1.5)),
            Map.entry("rdiv(-2, x)", d -> d.reciprocal().multiply(-2)),
            // issue 20's elementwise functions
            Map.entry("tan", DerivativeStructure::tan),
            Map.entry("asin", DerivativeStructure::asin),
            Map.entry("acos", DerivativeStructure::acos),
            Map.entry("atan", DerivativeStructure::atan),
            Map.entry("sinh", DerivativeStructure::sinh),
            Map.entry("cosh", DerivativeStructure::cosh),
            Map.entry("asinh", DerivativeStructure::asinh),
            Map.entry("acosh", DerivativeStructure::acosh),
            Map.entry("atanh", DerivativeStructure::atanh),
            Map.entry("expm1", DerivativeStructure::expm1),
            Map.entry("log2", d -> d.log().divide(Math.log(2))),
            Map.entry("log10", DerivativeStructure::log10),
            Map.entry("logSigmoid", d -> d.negate().exp().log1p().negate()),
            Map.entry("geluTanh", d -> d.multiply(d.pow(3).multiply(0.044715).add(d).multiply(Math.sqrt(2 / Math.PI)).tanh().add(1)).multiply(0.5)),
            Map.entry("silu", d -> d.multiply(d.negate().exp().add(1).reciprocal())),
            Map.entry("elu", d -> d.getValue() > 0 ? d : d.expm1()),
            Map.entry("elu(x, 0.5)", d -> d.getValue() > 0 ? d : d.expm1().multiply(0.5)),
            Map.entry("leakyRelu", d -> d.getValue() > 0 ? d : d.multiply(0.01)),
            Map.entry("leakyRelu(x, 0.2)", d -> d.getValue() > 0 ? d : d.multiply(0.2)));

    /**
     * Issue 20's special functions, which DerivativeStructure lacks: value, f′ and f″ from Commons Math's Erf
     * and Gamma and the closed forms of the derivatives, each with the tolerance its reference allows. Commons
     * Math 3.6.1's digamma is off by up to ~3e-9 (measured against mpmath; dualgrad's own is within a few ulp, see
     * ElementwiseFunctionsEdgeTest), its trigamma by ~2e-13; digamma″ = ψ⁽²⁾ comes from differences of trigamma.
     */
    record Special(DoubleFunction<double[]> f, double... tolerances) {}

    static final Map<String, Special> SPECIAL = Map.of(
            "erf", new Special(x -> new double[] {Erf.erf(x), 2 / Math.sqrt(Math.PI) * Math.exp(-x * x), -4 * x / Math.sqrt(Math.PI) * Math.exp(-x * x)},
                    1e-14, 1e-13, 1e-12),
            "erfc", new Special(x -> new double[] {Erf.erfc(x), -2 / Math.sqrt(Math.PI) * Math.exp(-x * x), 4 * x / Math.sqrt(Math.PI) * Math.exp(-x * x)},
                    1e-14, 1e-13, 1e-12),
            "lgamma", new Special(x -> new double[] {Math.log(Gamma.gamma(x)), Gamma.digamma(x), Gamma.trigamma(x)}, 1e-14, 1e-8, 1e-12),
            "lgamma(x in (-1, 0))", new Special(x -> new double[] {Math.log(-Gamma.gamma(x)), Gamma.digamma(x), Gamma.trigamma(x)}, 1e-14, 1e-8, 1e-12),
            "digamma", new Special(x -> new double[] {Gamma.digamma(x), Gamma.trigamma(x), tetragamma(x)}, 1e-8, 1e-12, 1e-8),
            "digamma(x in (-1, 0))", new Special(x -> new double[] {Gamma.digamma(x), Gamma.trigamma(x), tetragamma(x)}, 1e-8, 1e-12, 1e-8),
            "gelu", new Special(x -> {
                double pdf = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
                return new double[] {0.5 * x * Erf.erfc(-x / Math.sqrt(2)), 0.5 * Erf.erfc(-x / Math.sqrt(2)) + x * pdf, (2 - x * x) * pdf};
            }, 1e-14, 1e-13, 1e-12));

    /** ψ⁽²⁾ from central differences of Commons Math's trigamma at h and h/2, Richardson-extrapolated (error ~1e-10). */
    static double tetragamma(double x) {
        double h = 1e-3;
        double wide = (Gamma.trigamma(x + h) - Gamma.trigamma(x - h)) / (2 * h), narrow = (Gamma.trigamma(x + h / 2) - Gamma.trigamma(x - h / 2)) / h;
        return (4 * narrow - wide) / 3;
    }

    @TestFactory
    Stream<DynamicTest> specialFunctionsAgainstCommonsMath() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            Special g = SPECIAL.get(spec.name());
            if (g != null) tests.add(againstScalarReference(spec, g.f(), g.tolerances()));
        }
        return tests.stream();
    }

    /**
     * The op's value, f′ (forward mode) and f″ (forward over reverse) at 5 points of its domain for 20 seeds,
     * against {@code reference}, which gives {value, f′, f″} at a point; tolerances relative to max(1, |ref|).
     */
    private static DynamicTest againstScalarReference(OpSpec spec, DoubleFunction<double[]> reference, double[] tolerances) {
        return DynamicTest.dynamicTest(spec.name(), () -> {
            for (long seed = 1; seed <= 20; seed++) {
                Tensor x = Conformance.inputs(spec, new int[][] {{5}}, seed)[0];
                Tensor y = spec.apply(x);
                Tensor d1 = Diff.jvp(spec::apply, new Tensor[] {x}, new Tensor[] {Tensor.ones(5)}).tangent();
                Tensor d2 = Diff.hvp(z -> spec.apply(z).sum(), x, Tensor.ones(5));
                double[][] got = {Tensors.buffer(y), Tensors.buffer(d1), Tensors.buffer(d2)};
                for (int i = 0; i < 5; i++) {
                    double[] r = reference.apply(x.get(i));
                    for (int k = 0; k < 3; k++) {
                        double tol = tolerances[k] * Math.max(1, Math.abs(r[k]));
                        assertEquals(r[k], got[k][i], tol, spec.name() + (k == 0 ? " value" : k == 1 ? " f′" : " f″") + " at " + x.get(i));
                    }
                }
            }
        });
    }

    /** atan2, hypot, logaddexp: value, gradient and Hessian at points of their registry domain, against DerivativeStructure in 2 variables. */
    static final Map<String, BinaryOperator<DerivativeStructure>> BINARY_DS = Map.of(
            "atan2", (a, b) -> DerivativeStructure.atan2(a, b),
            "hypot", (a, b) -> DerivativeStructure.hypot(a, b),
            "logaddexp", (a, b) -> a.exp().add(b.exp()).log());

    @TestFactory
    Stream<DynamicTest> binaryFunctionsAgainstDerivativeStructure() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            BinaryOperator<DerivativeStructure> g = spec.arity() == 2 ? BINARY_DS.get(spec.name()) : null;
            if (g == null) continue;
            tests.add(DynamicTest.dynamicTest(spec.name(), () -> {
                for (long seed = 1; seed <= 40; seed++) {
                    Tensor[] ab = Conformance.inputs(spec, new int[][] {{}, {}}, seed);
                    Tensor z = Tensor.vector(ab[0].item(), ab[1].item());
                    java.util.function.Function<Tensor, Tensor> f = v -> spec.apply(v.at(0), v.at(1));
                    DerivativeStructure r = g.apply(new DerivativeStructure(2, 2, 0, z.get(0)), new DerivativeStructure(2, 2, 1, z.get(1)));
                    Tensor grad = Diff.grad(f::apply, z), hess = Diff.hessian(f::apply, z);
                    String at = spec.name() + " at " + z;
                    assertEquals(r.getValue(), f.apply(z).item(), 1e-14 * Math.max(1, Math.abs(r.getValue())), at);
                    int[][] orders = {{1, 0}, {0, 1}};
                    for (int i = 0; i < 2; i++) {
                        double e1 = r.getPartialDerivative(orders[i]);
                        assertEquals(e1, grad.get(i), 1e-13 * Math.max(1, Math.abs(e1)), at + " ∂" + i);
                        for (int j = 0; j < 2; j++) {
                            double e2 = r.getPartialDerivative(orders[i][0] + orders[j][0], orders[i][1] + orders[j][1]);
                            assertEquals(e2, hess.get(i, j), 1e-12 * Math.max(1, Math.abs(e2)), at + " ∂" + i + "∂" + j);
                        }
                    }
                }
            }));
        }
        return tests.stream();
    }

    static final Map<String, DoubleBinaryOperator> BINARY = Map.of(
            "add", (a, b) -> a + b, "sub", (a, b) -> a - b, "mul", (a, b) -> a * b, "mulStrongZero", (a, b) -> a * b,
            "div", (a, b) -> a / b, "pow", Math::pow, "maximum", Math::max, "minimum", Math::min);

    /** Methods whose primal has a reference test of its own. */
    static final Set<String> ELSEWHERE = Set.of("crossEntropy", "nll", "bce", "bceWithLogits", "mse", "Linear", "Mlp");

    @TestFactory
    Stream<DynamicTest> scalarFunctionsAgainstDerivativeStructure() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            Function<DerivativeStructure, DerivativeStructure> g = SCALAR.get(spec.name());
            if (g == null) continue;
            tests.add(againstScalarReference(spec, v -> {
                DerivativeStructure r = g.apply(new DerivativeStructure(1, 2, 0, v));
                return new double[] {r.getValue(), r.getPartialDerivative(1), r.getPartialDerivative(2)};
            }, new double[] {1e-14, 1e-13, 1e-12}));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> binaryElementwiseAgainstLoops() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpRegistry.all()) {
            DoubleBinaryOperator op = spec.arity() == 2 ? BINARY.get(spec.name()) : null;
            if (op == null) continue;
            tests.add(DynamicTest.dynamicTest(spec.name(), () -> {
                for (int[][] shapes : spec.shapes()) {
                    Tensor[] xs = Conformance.inputs(spec, shapes, 9);
                    Tensor y = spec.apply(xs);
                    int[] out = Shape.broadcast("ref", xs[0].shape(), xs[1].shape());
                    assertArrayEquals(out, y.shape());
                    int[] sa = Shape.broadcastStrides(xs[0].shape(), out), sb = Shape.broadcastStrides(xs[1].shape(), out);
                    for (int f = 0; f < y.size(); f++) {
                        int ia = 0, ib = 0, r = f;
                        for (int d = out.length - 1; d >= 0; d--) {
                            int k = r % out[d];
                            r /= out[d];
                            ia += k * sa[d];
                            ib += k * sb[d];
                        }
                        assertEquals(op.applyAsDouble(Tensors.buffer(xs[0])[ia], Tensors.buffer(xs[1])[ib]), Tensors.buffer(y)[f], 0, spec.name() + " element " + f);
                    }
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void reductionsAgainstLoops() {
        Tensor x = TensorRandom.seed(1).normal(2, 3, 4);
        double[][][] v = new double[2][3][4];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) v[i][j][k] = x.get(i, j, k);
        Tensor s1 = x.sum(1), m02 = x.max(new int[] {0, 2}, true), lse = x.logsumexp(-1), sm = x.softmax(0), lsm = x.logSoftmax(1), mean = x.mean();
        double total = 0;
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 4; k++) {
                double s = 0;
                for (int j = 0; j < 3; j++) s += v[i][j][k];
                assertEquals(s, s1.get(i, k), 1e-15);
            }
        }
        for (int j = 0; j < 3; j++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < 2; i++) for (int k = 0; k < 4; k++) m = Math.max(m, v[i][j][k]);
            assertEquals(m, m02.get(0, j, 0), 0);
        }
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double z = 0;
                for (int k = 0; k < 4; k++) z += Math.exp(v[i][j][k]);
                assertEquals(Math.log(z), lse.get(i, j), 1e-14);
                for (int k = 0; k < 4; k++) {
                    total += v[i][j][k];
                    double zi = 0, zj = 0;
                    for (int q = 0; q < 2; q++) zi += Math.exp(v[q][j][k]);
                    for (int q = 0; q < 3; q++) zj += Math.exp(v[i][q][k]);
                    assertEquals(Math.exp(v[i][j][k]) / zi, sm.get(i, j, k), 1e-15);
                    assertEquals(v[i][j][k] - Math.log(zj), lsm.get(i, j, k), 1e-14);
                }
            }
        }
        assertEquals(total / 24, mean.item(), 1e-15);
    }

    /** The transposed forms read the operand in place, and give bitwise the product of an explicit transpose. */
    @Test
    void transposedMatmulIsBitwiseTheProductOfExplicitTransposes() {
        for (int[][] sh : new int[][][] {{{5, 7}, {7, 9}}, {{2, 20, 33}, {33, 17}}, {{40, 300}, {3, 300, 50}}}) {
            Tensor a = TensorRandom.seed(1).normal(sh[0]), b = TensorRandom.seed(2).normal(sh[1]);
            Tensor ref = a.matmul(b), at = a.transpose(), bt = b.transpose();
            assertArrayEquals(Tensors.buffer(ref), Tensors.buffer(at.matmul(b, true, false)), 0.0);
            assertArrayEquals(Tensors.buffer(ref), Tensors.buffer(a.matmul(bt, false, true)), 0.0);
            assertArrayEquals(Tensors.buffer(ref), Tensors.buffer(at.matmul(bt, true, true)), 0.0);
            assertArrayEquals(ref.shape(), a.matmul(bt, false, true).shape());
        }
    }

    @Test
    void matmulAgainstLoops() {
        Tensor a = TensorRandom.seed(2).normal(2, 1, 3, 4), b = TensorRandom.seed(3).normal(5, 4, 2);   // batch [2,1] with [5] → [2,5]
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {2, 5, 3, 2}, c.shape());
        for (int p = 0; p < 2; p++) for (int q = 0; q < 5; q++) for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) {
            double s = 0;
            for (int k = 0; k < 4; k++) s += a.get(p, 0, i, k) * b.get(q, k, j);
            assertEquals(s, c.get(p, q, i, j), 1e-14);
        }
        Tensor v = TensorRandom.seed(4).normal(4);
        Tensor mv = a.select(0, 0).select(0, 0).matmul(v), vm = v.matmul(b.select(0, 1)), dot = v.matmul(v);
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int k = 0; k < 4; k++) s += a.get(0, 0, i, k) * v.get(k);
            assertEquals(s, mv.get(i), 1e-14);
        }
        for (int j = 0; j < 2; j++) {
            double s = 0;
            for (int k = 0; k < 4; k++) s += v.get(k) * b.get(1, k, j);
            assertEquals(s, vm.get(j), 1e-14);
        }
        assertEquals(0, dot.rank());
    }

    @Test
    void shapeOpsAgainstIndexMaps() {
        Tensor x = TensorRandom.seed(5).normal(2, 3, 4);
        Tensor p = x.permute(2, 0, 1), t = x.transpose(0, 2), s = x.slice(1, 1, 3), pd = x.pad(2, 1, 2), sel = x.select(1, -1);
        Tensor b = Tensor.vector(1, 2, 3).broadcastTo(2, 3), r = x.reshape(4, -1), fl = x.flatten(), u = x.unsqueeze(-1).squeeze(3);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) {
            double e = x.get(i, j, k);
            assertEquals(e, p.get(k, i, j), 0);
            assertEquals(e, t.get(k, j, i), 0);
            assertEquals(e, pd.get(i, j, k + 1), 0);
            assertEquals(e, fl.get((i * 3 + j) * 4 + k), 0);
            assertEquals(e, r.get(((i * 3 + j) * 4 + k) / 6, ((i * 3 + j) * 4 + k) % 6), 0);
            assertEquals(e, u.get(i, j, k), 0);
            if (j >= 1) assertEquals(e, s.get(i, j - 1, k), 0);
            if (j == 2) assertEquals(e, sel.get(i, k), 0);
            assertEquals(e, Tensors.buffer(x.at(i, j, k))[0], 0); // at: the element at the same index, as a 0-d tensor
        }
        assertEquals(0.0, pd.get(1, 2, 0), 0);
        assertEquals(0.0, pd.get(1, 2, 6), 0);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) assertEquals(j + 1, b.get(i, j), 0);
        Tensor a1 = TensorRandom.seed(6).normal(2, 1), a2 = TensorRandom.seed(7).normal(2, 2);
        Tensor cat = Tensor.concat(1, a1, a2), st = Tensor.stack(-1, a2, a2.neg());
        for (int i = 0; i < 2; i++) {
            assertEquals(a1.get(i, 0), cat.get(i, 0), 0);
            for (int j = 0; j < 2; j++) {
                assertEquals(a2.get(i, j), cat.get(i, j + 1), 0);
                assertEquals(-a2.get(i, j), st.get(i, j, 1), 0);
            }
        }
        Tensor mask = Tensor.vector(1, 0, 1), w = Tensor.where(mask, Tensor.vector(1, 2, 3), Tensor.scalar(-1));
        assertArrayEquals(new double[] {1, -1, 3}, Tensors.buffer(w), 0);
        Tensor pk = x.select(0, 0).pick(new int[] {3, 0, 2}), sc = Tensor.vector(7, 8).scatter(new int[] {2, 0}, 3);
        assertArrayEquals(new double[] {x.get(0, 0, 3), x.get(0, 1, 0), x.get(0, 2, 2)}, Tensors.buffer(pk), 0);
        assertArrayEquals(new double[] {0, 0, 7, 8, 0, 0}, Tensors.buffer(sc), 0);
    }

    @Test
    void everyRegisteredOpHasAReference() {
        Set<String> covered = new java.util.HashSet<>(ELSEWHERE);
        covered.addAll(OpRegistryLinalg.METHODS); // issue 20's linear algebra: LinalgReferenceTest (Commons Math)
        covered.addAll(Set.of("sum", "mean", "max", "logsumexp", "softmax", "logSoftmax", "matmul", "permute", "transpose", "slice", "pad",
                "select", "at", "broadcastTo", "reshape", "flatten", "unsqueeze", "squeeze", "concat", "stack", "where", "pick", "scatter"));
        covered.addAll(IndexingReferenceTest.METHODS); // issue 20's indexing and shape ops: plain loops and a brute-force einsum there
        covered.addAll(ReductionsReferenceTest.COVERED); // issue 20's reductions and layers
        for (OpSpec spec : OpRegistry.all()) {
            boolean ok = SCALAR.containsKey(spec.name()) || (spec.arity() == 2 && BINARY.containsKey(spec.name())) || covered.contains(spec.method())
                    || SPECIAL.containsKey(spec.name()) || BINARY_DS.containsKey(spec.name()); // issue 20's elementwise functions
            assertTrue(ok, "no primal reference for " + spec.name());
        }
    }
}
