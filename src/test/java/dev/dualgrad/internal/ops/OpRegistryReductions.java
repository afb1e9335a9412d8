package dev.dualgrad.internal.ops;

import static dev.dualgrad.internal.ops.Domain.DISTINCT;
import static dev.dualgrad.internal.ops.Domain.REAL;
import static dev.dualgrad.internal.ops.OpRegistry.ANY;
import static dev.dualgrad.internal.ops.OpRegistry.NONE;
import static dev.dualgrad.internal.ops.OpRegistry.d;
import static dev.dualgrad.internal.ops.OpRegistry.s;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.nn.Functional;
import dev.dualgrad.nn.LayerNorm;
import dev.dualgrad.tensor.NormOptions;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.tensor.VarianceOptions;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Registry specs of the new reductions (min, prod, var, std, norm, cumsum, cumprod, logcumsumexp) and the
 * layers (layerNorm, dropout); {@link OpRegistry#all()} includes them. Domains keep away from the kinks:
 * min over distinct values, std away from zero variance, the 2-norm away from 0, the ∞-norm over
 * distinct magnitudes away from 0. prod and cumprod with zeros are tested exactly elsewhere
 * (ReductionsReferenceTest).
 */
final class OpRegistryReductions {
    private OpRegistryReductions() {}

    private static final List<int[][]> RED = List.<int[][]>of(s(d(3)), s(d(2, 3)), s(d(2, 3, 2)));
    private static final List<int[][]> RED2 = List.<int[][]>of(s(d(2, 3)), s(d(2, 3, 2)));

    /**
     * Every group of the reduction f has a value of at least {@code lo} (a spread, a norm); inputs whose
     * last axis holds fewer than 2 elements are admitted as they are (the batching tests' size-1 shapes).
     */
    private static Predicate<Tensor[]> atLeast(double lo, Function<Tensor, Tensor> f) {
        return xs -> xs[0].rank() == 0 || xs[0].dim(-1) < 2 || Arrays.stream(Tensors.buffer(f.apply(xs[0]))).allMatch(v -> v >= lo);
    }

    /** No two magnitudes within 0.1 of each other, none below 0.1: max|x| is smooth there. */
    private static final Predicate<Tensor[]> DISTINCT_MAGNITUDES = xs -> {
        double[] a = Tensors.buffer(xs[0].abs());
        for (int i = 0; i < a.length; i++) {
            if (a[i] < 0.1) return false;
            for (int j = i + 1; j < a.length; j++) if (Math.abs(a[i] - a[j]) < 0.1) return false;
        }
        return true;
    };

    private static void add(List<OpSpec> r, String name, String method, List<int[][]> shapes, Function<Tensor, Tensor> f) {
        add(r, name, method, REAL, NONE, shapes, f, ANY);
    }

    private static void add(List<OpSpec> r, String name, String method, Domain dom, double[] kinks, List<int[][]> shapes,
                            Function<Tensor, Tensor> f, Predicate<Tensor[]> valid) {
        r.add(new OpSpec(name, method, new Domain[] {dom}, kinks, shapes, xs -> f.apply(xs[0]), valid));
    }

    static void add(List<OpSpec> r) {
        add(r, "min()", "min", DISTINCT, NONE, RED, Tensor::min, ANY);
        add(r, "min(axis=-1)", "min", DISTINCT, NONE, RED, x -> x.min(-1), ANY);
        add(r, "min(axis=0, keepDims)", "min", DISTINCT, NONE, RED, x -> x.min(0, true), ANY);
        add(r, "min(axes=[0,1])", "min", DISTINCT, NONE, RED2, x -> x.min(new int[] {0, 1}, false), ANY);
        add(r, "prod()", "prod", RED, Tensor::prod);
        add(r, "prod(axis=-1)", "prod", RED, x -> x.prod(-1));
        add(r, "prod(axis=0, keepDims)", "prod", RED, x -> x.prod(0, true));
        add(r, "prod(axes=[0,-1])", "prod", RED2, x -> x.prod(new int[] {0, -1}, false));
        add(r, "var()", "var", RED, Tensor::var);
        add(r, "var(axes=[-1])", "var", RED, x -> x.var(new int[] {-1}));
        add(r, "var(axes=[0,1], correction 0, keepDims)", "var", RED2, x -> x.var(new int[] {0, 1}, VarianceOptions.defaults().correction(0).keepDims(true)));
        add(r, "var(correction 2)", "var", RED, x -> x.var(VarianceOptions.defaults().correction(2)));
        Predicate<Tensor[]> spread = atLeast(0.05, x -> x.var(new int[] {-1}, VarianceOptions.defaults().correction(0)));
        Predicate<Tensor[]> spreadAll = atLeast(0.05, x -> x.var(VarianceOptions.defaults().correction(0)));
        add(r, "std()", "std", REAL, NONE, RED, Tensor::std, spreadAll);
        add(r, "std(axes=[-1])", "std", REAL, NONE, RED, x -> x.std(new int[] {-1}), spread);
        add(r, "std(correction 0, keepDims)", "std", REAL, NONE, RED, x -> x.std(VarianceOptions.defaults().correction(0).keepDims(true)), spreadAll);
        add(r, "norm()", "norm", REAL, NONE, RED, Tensor::norm, atLeast(0.1, Tensor::norm));
        add(r, "norm(axes=[-1])", "norm", REAL, NONE, RED, x -> x.norm(new int[] {-1}), atLeast(0.1, x -> x.norm(new int[] {-1})));
        add(r, "norm(axes=[0,1], keepDims)", "norm", REAL, NONE, RED2, x -> x.norm(new int[] {0, 1}, NormOptions.defaults().keepDims(true)),
                atLeast(0.1, x -> x.norm(new int[] {0, 1})));
        add(r, "norm(p=1, axes=[-1])", "norm", REAL, new double[] {0}, RED, x -> x.norm(new int[] {-1}, NormOptions.defaults().p(1)), ANY);
        add(r, "norm(p=∞)", "norm", REAL, new double[] {0}, List.<int[][]>of(s(d(3)), s(d(2, 2))), x -> x.norm(NormOptions.defaults().p(Double.POSITIVE_INFINITY)), DISTINCT_MAGNITUDES);
        add(r, "cumsum(axis=-1)", "cumsum", RED, x -> x.cumsum(-1));
        add(r, "cumsum(axis=0)", "cumsum", RED2, x -> x.cumsum(0));
        add(r, "cumprod(axis=-1)", "cumprod", RED, x -> x.cumprod(-1));
        add(r, "cumprod(axis=1)", "cumprod", RED2, x -> x.cumprod(1));
        add(r, "logcumsumexp(axis=-1)", "logcumsumexp", RED, x -> x.logcumsumexp(-1));
        add(r, "logcumsumexp(axis=0)", "logcumsumexp", RED2, x -> x.logcumsumexp(0));
        // ---- layers
        add(r, "layerNorm([3])", "layerNorm", REAL, NONE, List.<int[][]>of(s(d(3)), s(d(2, 3)), s(d(2, 2, 3))), x -> Functional.layerNorm(x, new int[] {3}), spread);
        r.add(new OpSpec("layerNorm([3], weight, bias)", "layerNorm", new Domain[] {REAL, REAL, REAL}, NONE,
                List.<int[][]>of(s(d(3), d(3), d(3)), s(d(2, 3), d(3), d(3)), s(d(2, 2, 3), d(3), d(3))),
                xs -> Functional.layerNorm(xs[0], new int[] {3}, xs[1], xs[2]), spread));
        r.add(new OpSpec("layerNorm([3,2], weight, bias, eps 0.1)", "layerNorm", new Domain[] {REAL, REAL, REAL}, NONE,
                List.<int[][]>of(s(d(2, 3, 2), d(3, 2), d(3, 2))),
                xs -> Functional.layerNorm(xs[0], new int[] {3, 2}, xs[1], xs[2], 0.1), ANY));
        LayerNorm module = new LayerNorm(3);
        r.add(new OpSpec("LayerNorm(3)(x; weight, bias)", "LayerNorm", new Domain[] {REAL, REAL, REAL}, NONE,
                List.<int[][]>of(s(d(2, 3), d(3), d(3))), xs -> module.forward(new Tensor[] {xs[1], xs[2]}, xs[0]), spread));
        add(r, "dropout(p=0.4, seed 5)", "dropout", RED, x -> Functional.dropout(x, 0.4, TensorRandom.seed(5)));
    }
}
