package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.Pullback;
import dev.dualgrad.transforms.ValueAndTangent;

import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.Locale;

/**
 * Full Jacobians in forward or reverse mode, in chunks of directions.
 *
 * <p>Forward mode costs one pass per chunk of k input directions, each pass about (1 + k) primal
 * evaluations' worth of arithmetic; reverse mode records one tape and sweeps it once per chunk of c
 * output directions. With n inputs and m outputs, forward does about n directional derivatives and
 * reverse about m, so AUTO takes forward when n ≤ m. To learn m (and the memory one direction needs),
 * AUTO first records f on a tape; if it then picks reverse mode, that tape is the one it sweeps.</p>
 *
 * <p>The Jacobian is assembled with tensor ops (concat, reshape, transpose), so an enclosing transform
 * can differentiate it again.</p>
 */
public final class Jacobians {
    private Jacobians() {}

    public static JacobianResult jacobian(MultiTensorFunction f, JacobianOptions o, Tensor[] xs) {
        long n = 0;
        for (Tensor x : xs) n += x.size();
        TapePullback probe = null;
        long m;
        long perDirection; // doubles that one direction's tangents (or cotangents) occupy, summed over the recorded ops
        if (o.mode() == JacobianMode.FORWARD && o.chunkSize() > 0) {
            m = -1; // learnt from the first forward pass
            perDirection = -1;
        } else {
            probe = Reverse.vjp("jacobian", f, xs);
            m = probe.value().size();
            perDirection = Math.max(1, probe.recordedElements());
        }
        Choice c = choose(o, n, m, perDirection, "input", "output");
        JacobianMode mode = c.mode;
        int chunk = c.chunk;
        long dirs = mode == JacobianMode.FORWARD ? n : m;
        String why = c.why;
        Tensor[] jac = mode == JacobianMode.FORWARD ? forward(f, xs, n, chunk) : reverse(probe == null ? Reverse.vjp("jacobian", f, xs) : probe, xs, chunk);
        if (m < 0) m = jac.length == 0 ? 0 : Shape.size(Shape.prefix(jac[0].shape(), jac[0].rank() - xs[0].rank()));
        int passes = dirs == 0 ? 0 : (int) ((dirs + chunk - 1) / chunk);
        JacobianPlan plan = new JacobianPlan(mode, n, m, chunk, passes,
                perDirection < 0 ? -1 : 8 * perDirection * Math.min(chunk, Math.max(dirs, 1)), why);
        JacobianResult r = new JacobianResult(PerArgument.of(jac), plan);
        if (o.verify()) DotProductCheck.verify("jacobian", f, xs, r);
        return r;
    }

    /** A mode, a chunk size and the reasons, from the sizes, the options and the memory of one direction. */
    record Choice(JacobianMode mode, int chunk, String why) {}

    static Choice choose(JacobianOptions o, long n, long m, long perDirection, String inName, String outName) {
        JacobianMode mode = o.mode();
        String why;
        if (mode == JacobianMode.AUTO) {
            mode = n <= m ? JacobianMode.FORWARD : JacobianMode.REVERSE;
            why = n <= m
                    ? "AUTO chose forward: the " + inName + " has " + n + " element" + (n == 1 ? "" : "s") + " and the " + outName + " " + m + ", so "
                            + n + " column passes beat " + m + " row sweeps."
                    : "AUTO chose reverse: the " + outName + " has " + m + " element" + (m == 1 ? "" : "s") + " and the " + inName + " " + n + ", so "
                            + m + " row sweeps beat " + n + " column passes.";
        } else {
            why = mode + " mode was requested.";
        }
        long dirs = mode == JacobianMode.FORWARD ? n : m;
        int chunk;
        if (o.chunkSize() > 0) {
            chunk = o.chunkSize();
            why += " Chunk size " + chunk + " was requested.";
        } else {
            long fit = o.memoryBudget() / (8 * perDirection);
            chunk = (int) Math.max(1, Math.min(Math.max(dirs, 1), Math.min(fit, Integer.MAX_VALUE)));
            why += chunk >= dirs ? " All directions fit the memory budget in one pass."
                    : String.format(Locale.ROOT, " The memory budget (%d MiB) holds %d directions per pass.", o.memoryBudget() >> 20, chunk);
        }
        return new Choice(mode, chunk, why);
    }

    /** Columns: seeds e_j for j in [j0, j0+k) across all inputs; each pass gives [k, ...y.shape]. */
    private static Tensor[] forward(MultiTensorFunction f, Tensor[] xs, long n, int chunk) {
        int[] offsets = new int[xs.length + 1];
        for (int i = 0; i < xs.length; i++) offsets[i + 1] = offsets[i] + xs[i].size();
        int passes = (int) ((n + chunk - 1) / chunk);
        Tensor[] cols = new Tensor[passes];
        int[] yShape = null;
        for (int p = 0; p < passes; p++) {
            int j0 = p * chunk, k = (int) Math.min(chunk, n - j0);
            Tensor[] seeds = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) {
                int lo = Math.max(j0, offsets[i]), hi = Math.min(j0 + k, offsets[i + 1]);
                if (lo >= hi) continue; // this input is not perturbed in this chunk: no tangent at all
                int size = xs[i].size();
                double[] d = new double[k * size];
                for (int j = lo; j < hi; j++) d[(j - j0) * size + (j - offsets[i])] = 1;
                seeds[i] = Tensors.adopt(d, Shape.concat(new int[] {k}, xs[i].shape()));
            }
            ValueAndTangent r = Forward.jvp("jacobian", f, xs, seeds, true);
            yShape = r.value().shape();
            cols[p] = r.tangent().reshape(k, -1);
        }
        if (yShape == null) yShape = f.apply(detached(xs)).shape();
        int m = Shape.size(yShape);
        Tensor all = passes == 0 ? Tensor.zeros(0, m) : Tensor.concat(0, cols); // [n, m]
        Tensor jt = all.transpose(); // [m, n]
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = jt.slice(1, offsets[i], offsets[i + 1]).reshape(Shape.concat(yShape, xs[i].shape()));
        }
        return out;
    }

    /** Rows: seeds e_i for i in [i0, i0+c) of the output; each sweep gives [c, ...x.shape] per input. */
    private static Tensor[] reverse(TapePullback p, Tensor[] xs, int chunk) {
        int[] yShape = p.value().shape();
        int m = Shape.size(yShape);
        int passes = (m + chunk - 1) / chunk;
        Tensor[][] rows = new Tensor[xs.length][passes];
        for (int q = 0; q < passes; q++) {
            int i0 = q * chunk, c = Math.min(chunk, m - i0);
            double[] d = new double[c * m];
            for (int i = 0; i < c; i++) d[i * m + i0 + i] = 1;
            Tensor[] g = p.sweepBatched(Tensors.adopt(d, Shape.concat(new int[] {c}, yShape)));
            for (int i = 0; i < xs.length; i++) rows[i][q] = g[i];
        }
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            Tensor all = passes == 0 ? Tensor.zeros(Shape.concat(new int[] {0}, xs[i].shape())) : Tensor.concat(0, rows[i]);
            out[i] = all.reshape(Shape.concat(yShape, xs[i].shape()));
        }
        return out;
    }

    static Tensor[] detached(Tensor[] xs) {
        Tensor[] d = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) d[i] = xs[i].detach();
        return d;
    }
}
