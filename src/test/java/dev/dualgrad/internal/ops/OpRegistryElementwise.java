package dev.dualgrad.internal.ops;

import static dev.dualgrad.internal.ops.Domain.ABOVE_ONE;
import static dev.dualgrad.internal.ops.Domain.NEGATIVE_UNIT;
import static dev.dualgrad.internal.ops.Domain.OPEN_UNIT;
import static dev.dualgrad.internal.ops.Domain.POSITIVE;
import static dev.dualgrad.internal.ops.Domain.REAL;
import static dev.dualgrad.internal.ops.OpRegistry.ANY;
import static dev.dualgrad.internal.ops.OpRegistry.BINARY;
import static dev.dualgrad.internal.ops.OpRegistry.NONE;
import static dev.dualgrad.internal.ops.OpRegistry.UNARY;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.kernels.Kernels;
import dev.dualgrad.tensor.Tensor;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import java.util.function.Predicate;

/** Registry specs of the new elementwise functions (tan … leakyRelu, atan2, hypot, logaddexp, floor …); {@link OpRegistry#all()} includes them. */
final class OpRegistryElementwise {
    private OpRegistryElementwise() {}

    private static final double[] ZERO = {0};

    static void add(List<OpSpec> r) {
        unary(r, "tan", "tan", OPEN_UNIT, NONE, Tensor::tan);
        unary(r, "asin", "asin", OPEN_UNIT, NONE, Tensor::asin);
        unary(r, "acos", "acos", OPEN_UNIT, NONE, Tensor::acos);
        unary(r, "atan", "atan", REAL, NONE, Tensor::atan);
        unary(r, "sinh", "sinh", REAL, NONE, Tensor::sinh);
        unary(r, "cosh", "cosh", REAL, NONE, Tensor::cosh);
        unary(r, "asinh", "asinh", REAL, NONE, Tensor::asinh);
        unary(r, "acosh", "acosh", ABOVE_ONE, NONE, Tensor::acosh);
        unary(r, "atanh", "atanh", OPEN_UNIT, NONE, Tensor::atanh);
        unary(r, "expm1", "expm1", REAL, NONE, Tensor::expm1);
        unary(r, "log2", "log2", POSITIVE, NONE, Tensor::log2);
        unary(r, "log10", "log10", POSITIVE, NONE, Tensor::log10);
        unary(r, "erf", "erf", REAL, NONE, Tensor::erf);
        unary(r, "erfc", "erfc", REAL, NONE, Tensor::erfc);
        unary(r, "lgamma", "lgamma", POSITIVE, NONE, Tensor::lgamma);
        unary(r, "lgamma(x in (-1, 0))", "lgamma", NEGATIVE_UNIT, NONE, Tensor::lgamma);
        unary(r, "digamma", "digamma", POSITIVE, NONE, Tensor::digamma);
        unary(r, "digamma(x in (-1, 0))", "digamma", NEGATIVE_UNIT, NONE, Tensor::digamma);
        unary(r, "logSigmoid", "logSigmoid", REAL, NONE, Tensor::logSigmoid);
        unary(r, "gelu", "gelu", REAL, NONE, Tensor::gelu);
        unary(r, "geluTanh", "geluTanh", REAL, NONE, Tensor::geluTanh);
        unary(r, "silu", "silu", REAL, NONE, Tensor::silu);
        unary(r, "elu", "elu", REAL, ZERO, Tensor::elu);
        unary(r, "elu(x, 0.5)", "elu", REAL, ZERO, x -> x.elu(0.5));
        unary(r, "leakyRelu", "leakyRelu", REAL, ZERO, Tensor::leakyRelu);
        unary(r, "leakyRelu(x, 0.2)", "leakyRelu", REAL, ZERO, x -> x.leakyRelu(0.2));
        // atan2 jumps by 2π across the negative x-axis (b < 0, a = 0) and has no limit at the origin
        binary(r, "atan2", pairs((a, b) -> Math.hypot(a, b) >= 0.2 && !(b < 0 && Math.abs(a) < 0.1)), (a, b) -> a.atan2(b));
        binary(r, "hypot", pairs((a, b) -> Math.hypot(a, b) >= 0.2), (a, b) -> a.hypot(b)); // a cone's tip at the origin
        binary(r, "logaddexp", ANY, (a, b) -> a.logaddexp(b));
    }

    private static void unary(List<OpSpec> r, String name, String method, Domain dom, double[] kinks, UnaryOperator<Tensor> f) {
        r.add(new OpSpec(name, method, new Domain[] {dom}, kinks, UNARY, xs -> f.apply(xs[0]), ANY));
    }

    private static void binary(List<OpSpec> r, String name, Predicate<Tensor[]> valid, BinaryOperator<Tensor> f) {
        r.add(new OpSpec(name, name, new Domain[] {REAL, REAL}, NONE, BINARY, xs -> f.apply(xs[0], xs[1]), valid));
    }

    private interface PairTest {
        boolean test(double a, double b);
    }

    /** Every pair of broadcast elements passes the test. */
    private static Predicate<Tensor[]> pairs(PairTest t) {
        return xs -> {
            int[] out = Shape.broadcast("pairs", xs[0].shape(), xs[1].shape());
            double[] a = Tensors.buffer(Kernels.broadcastTo(xs[0], out)), b = Tensors.buffer(Kernels.broadcastTo(xs[1], out));
            for (int i = 0; i < a.length; i++) if (!t.test(a[i], b[i])) return false;
            return true;
        };
    }
}
