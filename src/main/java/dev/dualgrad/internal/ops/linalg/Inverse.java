package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.Primitive;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.internal.ops.MatMul;
import dev.dualgrad.tensor.Tensor;

/**
 * Y = A⁻¹ of each matrix of A [..., n, n], by LU with partial pivoting. Rules (Giles 2008):
 * <pre>
 *   Ẏ = −Y·Ȧ·Y            Ā = −Yᵀ·Ȳ·Yᵀ
 * </pre>
 * An exactly zero pivot throws an ArithmeticException naming {@link #op} (the public op, or the
 * derivative of det that asked for the inverse).
 */
final class Inverse implements Primitive {
    private static final Reads READS = Reads.output();
    final String op;

    Inverse(String op) {
        this.op = op;
    }

    public String name() {
        return "inv";
    }

    public Reads vjpReads() {
        return READS;
    }

    public Tensor eval(Tensor[] x) {
        int n = x[0].dim(-1);
        double[] a = Tensors.buffer(x[0]), y = new double[a.length], lu = new double[n * n];
        int[] perm = new int[n + 1];
        for (int o = 0; o < a.length; o += n * n) {
            System.arraycopy(a, o, lu, 0, n * n);
            int zero = LuKernel.factor(lu, 0, n, perm);
            if (zero >= 0) throw LinearSolve.singular(op, zero, n);
            for (int i = 0; i < n; i++) y[o + i * n + i] = 1;
            LuKernel.solve(lu, 0, n, perm, false, y, o, n, op, false);
        }
        return Tensors.adopt(y, x[0].shape());
    }

    /** Every entry of A⁻¹ may depend on every entry of the same batch matrix of A. */
    @Override
    public Pattern sparsity(Tensor[] x, Tensor y, Pattern[] px) {
        int n = x[0].dim(-1);
        return Batch.blocks(px[0], x[0].shape(), Batch.Entries.ALL, y.size(), n * n, null);
    }

    /** Taylor: A(t)·Y(t) = I order by order, Yₖ = −Y₀·Σⱼ₌₁ᵏ Aⱼ·Yₖ₋ⱼ (O(K²) products, no nested inverse). */
    @Override
    public Tensor taylor(Tensor[] x, Tensor y, Tensor[] c) {
        if (c[0] == null) return null;
        int order = c[0].dim(0);
        Tensor[] ys = new Tensor[order + 1];
        ys[0] = y;
        for (int k = 1; k <= order; k++) {
            Tensor s = null;
            for (int j = 1; j <= k; j++) {
                Tensor p = MatMul.matmulStrongZero(c[0].select(0, j - 1), ys[k - j], false, false);
                s = s == null ? p : s.add(p);
            }
            ys[k] = MatMul.matmulStrongZero(y, s, false, false).neg();
        }
        return Tensor.stack(0, java.util.Arrays.copyOfRange(ys, 1, order + 1));
    }

    public Tensor jvp(Tensor[] x, Tensor y, Tensor[] dx) {
        return dx[0] == null ? null : MatMul.matmulStrongZero(y, MatMul.matmulStrongZero(dx[0], y, false, false), false, false).neg();
    }

    public Tensor[] vjp(Tensor[] x, Tensor y, Tensor gy, boolean[] need) {
        return new Tensor[] {MatMul.matmulStrongZero(MatMul.matmulStrongZero(y, gy, true, false), y, false, true).neg()};
    }
}
