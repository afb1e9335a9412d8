package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.LaplacianLevel;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.LaplacianOptions;
import dev.dualgrad.transforms.LaplacianResult;
import dev.dualgrad.transforms.TensorFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward Laplacian (Li et al. 2023): f run once on (x, J = V, L = 0) for a set of directions V
 * (rows v_d), every op propagating its value, its first-order rows J_d and the collapsed second-order
 * row L = Σ_d v_dᵀ∇²(·)v_d by its {@code laplacian} rule. The directions choose what L is: the unit
 * vectors give Δf, the columns of σ give tr(σσᵀ∇²f), R random vectors with E[vvᵀ] = I give R times an
 * unbiased estimate of Δf (Hutchinson). One pass costs about D + 1 times the function, against D
 * Hessian-vector products (each 2–3 function costs) for the Hessian-trace route.
 */
public final class Laplacians {
    private Laplacians() {}

    /** {f(x), J [D, ...y], L [...y]} along the directions [D, ...x], {@code chunk} directions per pass (0: all). */
    public static Tensor[] run(String op, TensorFunction f, Tensor x, Tensor directions, int chunk) {
        int d = directions.dim(0);
        if (chunk <= 0 || chunk >= d) return pass(op, f, x, directions);
        List<Tensor> rows = new ArrayList<>();
        Tensor value = null, lap = null;
        for (int start = 0; start < d; start += chunk) {
            Tensor[] r = pass(op, f, x, directions.slice(0, start, Math.min(d, start + chunk)));
            value = r[0];
            rows.add(r[1]);
            lap = lap == null ? r[2] : lap.add(r[2]);
        }
        return new Tensor[] {value, Tensor.concat(0, rows.toArray(new Tensor[0])), lap};
    }

    private static Tensor[] pass(String op, TensorFunction f, Tensor x, Tensor directions) {
        return pass(op, f, x, directions.dim(0), Tensor.concat(0, directions, Tensor.zeros(Shape.concat(new int[] {1}, x.shape()))));
    }

    /** One pass from the seed stack [D + 1, ...x] (rows: the directions, then L = 0). */
    private static Tensor[] pass(String op, TensorFunction f, Tensor x, int d, Tensor stack) {
        LaplacianLevel level = new LaplacianLevel(d);
        try {
            Tensor y = Transforms.output(op, f.apply(level.seed(x, stack)), level);
            Tensor y0 = level.primalOf(y), s = level.stackOf(y);
            if (s == null) return new Tensor[] {y0, Tensor.zeros(Shape.concat(new int[] {d}, y0.shape())), Tensor.zeros(y0.shape())};
            return new Tensor[] {y0, s.slice(0, 0, d), s.select(0, d)};
        } finally {
            level.close();
        }
    }

    /** Δf with ∂f/∂x [...y, ...x]: the unit vectors of x's n elements as directions. */
    public static LaplacianResult laplacian(String op, TensorFunction f, Tensor x, LaplacianOptions o) {
        int n = x.size();
        stackFits(op, n, x.shape());
        Tensor[] r = run(op, f, x, Tensor.eye(n).reshape(Shape.concat(new int[] {n}, x.shape())), o.chunkSize());
        return new LaplacianResult(r[0], outputFirst(r[1], r[0].shape(), x.shape()), r[2]);
    }

    /** Per sample: x [B, D...] ↦ y [B, C...]; J [B, C..., D...], Δ [B, C...]; each unit vector seeded on all samples at once. */
    public static LaplacianResult batchLaplacian(String op, TensorFunction f, Tensor x, LaplacianOptions o) {
        if (x.rank() == 0) throw new IllegalArgumentException(op + ": x must be [B, D...] with a batch axis, got a scalar");
        int b = x.dim(0);
        int[] sample = Shape.suffix(x.shape(), 1);
        int d = Shape.size(sample);
        if (o.checkIndependence() && b > 1) BatchJacobians.checkIndependence(op, "wrong Laplacians",
                "Diff.laplacian for the Laplacian of a function of the whole batch", xs -> f.apply(xs[0]), x, b, d);
        Tensor[] r;
        if (o.chunkSize() <= 0 || o.chunkSize() >= d) {
            r = pass(op, f, x, d, unitStack(d, b, sample)); // the seeds written once, without a concatenation
        } else {
            Tensor dirs = Tensor.eye(d).reshape(d, 1, d).broadcastTo(d, b, d).reshape(Shape.concat(new int[] {d, b}, sample));
            r = run(op, f, x, dirs, o.chunkSize());
        }
        int[] yShape = r[0].shape();
        if (yShape.length == 0 || yShape[0] != b) {
            throw new IllegalArgumentException(op + ": f maps a batch of " + b + " (input shape " + Shape.str(x.shape())
                    + ") to shape " + Shape.str(yShape) + "; the output must keep the batch axis first, [" + b + ", ...]. For the"
                    + " Laplacian of a function of the whole batch use Diff.laplacian.");
        }
        int[] c = Shape.suffix(yShape, 1);
        int cs = Shape.size(c);
        Tensor j = r[1].reshape(d, b, cs).permute(1, 2, 0).reshape(Shape.concat(Shape.concat(new int[] {b}, c), sample));
        return new LaplacianResult(r[0], j, r[2]);
    }

    /** tr(σσᵀ∇²f) for σ [n, r] (n = x's elements); the Jacobian part is J·σ, [...y, r]. */
    public static LaplacianResult weighted(String op, TensorFunction f, Tensor x, Tensor sigma, LaplacianOptions o) {
        int n = x.size();
        if (sigma.rank() != 2 || sigma.dim(0) != n) {
            throw new IllegalArgumentException(op + ": sigma has shape " + Shape.str(sigma.shape()) + " but must be [n, r] with n = "
                    + n + ", the elements of x (shape " + Shape.str(x.shape()) + "): the weighted Laplacian is tr(σσᵀ∇²f)");
        }
        int r = sigma.dim(1);
        stackFits(op, r, x.shape());
        Tensor[] res = run(op, f, x, sigma.transpose().reshape(Shape.concat(new int[] {r}, x.shape())), o.chunkSize());
        return new LaplacianResult(res[0], outputFirst(res[1], res[0].shape(), new int[] {r}), res[2]);
    }

    /**
     * Hutchinson: (1/R)·Σ_r v_rᵀ∇²f v_r with R seeded directions, Rademacher (±1) or Gaussian entries,
     * unbiased because E[vvᵀ] = I. The Jacobian part holds the R directional derivatives ∇f·v_r, [...y, R].
     */
    public static LaplacianResult estimate(String op, TensorFunction f, Tensor x, LaplacianOptions o) {
        int rr = o.directions();
        int[] shape = Shape.concat(new int[] {rr}, x.shape());
        Shape.size(op, shape);
        Tensor g = TensorRandom.seed(o.seed()).normal(shape);
        Tensor dirs = o.isGaussian() ? g : g.sign();
        Tensor[] res = run(op, f, x, dirs, o.chunkSize());
        return new LaplacianResult(res[0], outputFirst(res[1], res[0].shape(), new int[] {rr}), res[2].div(rr));
    }

    /** Δ²f = Δ(Δf): a forward Laplacian over a forward Laplacian, n² directions in all. */
    public static Tensor biharmonic(String op, TensorFunction f, Tensor x, LaplacianOptions o) {
        int n = x.size();
        stackFits(op, n, x.shape());
        Tensor eye = Tensor.eye(n).reshape(Shape.concat(new int[] {n}, x.shape()));
        TensorFunction inner = z -> run(op, f, z, eye, o.chunkSize())[2];
        return run(op, inner, x, eye, o.chunkSize())[2];
    }

    /** Refuses by name a stack [D + 1, ...x] (and its D × n seeds) past 2³¹ − 1 elements, before anything is allocated. */
    private static void stackFits(String op, int d, int[] x) {
        Shape.size(op, Shape.concat(new int[] {d + 1}, x));
    }

    /** The seed stack [D + 1, B, ...sample]: row q holds e_q in every sample, row D is zero. */
    private static Tensor unitStack(int d, int b, int[] sample) {
        int[] shape = Shape.concat(new int[] {d + 1, b}, sample);
        double[] s = new double[Shape.size("batchLaplacian", shape)];
        for (int q = 0; q < d; q++) for (int i = 0; i < b; i++) s[(q * b + i) * d + q] = 1;
        return Tensors.adopt(s, shape);
    }

    /** [D, ...y] → [...y, ...dirShape] (D = the elements of dirShape). */
    private static Tensor outputFirst(Tensor j, int[] y, int[] dirShape) {
        int d = j.dim(0), m = Shape.size(y);
        return j.reshape(d, m).transpose().reshape(Shape.concat(y, dirShape));
    }

}
