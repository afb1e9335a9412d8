package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import static dev.dualgrad.internal.ops.Domain.DISTINCT;
import static dev.dualgrad.internal.ops.Domain.NONZERO;
import static dev.dualgrad.internal.ops.Domain.POSITIVE;
import static dev.dualgrad.internal.ops.Domain.REAL;
import static dev.dualgrad.internal.ops.Domain.UNIT_INTERVAL;

import dev.dualgrad.Loss;
import dev.dualgrad.losses.ClassLossOptions;
import dev.dualgrad.losses.Reduction;
import dev.dualgrad.nn.Activation;
import dev.dualgrad.nn.Linear;
import dev.dualgrad.nn.Mlp;
import dev.dualgrad.internal.kernels.Kernels;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every differentiable op of the public API, with its spec. The conformance properties iterate this
 * list, so an op is tested by adding it here, and a test fails when a public op is missing.
 *
 * <p>Constant-valued ops (comparisons, sign, argmax, detach) are listed in {@link #CONSTANT_OPS}: they
 * are checked to carry no tangent and no tape node.</p>
 */
public final class OpRegistry {
    private OpRegistry() {}

    /** Public methods of Tensor whose result is a constant, never differentiated. */
    public static final Set<String> CONSTANT_OPS = Set.of("gt", "ge", "lt", "le", "eq", "sign", "argmax", "detach", "argmin",
            "floor", "ceil", "round", "trunc"); // issue 20: rounding, derivative 0 everywhere

    public static List<OpSpec> all() {
        return Holder.ALL;
    }

    /** Built on first use, after the static shape lists below are initialised. */
    private static final class Holder {
        static final List<OpSpec> ALL = build();
    }

    static final double[] NONE = {};
    static final Predicate<Tensor[]> ANY = xs -> true;

    static int[][] s(int[]... shapes) {
        return shapes;
    }

    static int[] d(int... dims) {
        return dims;
    }

    static final List<int[][]> UNARY = List.<int[][]>of(s(d()), s(d(3)), s(d(2, 3)), s(d(2, 1, 3)));
    static final List<int[][]> BINARY = List.<int[][]>of(s(d(), d()), s(d(3), d(3)), s(d(), d(2, 2)), s(d(2, 3), d(3)),
            s(d(2, 1), d(1, 3)), s(d(2, 3), d(2, 3)), s(d(4, 1, 2), d(3, 1)));

    /** No pair of broadcast elements within 0.05 of each other: maximum and minimum are smooth there. */
    private static final Predicate<Tensor[]> NO_TIES = xs -> {
        int[] out = Shape.broadcast("ties", xs[0].shape(), xs[1].shape());
        double[] a = Tensors.buffer(Kernels.broadcastTo(xs[0], out)), b = Tensors.buffer(Kernels.broadcastTo(xs[1], out));
        for (int i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) < 0.05) return false;
        return true;
    };

    /**
     * No exponent exactly 0, where the convention ∂(aᵇ)/∂a = 0 makes the mixed second derivative 0 instead
     * of 1/a (a kink of the convention, not of aᵇ): jqwik generates 0.0 as an edge case.
     */
    private static final Predicate<Tensor[]> NO_ZERO_EXPONENT = xs -> {
        for (double e : Tensors.buffer(xs[1])) if (e == 0) return false;
        return true;
    };

    private static List<OpSpec> build() {
        List<OpSpec> r = new ArrayList<>();
        // ---- elementwise unary
        unary(r, "neg", REAL, NONE, Tensor::neg);
        unary(r, "exp", REAL, NONE, Tensor::exp);
        unary(r, "log", POSITIVE, NONE, Tensor::log);
        unary(r, "log1p", POSITIVE, NONE, Tensor::log1p);
        unary(r, "sqrt", POSITIVE, NONE, Tensor::sqrt);
        unary(r, "square", REAL, NONE, Tensor::square);
        unary(r, "abs", REAL, new double[] {0}, Tensor::abs);
        unary(r, "sin", REAL, NONE, Tensor::sin);
        unary(r, "cos", REAL, NONE, Tensor::cos);
        unary(r, "tanh", REAL, NONE, Tensor::tanh);
        unary(r, "sigmoid", REAL, NONE, Tensor::sigmoid);
        unary(r, "relu", REAL, new double[] {0}, Tensor::relu);
        unary(r, "softplus", REAL, NONE, Tensor::softplus);
        unary(r, "reciprocal", NONZERO, NONE, Tensor::reciprocal);
        r.add(new OpSpec("pow(x, 3)", "pow", new Domain[] {REAL}, NONE, UNARY, xs -> xs[0].pow(3.0), ANY));
        r.add(new OpSpec("pow(x, 2)", "pow", new Domain[] {REAL}, NONE, UNARY, xs -> xs[0].pow(2.0), ANY));
        r.add(new OpSpec("pow(x, 0.5)", "pow", new Domain[] {POSITIVE}, NONE, UNARY, xs -> xs[0].pow(0.5), ANY));
        r.add(new OpSpec("pow(x, -1.5)", "pow", new Domain[] {POSITIVE}, NONE, UNARY, xs -> xs[0].pow(-1.5), ANY));
        r.add(new OpSpec("pow(x, 0)", "pow", new Domain[] {REAL}, NONE, UNARY, xs -> xs[0].pow(0.0), ANY));
        r.add(new OpSpec("clamp(x, -0.5, 0.7)", "clamp", new Domain[] {REAL}, new double[] {-0.5, 0.7}, UNARY, xs -> xs[0].clamp(-0.5, 0.7), ANY));
        // ---- elementwise binary, broadcasting
        binary(r, "add", REAL, REAL, ANY, (a, b) -> a.add(b));
        binary(r, "sub", REAL, REAL, ANY, (a, b) -> a.sub(b));
        binary(r, "mul", REAL, REAL, ANY, (a, b) -> a.mul(b));
        binary(r, "mulStrongZero", REAL, REAL, ANY, (a, b) -> Tensors.mulStrongZero(a, b));
        binary(r, "div", REAL, NONZERO, ANY, (a, b) -> a.div(b));
        binary(r, "pow", POSITIVE, REAL, NO_ZERO_EXPONENT, (a, b) -> a.pow(b));
        binary(r, "maximum", REAL, REAL, NO_TIES, (a, b) -> a.maximum(b));
        binary(r, "minimum", REAL, REAL, NO_TIES, (a, b) -> a.minimum(b));
        r.add(new OpSpec("add(x, 1.5)", "add", new Domain[] {REAL}, NONE, UNARY, xs -> xs[0].add(1.5), ANY));
        r.add(new OpSpec("sub(x, 1.5)", "sub", new Domain[] {REAL}, NONE, UNARY, xs -> xs[0].sub(1.5), ANY));
        r.add(new OpSpec("mul(x, -2.5)", "mul", new Domain[] {REAL}, NONE, UNARY, xs -> xs[0].mul(-2.5), ANY));
        r.add(new OpSpec("div(x, 4)", "div", new Domain[] {REAL}, NONE, UNARY, xs -> xs[0].div(4), ANY));
        r.add(new OpSpec("rsub(1.5, x)", "rsub", new Domain[] {REAL}, NONE, UNARY, xs -> xs[0].rsub(1.5), ANY));
        r.add(new OpSpec("rdiv(-2, x)", "rdiv", new Domain[] {NONZERO}, NONE, UNARY, xs -> xs[0].rdiv(-2), ANY));
        // ---- reductions
        List<int[][]> red = List.<int[][]>of(s(d(3)), s(d(2, 3)), s(d(2, 3, 2)));
        List<int[][]> red2 = List.<int[][]>of(s(d(2, 3)), s(d(2, 3, 2)));
        r.add(new OpSpec("sum()", "sum", new Domain[] {REAL}, NONE, red, xs -> xs[0].sum(), ANY));
        r.add(new OpSpec("sum(axis=-1)", "sum", new Domain[] {REAL}, NONE, red, xs -> xs[0].sum(-1), ANY));
        r.add(new OpSpec("sum(axis=0, keepDims)", "sum", new Domain[] {REAL}, NONE, red, xs -> xs[0].sum(0, true), ANY));
        r.add(new OpSpec("sum(axes=[0,1])", "sum", new Domain[] {REAL}, NONE, red2, xs -> xs[0].sum(new int[] {0, 1}, false), ANY));
        r.add(new OpSpec("mean()", "mean", new Domain[] {REAL}, NONE, red, xs -> xs[0].mean(), ANY));
        r.add(new OpSpec("mean(axis=1)", "mean", new Domain[] {REAL}, NONE, red2, xs -> xs[0].mean(1), ANY));
        r.add(new OpSpec("mean(axis=-1, keepDims)", "mean", new Domain[] {REAL}, NONE, red, xs -> xs[0].mean(-1, true), ANY));
        r.add(new OpSpec("mean(axes=[0,-1], keepDims)", "mean", new Domain[] {REAL}, NONE, red2, xs -> xs[0].mean(new int[] {0, -1}, true), ANY));
        r.add(new OpSpec("max()", "max", new Domain[] {DISTINCT}, NONE, red, xs -> xs[0].max(), ANY));
        r.add(new OpSpec("max(axis=-1)", "max", new Domain[] {DISTINCT}, NONE, red, xs -> xs[0].max(-1), ANY));
        r.add(new OpSpec("max(axis=0, keepDims)", "max", new Domain[] {DISTINCT}, NONE, red, xs -> xs[0].max(0, true), ANY));
        r.add(new OpSpec("max(axes=[0,1])", "max", new Domain[] {DISTINCT}, NONE, red2, xs -> xs[0].max(new int[] {0, 1}, false), ANY));
        r.add(new OpSpec("logsumexp(axis=-1)", "logsumexp", new Domain[] {REAL}, NONE, red, xs -> xs[0].logsumexp(-1), ANY));
        r.add(new OpSpec("logsumexp(axis=0, keepDims)", "logsumexp", new Domain[] {REAL}, NONE, red, xs -> xs[0].logsumexp(0, true), ANY));
        r.add(new OpSpec("softmax(axis=-1)", "softmax", new Domain[] {REAL}, NONE, red, xs -> xs[0].softmax(-1), ANY));
        r.add(new OpSpec("softmax(axis=0)", "softmax", new Domain[] {REAL}, NONE, red2, xs -> xs[0].softmax(0), ANY));
        r.add(new OpSpec("logSoftmax(axis=-1)", "logSoftmax", new Domain[] {REAL}, NONE, red, xs -> xs[0].logSoftmax(-1), ANY));
        r.add(new OpSpec("logSoftmax(axis=1)", "logSoftmax", new Domain[] {REAL}, NONE, red2, xs -> xs[0].logSoftmax(1), ANY));
        // ---- matmul
        r.add(new OpSpec("matmul", "matmul", new Domain[] {REAL, REAL}, NONE,
                List.<int[][]>of(s(d(3), d(3)), s(d(2, 3), d(3, 4)), s(d(3), d(3, 2)), s(d(2, 3), d(3)), s(d(2, 2, 3), d(3, 2)),
                        s(d(2, 3), d(2, 3, 2)), s(d(2, 1, 2, 3), d(3, 3, 2))),
                xs -> xs[0].matmul(xs[1]), ANY));
        r.add(new OpSpec("matmul(A, Bᵀ)", "matmul", new Domain[] {REAL, REAL}, NONE,
                List.<int[][]>of(s(d(2, 3), d(4, 3)), s(d(2, 2, 3), d(4, 3)), s(d(2, 3), d(2, 4, 3)), s(d(2, 1, 2, 3), d(3, 4, 3))),
                xs -> xs[0].matmul(xs[1], false, true), ANY));
        r.add(new OpSpec("matmul(Aᵀ, B)", "matmul", new Domain[] {REAL, REAL}, NONE,
                List.<int[][]>of(s(d(3, 2), d(3, 4)), s(d(2, 3, 2), d(3, 4)), s(d(3, 2), d(2, 3, 4))),
                xs -> xs[0].matmul(xs[1], true, false), ANY));
        r.add(new OpSpec("matmul(Aᵀ, Bᵀ)", "matmul", new Domain[] {REAL, REAL}, NONE,
                List.<int[][]>of(s(d(3, 2), d(4, 3)), s(d(2, 3, 2), d(1, 4, 3))),
                xs -> xs[0].matmul(xs[1], true, true), ANY));
        // ---- shape
        r.add(new OpSpec("reshape([3,2])", "reshape", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(2, 3)), s(d(6))), xs -> xs[0].reshape(3, 2), ANY));
        r.add(new OpSpec("reshape([2,-1])", "reshape", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(6)), s(d(2, 2, 2))), xs -> xs[0].reshape(2, -1), ANY));
        r.add(new OpSpec("flatten", "flatten", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(2, 3)), s(d(2, 1, 2))), xs -> xs[0].flatten(), ANY));
        r.add(new OpSpec("unsqueeze(-1)", "unsqueeze", new Domain[] {REAL}, NONE, UNARY, xs -> xs[0].unsqueeze(-1), ANY));
        r.add(new OpSpec("squeeze(1)", "squeeze", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(3, 1)), s(d(2, 1, 3))), xs -> xs[0].squeeze(1), ANY));
        r.add(new OpSpec("permute(2,0,1)", "permute", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(2, 3, 4)), s(d(1, 2, 3))), xs -> xs[0].permute(2, 0, 1), ANY));
        r.add(new OpSpec("transpose()", "transpose", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(3)), s(d(2, 3)), s(d(2, 2, 3))), xs -> xs[0].transpose(), ANY));
        r.add(new OpSpec("transpose(0,2)", "transpose", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(2, 3, 4))), xs -> xs[0].transpose(0, 2), ANY));
        r.add(new OpSpec("broadcastTo([2,3])", "broadcastTo", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d()), s(d(3)), s(d(2, 1)), s(d(1, 3))),
                xs -> xs[0].broadcastTo(2, 3), ANY));
        r.add(new OpSpec("slice(0, 1, 3)", "slice", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(4)), s(d(4, 3))), xs -> xs[0].slice(0, 1, 3), ANY));
        r.add(new OpSpec("slice(-1, 0, 2)", "slice", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(3)), s(d(2, 3))), xs -> xs[0].slice(-1, 0, 2), ANY));
        r.add(new OpSpec("slice(0, -3, -1)", "slice", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(4)), s(d(4, 3))), xs -> xs[0].slice(0, -3, -1), ANY));
        r.add(new OpSpec("slice(-1, -2)", "slice", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(3)), s(d(2, 3))), xs -> xs[0].slice(-1, -2), ANY));
        r.add(new OpSpec("pad(1, 1, 2)", "pad", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(2, 3)), s(d(1, 2, 2))), xs -> xs[0].pad(1, 1, 2), ANY));
        r.add(new OpSpec("select(1, 2)", "select", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(3, 4)), s(d(2, 3, 2))), xs -> xs[0].select(1, 2), ANY));
        r.add(new OpSpec("select(0, -1)", "select", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(3)), s(d(3, 2))), xs -> xs[0].select(0, -1), ANY));
        r.add(new OpSpec("at(2)", "at", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(3))), xs -> xs[0].at(2), ANY));
        r.add(new OpSpec("at(1, 0, 1)", "at", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(2, 3, 2))), xs -> xs[0].at(1, 0, 1), ANY));
        r.add(new OpSpec("concat(0, a, b)", "concat", new Domain[] {REAL, REAL}, NONE, List.<int[][]>of(s(d(2), d(3)), s(d(2, 3), d(1, 3))),
                xs -> Tensor.concat(0, xs[0], xs[1]), ANY));
        r.add(new OpSpec("concat(-1, a, b, c)", "concat", new Domain[] {REAL, REAL, REAL}, NONE, List.<int[][]>of(s(d(2, 1), d(2, 2), d(2, 1))),
                xs -> Tensor.concat(-1, xs[0], xs[1], xs[2]), ANY));
        r.add(new OpSpec("stack(0, a, b)", "stack", new Domain[] {REAL, REAL}, NONE, List.<int[][]>of(s(d(), d()), s(d(3), d(3)), s(d(2, 2), d(2, 2))),
                xs -> Tensor.stack(0, xs[0], xs[1]), ANY));
        r.add(new OpSpec("stack(-1, a, b)", "stack", new Domain[] {REAL, REAL}, NONE, List.<int[][]>of(s(d(3), d(3)), s(d(2, 2), d(2, 2))),
                xs -> Tensor.stack(-1, xs[0], xs[1]), ANY));
        Tensor mask = Tensor.of(new double[] {1, 0, 1, 0, 0, 1}, 2, 3);
        r.add(new OpSpec("where(mask, a, b)", "where", new Domain[] {REAL, REAL}, NONE, List.<int[][]>of(s(d(2, 3), d(2, 3)), s(d(3), d(2, 1)), s(d(), d(2, 3))),
                xs -> Tensor.where(mask, xs[0], xs[1]), ANY));
        r.add(new OpSpec("pick([1,0,3])", "pick", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(3, 4)), s(d(2, 3, 4))), xs -> xs[0].pick(new int[] {1, 0, 3}), ANY));
        r.add(new OpSpec("scatter([1,0,3], 4)", "scatter", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(3)), s(d(2, 3))), xs -> xs[0].scatter(new int[] {1, 0, 3}, 4), ANY));
        // ---- losses, as composite ops of the public API
        int[] t3 = {1, 0, 3};
        List<int[][]> logits = List.<int[][]>of(s(d(3, 4)));
        r.add(new OpSpec("crossEntropy(int targets)", "crossEntropy", new Domain[] {REAL}, NONE, logits, xs -> Loss.crossEntropy(xs[0], t3), ANY));
        ClassLossOptions all = ClassLossOptions.defaults().weight(Tensor.vector(0.5, 2, 1, 1.5)).ignoreIndex(0).labelSmoothing(0.1);
        r.add(new OpSpec("crossEntropy(weights, ignore 0, smoothing 0.1)", "crossEntropy", new Domain[] {REAL}, NONE, logits,
                xs -> Loss.crossEntropy(xs[0], t3, all), ANY));
        r.add(new OpSpec("crossEntropy(reduction none)", "crossEntropy", new Domain[] {REAL}, NONE, logits,
                xs -> Loss.crossEntropy(xs[0], t3, ClassLossOptions.defaults().reduction(Reduction.NONE)), ANY));
        r.add(new OpSpec("crossEntropy(logits [N,C,d])", "crossEntropy", new Domain[] {REAL}, NONE, List.<int[][]>of(s(d(2, 4, 3))),
                xs -> Loss.crossEntropy(xs[0], new int[] {1, 0, 3, 2, 2, 0}, ClassLossOptions.defaults().reduction(Reduction.SUM)), ANY));
        r.add(new OpSpec("crossEntropy(soft targets)", "crossEntropy", new Domain[] {REAL, UNIT_INTERVAL}, NONE, List.<int[][]>of(s(d(3, 4), d(3, 4))),
                xs -> Loss.crossEntropy(xs[0], xs[1], ClassLossOptions.defaults().labelSmoothing(0.2).weight(Tensor.vector(1, 2, 1, 0.5))), ANY));
        r.add(new OpSpec("nll", "nll", new Domain[] {REAL}, NONE, logits, xs -> Loss.nll(xs[0], t3), ANY));
        r.add(new OpSpec("bce", "bce", new Domain[] {UNIT_INTERVAL, UNIT_INTERVAL}, NONE, List.<int[][]>of(s(d(3), d(3)), s(d(2, 2), d(2, 2))),
                xs -> Loss.bce(xs[0], xs[1]), ANY));
        r.add(new OpSpec("bceWithLogits", "bceWithLogits", new Domain[] {REAL, UNIT_INTERVAL}, NONE, List.<int[][]>of(s(d(3), d(3)), s(d(2, 2), d(2, 2))),
                xs -> Loss.bceWithLogits(xs[0], xs[1]), ANY));
        r.add(new OpSpec("bceWithLogits(posWeight)", "bceWithLogits", new Domain[] {REAL, UNIT_INTERVAL}, NONE, List.<int[][]>of(s(d(2, 2), d(2, 2))),
                xs -> Loss.bceWithLogits(xs[0], xs[1], null, Tensor.vector(2, 0.5), Reduction.SUM), ANY));
        r.add(new OpSpec("mse", "mse", new Domain[] {REAL, REAL}, NONE, List.<int[][]>of(s(d(3), d(3)), s(d(2, 2), d(2, 2))), xs -> Loss.mse(xs[0], xs[1]), ANY));
        // ---- networks, differentiated w.r.t. input and parameters together (functional call)
        Linear linear = new Linear(3, 4, 0);
        r.add(new OpSpec("Linear(3→4)(x; W, b)", "Linear", new Domain[] {REAL, REAL, REAL}, NONE, List.<int[][]>of(s(d(3), d(4, 3), d(4)), s(d(2, 3), d(4, 3), d(4))),
                xs -> linear.forward(new Tensor[] {xs[1], xs[2]}, xs[0]), ANY));
        Mlp mlp = Mlp.of(3, 4, 2).activation(Activation.TANH).seed(0).build();
        r.add(new OpSpec("Mlp(3-4-2 tanh)(x; W1, b1, W2, b2)", "Mlp", new Domain[] {REAL, REAL, REAL, REAL, REAL}, NONE,
                List.<int[][]>of(s(d(2, 3), d(4, 3), d(4), d(2, 4), d(2))),
                xs -> mlp.forward(new Tensor[] {xs[1], xs[2], xs[3], xs[4]}, xs[0]), ANY));
        r.add(new OpSpec("crossEntropy(Mlp(3-4-2 softplus)(x; params))", "Mlp", new Domain[] {REAL, REAL, REAL, REAL, REAL}, NONE,
                List.<int[][]>of(s(d(2, 3), d(4, 3), d(4), d(2, 4), d(2))),
                xs -> Loss.crossEntropy(Mlp.of(3, 4, 2).activation(Activation.SOFTPLUS).build().forward(new Tensor[] {xs[1], xs[2], xs[3], xs[4]}, xs[0]),
                        new int[] {1, 0}), ANY));
        // ---- issue 20's groups, one file each
        OpRegistryElementwise.add(r);
        OpRegistryReductions.add(r);
        OpRegistryIndexing.add(r);
        OpRegistryLinalg.add(r);
        return Collections.unmodifiableList(r);
    }

    private static void unary(List<OpSpec> r, String name, Domain dom, double[] kinks, Function<Tensor, Tensor> f) {
        r.add(new OpSpec(name, name, new Domain[] {dom}, kinks, UNARY, xs -> f.apply(xs[0]), ANY));
    }

    private interface Bin {
        Tensor apply(Tensor a, Tensor b);
    }

    private static void binary(List<OpSpec> r, String name, Domain da, Domain db, Predicate<Tensor[]> valid, Bin f) {
        r.add(new OpSpec(name, name, new Domain[] {da, db}, NONE, BINARY, xs -> f.apply(xs[0], xs[1]), valid));
    }
}
