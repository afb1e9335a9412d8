package dev.dualgrad.internal.transforms;

import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.JacobianPlan;
import dev.dualgrad.transforms.JacobianResult;
import dev.dualgrad.transforms.PerArgument;
import dev.dualgrad.transforms.MultiTensorFunction;
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
        if (o.proposeSparse() && xs.length == 1) return SparseRoute.jacobian(f, o, xs[0]);
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
        Tensor[] jac = mode == JacobianMode.FORWARD ? forward(f, xs, chunk) : reverse(probe == null ? Reverse.vjp("jacobian", f, xs) : probe, xs, chunk);
        if (m < 0) m = jac.length == 0 ? 0 : Shape.size(Shape.prefix(jac[0].shape(), jac[0].rank() - xs[0].rank()));
        int passes = Sweeps.passes(dirs, chunk);
        JacobianPlan plan = new JacobianPlan(mode, n, m, chunk, passes,
                perDirection < 0 ? -1 : 8 * perDirection * Math.min(chunk, Math.max(dirs, 1)), why);
        JacobianResult r = new JacobianResult(PerArgument.of(jac), plan);
        if (o.verify()) DotProductCheck.verify("jacobian", f, xs, r);
        return r;
    }

    /** A mode, a chunk size and the reasons, from the sizes, the options and the memory of one direction. */
    record Choice(JacobianMode mode, int chunk, String why) {}

    /**
     * The one place where a Jacobian-like transform ({@code jacobian}, {@code batchJacobian},
     * {@code JacobianPenalty.exact}) picks its mode and chunk. AUTO takes forward mode when n ≤ m (n column
     * passes against m row sweeps), reverse otherwise; a requested chunk size is kept (capped at all the directions), else the chunk is
     * the directions whose tangents fit the memory budget, budget / (8·perDirection), at least 1 and at
     * most all of them.
     *
     * @param n the input directions (columns)
     * @param m the output directions (rows)
     * @param perDirection doubles one direction's tangents or cotangents take
     */
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
            // a pass never holds more than all the directions: chunkSize(Integer.MAX_VALUE) is one pass of dirs, not a
            // plan of 2³¹ − 1 directions (whose bytes-per-pass estimate would be absurd)
            chunk = (int) Math.min(o.chunkSize(), Math.max(dirs, 1));
            why += " Chunk size " + o.chunkSize() + " was requested" + (chunk < o.chunkSize() ? " (capped at the " + chunk + " directions)." : ".");
        } else {
            long fit = o.memoryBudget() / (8 * perDirection);
            chunk = (int) Math.max(1, Math.min(Math.max(dirs, 1), Math.min(fit, Integer.MAX_VALUE)));
            why += chunk >= dirs ? " All directions fit the memory budget in one pass."
                    : String.format(Locale.ROOT, " The memory budget (%d MiB) holds %d directions per pass.", o.memoryBudget() >> 20, chunk);
        }
        return new Choice(mode, chunk, why);
    }

    /**
     * The engine's fixed cost of recording one op and sweeping it back, in units of the cost of one element
     * of one direction's tangent through one op. Measured on the 1-16-1 tanh MLP of
     * {@code CommonsLeastSquaresBench} (AMD EPYC, AVX2): about 0.66 µs per op of a small block against
     * about 1.8 ns per tangent element.
     */
    static final double OP_OVERHEAD_ELEMENTS = 360;
    /** A reverse sweep's cost per direction and element relative to a forward pass's (the recording included). */
    static final double REVERSE_PER_DIRECTION = 1.2;

    /**
     * For a Jacobian whose m = {@code rows}·q outputs fall into rows that depend only on their own
     * inputs (a curve fit's samples), the rows per block when it is cheaper to take J block by block, each
     * block's rows by reverse mode, than all of J by forward mode; 0 when it is not (or the options fix a
     * mode or chunk). With E = perDirection and K = {@value #OP_OVERHEAD_ELEMENTS}·ops, the model is
     * forward: n·E + K; blocks of b rows: ρ·b·q·E + ⌈rows / b⌉·K (each block sweeps b·q directions over
     * E·b / rows elements), ρ = {@value #REVERSE_PER_DIRECTION}; minimised at b = √(rows·K / (ρ·q·E)), kept
     * to b·q &lt; n so that {@link #choose} picks reverse mode for each block.
     *
     * @param n the parameters (columns)
     * @param rows the independent rows (samples)
     * @param perRow q, the outputs of one row
     * @param perDirection doubles one direction's tangents take over the whole recording
     * @param ops the recorded ops
     */
    public static int rowBlock(JacobianOptions o, long n, long rows, long perRow, long perDirection, long ops) {
        long most = Math.min((n - 1) / Math.max(1, perRow), rows); // b·q < n: reverse for each block
        if (o.mode() != JacobianMode.AUTO || o.chunkSize() != 0 || rows < 2 || most < 1 || perDirection < 1) return 0;
        double e = perDirection, k = OP_OVERHEAD_ELEMENTS * Math.max(1, ops);
        long b = Math.round(Math.sqrt(rows * k / (REVERSE_PER_DIRECTION * perRow * e)));
        b = Math.max(1, Math.min(b, most));
        double blocked = REVERSE_PER_DIRECTION * b * perRow * e + Math.ceil((double) rows / b) * k, whole = n * e + k;
        return blocked < whole ? (int) b : 0;
    }

    /** Hessian columns per pass when the caller does not choose. */
    static final int HESSIAN_CHUNK = 128;

    /**
     * The options of {@code hessian}, the Jacobian of the gradient: AUTO is forward mode (H is n×n, so
     * forward is what {@link #choose} would take, and forward over reverse with a chunk size set needs no
     * probe recording), and without a chunk size min(n, {@value #HESSIAN_CHUNK}) columns go in one pass.
     */
    static JacobianOptions forHessian(JacobianOptions options, int n) {
        JacobianOptions o = options.mode() == JacobianMode.AUTO ? options.mode(JacobianMode.FORWARD) : options;
        return o.chunkSize() == 0 ? o.chunkSize(Math.max(1, Math.min(n, HESSIAN_CHUNK))) : o;
    }

    /** Columns J·e_j, j over all inputs' elements laid end to end; each pass gives [k, ...y.shape]. */
    private static Tensor[] forward(MultiTensorFunction f, Tensor[] xs, int chunk) {
        int[][] shapes = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) shapes[i] = xs[i].shape();
        int[][] yShape = {null};
        Tensor[] cols = Sweeps.sweep(Sweeps.Space.of(shapes), chunk, (seeds, k) -> {
            ValueAndTangent r = Forward.jvp("jacobian", f, xs, seeds, true);
            yShape[0] = r.value().shape();
            return new Tensor[] {r.tangent().reshape(k, -1)};
        });
        if (yShape[0] == null) yShape[0] = f.apply(detached(xs)).shape();
        Tensor all = cols == null ? Tensor.zeros(0, Shape.size(yShape[0])) : cols[0]; // [n, m]
        Tensor jt = all.transpose(); // [m, n]
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0, offset = 0; i < xs.length; offset += xs[i].size(), i++) {
            out[i] = jt.slice(1, offset, offset + xs[i].size()).reshape(Shape.concat(yShape[0], xs[i].shape()));
        }
        return out;
    }

    /** Rows e_iᵀJ, i over the output's elements; each sweep gives [c, ...x.shape] per input. */
    private static Tensor[] reverse(TapePullback p, Tensor[] xs, int chunk) {
        int[] yShape = p.value().shape();
        Tensor[] rows = Sweeps.sweep(Sweeps.Space.of(yShape), chunk, (seeds, c) -> p.sweepBatched(seeds[0]));
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            Tensor all = rows == null ? Tensor.zeros(Shape.concat(new int[] {0}, xs[i].shape())) : rows[i];
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
