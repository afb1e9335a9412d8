package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.TensorFunction;
import dev.dualgrad.transforms.ValueAndTangent;

/**
 * f(x) and its Jacobian as m rows of n doubles, for a caller that evaluates one function at many points
 * of one size (an optimizer's iterations): the value comes from the same pass or recording as the
 * Jacobian, never from an extra evaluation.
 *
 * <p>The mode and chunk are {@link Jacobians#choose}'s, the one rule of {@code Diff.jacobian}, made once
 * at the first point, where (as in {@code Diff.jacobian}) a probe recording gives m and the memory of one
 * direction; that recording is swept when reverse mode wins. Later points reuse the choice, so forward mode
 * costs ⌈n / k⌉ passes with k tangents and no recording, reverse mode one recording and ⌈m / c⌉ sweeps. The
 * directions are seeded by {@link Sweeps}, so the numbers are bitwise those of {@code Diff.jacobian} with
 * the same mode (the chunk size does not change them).</p>
 */
public final class RepeatedJacobian {
    /** f(x), J[i][j] = ∂f(x)ᵢ/∂xⱼ over the flattened elements, and the plan that produced them. */
    public record Evaluation(Tensor value, double[][] jacobian, JacobianPlan plan) {}

    private final String op;
    private final MultiTensorFunction f;
    private final JacobianOptions options;
    private volatile Jacobians.Choice choice;
    private volatile long bytesPerPass = -1;

    public RepeatedJacobian(String op, TensorFunction f, JacobianOptions options) {
        this.op = op;
        this.f = xs -> f.apply(xs[0]);
        this.options = options;
    }

    /** The value and the Jacobian at x; the first call also makes the plan. */
    public Evaluation evaluate(Tensor x) {
        Tensor[] xs = {x};
        long n = x.size();
        Jacobians.Choice c = choice;
        TapePullback probe = null;
        if (c == null) {
            probe = options.mode() != JacobianMode.FORWARD || options.chunkSize() == 0 ? Reverse.vjp(op, f, xs) : null;
            c = choose(n, probe);
        }
        return c.mode() == JacobianMode.REVERSE ? reverse(probe != null ? probe : Reverse.vjp(op, f, xs), (int) n, c) : forward(xs, (int) n, c);
    }

    /**
     * Makes the plan at x from a probe recording (as the first {@link #evaluate} would) and returns that
     * recording, whose value and size tell a caller what f is like before any Jacobian is computed.
     * Later evaluations reuse the plan; the recording itself is not kept.
     */
    public TapePullback planAt(Tensor x) {
        TapePullback probe = Reverse.vjp(op, f, new Tensor[] {x});
        choose(x.size(), probe);
        return probe;
    }

    private Jacobians.Choice choose(long n, TapePullback probe) {
        long m = probe == null ? -1 : probe.value().size(), perDirection = probe == null ? -1 : Math.max(1, probe.recordedElements());
        Jacobians.Choice c = Jacobians.choose(options, n, m, perDirection, "parameter vector", "residual vector");
        if (perDirection > 0) bytesPerPass = 8 * perDirection * Math.min(c.chunk(), Math.max(c.mode() == JacobianMode.FORWARD ? n : m, 1));
        choice = c;
        return c;
    }

    /** Columns J·eⱼ, k per pass; the value from the passes themselves. */
    private Evaluation forward(Tensor[] xs, int n, Jacobians.Choice c) {
        Tensor[] value = {null};
        Tensor[] cols = Sweeps.sweep(Sweeps.Space.of(xs[0].shape()), c.chunk(), (seeds, k) -> {
            ValueAndTangent r = Forward.jvp(op, f, xs, seeds, true);
            value[0] = r.value();
            return new Tensor[] {r.tangent()};
        });
        if (value[0] == null) value[0] = f.apply(Jacobians.detached(xs)); // no parameters: no pass ran
        int m = value[0].size();
        double[][] jac = new double[m][];
        double[] d = cols == null ? null : Tensors.buffer(cols[0]); // [n, ...y.shape]: column j at j·m
        for (int i = 0; i < m; i++) {
            double[] row = jac[i] = new double[n];
            for (int j = 0; j < n; j++) row[j] = d[j * m + i];
        }
        return new Evaluation(value[0], jac, plan(c, n, m));
    }

    /** Rows eᵢᵀJ, c per sweep of one recording. */
    private Evaluation reverse(TapePullback p, int n, Jacobians.Choice c) {
        Tensor value = p.value();
        int m = value.size();
        Tensor[] rows = Sweeps.sweep(Sweeps.Space.of(value.shape()), c.chunk(), (seeds, k) -> p.sweepBatched(seeds[0]));
        double[][] jac = new double[m][];
        double[] d = rows == null ? null : Tensors.buffer(rows[0]); // [m, ...x.shape]
        for (int i = 0; i < m; i++) {
            jac[i] = new double[n];
            System.arraycopy(d, i * n, jac[i], 0, n);
        }
        return new Evaluation(value, jac, plan(c, n, m));
    }

    private JacobianPlan plan(Jacobians.Choice c, long n, long m) {
        long dirs = c.mode() == JacobianMode.FORWARD ? n : m;
        return new JacobianPlan(c.mode(), n, m, c.chunk(), Sweeps.passes(dirs, c.chunk()), bytesPerPass, c.why());
    }
}
