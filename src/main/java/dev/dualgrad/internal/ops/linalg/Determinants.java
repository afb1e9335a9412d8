package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;

/**
 * det, log|det| and the sign of det of each matrix of A [..., n, n], from one LU factorisation with
 * partial pivoting: det = sign(P)·Π uᵢᵢ. Rules (Giles 2008), with A⁻ᵀ from the differentiable inverse:
 * <pre>
 *   det        ẏ = y·tr(A⁻¹·Ȧ) = y·Σ A⁻ᵀ ⊙ Ȧ          Ā = ȳ·y·A⁻ᵀ
 *   logAbsDet  ẏ = tr(A⁻¹·Ȧ)                          Ā = ȳ·A⁻ᵀ
 *   sign       a constant: no tangent, no tape node
 * </pre>
 * At an exactly singular A the primal is det = 0, log|det| = −∞, sign = 0; the derivative there would
 * need the adjugate, and the rules throw the inverse's ArithmeticException naming the op and the pivot.
 * The determinant of a 0×0 matrix is 1 (the empty product): log|det| = 0, sign = 1.
 */
final class Determinants implements Primitive {
    enum Kind { DET, LOG_ABS_DET, SIGN }

    static final Determinants DET = new Determinants(Kind.DET), LOG_ABS_DET = new Determinants(Kind.LOG_ABS_DET),
            SIGN = new Determinants(Kind.SIGN);
    private static final Reads READS_DET = Reads.inputs(0).andOutput(), READS_LOG = Reads.inputs(0);

    final Kind kind;

    private Determinants(Kind kind) {
        this.kind = kind;
    }

    public String name() {
        return kind == Kind.DET ? "det" : kind == Kind.LOG_ABS_DET ? "slogdet" : "slogdet (sign)";
    }

    public boolean differentiable() {
        return kind != Kind.SIGN;
    }

    public Reads vjpReads() {
        return kind == Kind.DET ? READS_DET : kind == Kind.LOG_ABS_DET ? READS_LOG : Reads.NOTHING;
    }

    public Tensor eval(Tensor[] x) {
        int n = x[0].dim(-1);
        double[] a = Tensors.buffer(x[0]), lu = new double[n * n];
        int[] perm = new int[n + 1], batch = Batch.of(x[0].shape());
        double[] y = new double[Shape.size(batch)];
        for (int b = 0; b < y.length; b++) {
            System.arraycopy(a, b * n * n, lu, 0, n * n);
            LuKernel.factor(lu, 0, n, perm);
            double sign = perm[n], logAbs = 0, det = perm[n];
            for (int i = 0; i < n; i++) {
                double u = lu[i * n + i];
                det *= u;
                sign *= Math.signum(u);
                logAbs += Math.log(Math.abs(u));
            }
            y[b] = kind == Kind.DET ? det : kind == Kind.LOG_ABS_DET ? logAbs : sign;
            if (y[b] == 0) y[b] = 0; // +0 for a singular matrix, never −0
        }
        return Tensors.adopt(y, batch);
    }

    /**
     * det and log|det| of a batch matrix may depend on each of its entries; sign is piecewise constant
     * (a zero derivative wherever it has one), so it depends on nothing.
     */
    @Override
    public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
        if (kind == Kind.SIGN) return Pattern.empty(px[0].universe(), y.size());
        return Batch.blocks(px[0], x[0].shape(), Batch.Entries.ALL, y.size(), 1, null);
    }

    /** A⁻ᵀ, differentiable, with this op's name in the singular-matrix message. */
    private Tensor invT(Tensor a) {
        return Dispatch.apply(new Inverse(name() + " (derivative)"), a).transpose();
    }

    public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
        if (dx[0] == null) return null;
        Tensor trace = Tensors.mulStrongZero(dx[0], invT(x[0])).sum(new int[] {-2, -1}, false);
        return kind == Kind.DET ? Tensors.mulStrongZero(trace, y) : trace;
    }

    public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
        Tensor g = kind == Kind.DET ? Tensors.mulStrongZero(gy, y) : gy;
        return new Tensor[] {Tensors.mulStrongZero(g.unsqueeze(-1).unsqueeze(-1), invT(x[0]))};
    }
}
