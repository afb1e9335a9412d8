package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.kernels.Elementwise;
import dev.dualgrad.internal.kernels.Kernels;
import dev.dualgrad.internal.ops.MatMul;
import dev.dualgrad.internal.ops.Rules;
import dev.dualgrad.tensor.Tensor;

/**
 * X = op(A)⁻¹·B, A [a..., n, n] a general matrix (LU with partial pivoting) or a triangle of it, B
 * [b..., n, m], batch axes broadcast; op(A) = A or Aᵀ. With A′ = op(M ⊙ A), M the mask of the entries
 * read (all of them, or the triangle), Giles (2008):
 * <pre>
 *   Ẋ = A′⁻¹·(Ḃ − op(M ⊙ Ȧ)·X)
 *   B̄ = A′⁻ᵀ·X̄                       (the same solve with op transposed)
 *   Ā = −M ⊙ (B̄·Xᵀ)   or   −M ⊙ (X·B̄ᵀ) when op is the transpose
 * </pre>
 * both summed over broadcast batch axes. The rules call this primitive again, so they differentiate too.
 */
final class LinearSolve implements Primitive {
    private static final Reads READS = Reads.perCotangent(Reads.inputs(0).andOutput(), Reads.inputs(0));

    enum Kind { GENERAL, LOWER, UPPER }

    final Kind kind;
    final boolean trans, unit, strongZero;
    final String op;

    /** The public op: IEEE arithmetic throughout. */
    LinearSolve(Kind kind, boolean trans, boolean unit, String op) {
        this(kind, trans, unit, op, false);
    }

    /**
     * With {@code strongZero}, the solve used inside derivative rules: where A has a non-finite entry it
     * runs with strong-zero arithmetic (a zero right-hand side gives exactly zero), as the rules'
     * products do; on finite A both are the same blocked kernel.
     */
    LinearSolve(Kind kind, boolean trans, boolean unit, String op, boolean strongZero) {
        this.kind = kind;
        this.trans = trans;
        this.unit = unit;
        this.op = op;
        this.strongZero = strongZero;
    }

    public String name() {
        return kind == Kind.GENERAL ? "solve" : "triangularSolve";
    }

    public Reads vjpReads() {
        return READS;
    }

    public Tensor eval(Tensor[] x) {
        Tensor a = x[0], b = x[1];
        int n = a.dim(-1), m = b.dim(-1);
        int[] batch = Shape.broadcast(op + " (batch axes)", Batch.of(a.shape()), Batch.of(b.shape()));
        int[] out = Shape.concat(batch, new int[] {n, m});
        Shape.size(op, out);
        double[] xs = Tensors.buffer(Kernels.broadcastTo(b, out)).clone(), ad = Tensors.buffer(a);
        int[] ai = Batch.indices(Batch.of(a.shape()), batch);
        double[] lu = kind == Kind.GENERAL ? new double[n * n] : null;
        int[] perm = new int[n + 1];
        int factored = -1;
        boolean strong = strongZero && !Elementwise.allFinite(ad);
        for (int i = 0; i < ai.length; i++) {
            if (kind != Kind.GENERAL) {
                if (strong) TriangularKernel.solveStrongZero(ad, ai[i] * n * n, n, kind == Kind.LOWER, trans, unit, xs, i * n * m, m, op);
                else TriangularKernel.solve(ad, ai[i] * n * n, n, kind == Kind.LOWER, trans, unit, xs, i * n * m, m, op);
                continue;
            }
            if (ai[i] != factored) { // consecutive matrices of a broadcast A share one factorisation
                System.arraycopy(ad, ai[i] * n * n, lu, 0, n * n);
                int zero = LuKernel.factor(lu, 0, n, perm);
                if (zero >= 0 && !strong) throw singular(op, zero, n);
                factored = ai[i];
            }
            LuKernel.solve(lu, 0, n, perm, trans, xs, i * n * m, m, op, strong);
        }
        return Tensors.adopt(xs, out);
    }

    /**
     * X[q, i, j] = (op(A)⁻¹·B)[i, j] of batch entry q depends on column j of its matrix of B and on the entries
     * of its matrix of A that the op reads, nothing of other batch entries. A triangular solve is tighter:
     * substitution makes row i of X depend only on the rows of op(A) and B solved before it and row i
     * itself (rows 0..i when op(A) is lower, i..n−1 when upper), as prefix unions along the solve order.
     */
    @Override
    public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
        int n = x[0].dim(-1), m = x[1].dim(-1);
        int[] batch = Batch.of(y.shape());
        Batch.Entries read = kind == Kind.GENERAL ? Batch.Entries.ALL : kind == Kind.LOWER
                ? (unit ? Batch.Entries.STRICTLY_LOWER : Batch.Entries.LOWER) : (unit ? Batch.Entries.STRICTLY_UPPER : Batch.Entries.UPPER);
        int universe = px[0] != null ? px[0].universe() : px[1].universe();
        int[][] ua = px[0] == null || kind != Kind.GENERAL ? null : Batch.unions(px[0], x[0].shape(), read);
        int[] ia = Batch.indices(Batch.of(x[0].shape()), batch), ib = Batch.indices(Batch.of(x[1].shape()), batch);
        boolean forward = kind == Kind.GENERAL || (kind == Kind.LOWER) != trans;
        Pattern.Union u = new Pattern.Union(universe);
        int[][] col = new int[m][], out = new int[y.size()][];
        for (int q = 0; q < ia.length; q++) {
            int[] a = ua != null ? ua[ia[q]] : Pattern.NONE; // a general A: all of it from the start
            java.util.Arrays.fill(col, Pattern.NONE);
            // a general solve: every row of X reads all of B's column, so collect the columns first
            for (int i = 0; kind == Kind.GENERAL && px[1] != null && i < n; i++) {
                for (int j = 0; j < m; j++) col[j] = union(u, col[j], px[1].row((ib[q] * n + i) * m + j));
            }
            for (int s = 0; s < n; s++) {
                int r = forward ? s : n - 1 - s;
                if (kind != Kind.GENERAL && px[0] != null) { // row r of op(A): op(A)[r, c] is stored at (c, r) when transposed
                    u.clear();
                    u.add(a);
                    for (int c = 0; c < n; c++) {
                        int sr = trans ? c : r, sc = trans ? r : c;
                        if (read.has(sr, sc)) u.add(px[0].row((ia[q] * n + sr) * n + sc));
                    }
                    a = u.result();
                }
                for (int j = 0; j < m; j++) {
                    if (kind != Kind.GENERAL && px[1] != null) col[j] = union(u, col[j], px[1].row((ib[q] * n + r) * m + j));
                    out[(q * n + r) * m + j] = union(u, a, col[j]);
                }
            }
        }
        return Pattern.of(universe, out);
    }

    private static int[] union(Pattern.Union u, int[] p, int[] q) {
        u.clear();
        u.add(p);
        u.add(q);
        return u.result();
    }

    static ArithmeticException singular(String op, int pivot, int n) {
        return new ArithmeticException(op + ": the matrix is singular: pivot " + pivot + " (of 0.." + (n - 1)
                + ") of its LU factorisation with partial pivoting is exactly zero");
    }

    /** The solve the rules use: this one with op transposed or not, in strong-zero arithmetic. */
    private LinearSolve rule(boolean transposed) {
        return new LinearSolve(kind, transposed, unit, op, true);
    }

    /** M ⊙ t: the entries of a tangent or cotangent of A that the op reads. */
    private Tensor mask(Tensor t, int n) {
        return kind == Kind.GENERAL ? t : Tensors.mulStrongZero(t, Masks.triangle(n, kind == Kind.UPPER, unit ? 0 : 1));
    }

    /**
     * Taylor: A(t)·y(t) = b(t) order by order, A₀·yₖ = bₖ − Σⱼ₌₁ᵏ Aⱼ·yₖ₋ⱼ: K solves with A₀ and O(K²)
     * products (the generic rule would nest a solve inside each solve's JVP, exponential in K).
     */
    @Override
    public Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) {
        if (c[0] == null || c[0].dim(0) == 1) return jvp(x, y, c); // A constant: linear in b
        int order = c[0].dim(0), n = x[0].dim(-1);
        Tensor[] ys = new Tensor[order + 1];
        ys[0] = y;
        for (int k = 1; k <= order; k++) {
            Tensor rhs = c[1] == null ? null : Rules.align(c[1].select(0, k - 1), x[1].shape(), y.rank());
            for (int j = 1; j <= k; j++) {
                Tensor aj = mask(Rules.align(c[0].select(0, j - 1), x[0].shape(), y.rank()), n);
                Tensor p = MatMul.matmulStrongZero(aj, ys[k - j], trans, false);
                rhs = rhs == null ? p.neg() : rhs.sub(p);
            }
            Tensor yk = Dispatch.apply(rule(trans), x[0], rhs);
            ys[k] = java.util.Arrays.equals(yk.shape(), y.shape()) ? yk : yk.broadcastTo(y.shape());
        }
        return Tensor.stack(0, java.util.Arrays.copyOfRange(ys, 1, order + 1));
    }

    public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
        Tensor rhs = dx[1] == null ? null : Rules.align(dx[1], x[1].shape(), y.rank());
        if (dx[0] != null) {
            Tensor p = MatMul.matmulStrongZero(mask(Rules.align(dx[0], x[0].shape(), y.rank()), x[0].dim(-1)), y, trans, false);
            rhs = rhs == null ? p.neg() : rhs.sub(p);
        }
        return rhs == null ? null : Dispatch.apply(rule(trans), x[0], rhs);
    }

    public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
        Tensor gb = Dispatch.apply(rule(!trans), x[0], gy);
        Tensor ga = null, gbOut = null;
        int[] batch = Batch.of(y.shape());
        if (need[0]) {
            int n = x[0].dim(-1);
            Tensor g = trans ? MatMul.matmulStrongZero(y, gb, false, true) : MatMul.matmulStrongZero(gb, y, false, true);
            ga = Rules.unbroadcast(mask(g, n).neg(), Shape.concat(batch, new int[] {n, n}), x[0].shape());
        }
        if (need[1]) gbOut = Rules.unbroadcast(gb, y.shape(), x[1].shape());
        return new Tensor[] {ga, gbOut};
    }
}
