package dev.dualgrad.internal.ops.linalg;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Dispatch;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;

/**
 * The entry points behind {@code dev.dualgrad.tensor.Linalg}: argument checks with clear messages, vector
 * right-hand sides, then the primitives of this package. See Linalg for the conventions.
 */
public final class LinalgOps {
    private LinalgOps() {}

    /** Checks that {@code a} is [..., n, n] and returns n. */
    static int square(String op, String name, Tensor a) {
        Args.nonNull(a, op, name);
        int[] s = a.shape();
        if (s.length < 2 || s[s.length - 1] != s[s.length - 2]) {
            throw new IllegalArgumentException(op + ": " + name + " must be a square matrix or a batch of them, [..., n, n], got shape "
                    + Shape.str(s));
        }
        return s[s.length - 1];
    }

    /** op(A)⁻¹·B for a general or triangular A; B a matrix [..., n, m], or a vector [..., n] (rank 1, or A's shape without its last axis). */
    private static Tensor linearSolve(LinearSolve p, String aName, Tensor a, Tensor b) {
        int n = square(p.op, aName, a);
        Args.nonNull(b, p.op, "b");
        // PyTorch's rule: a vector when rank 1, or when B's shape is A's without its last axis
        boolean vector = b.rank() == 1 || java.util.Arrays.equals(b.shape(), Shape.prefix(a.shape(), a.rank() - 1));
        if (b.rank() == 0) throw new IllegalArgumentException(p.op + ": b must be a vector or a matrix, got a scalar");
        Tensor m = vector ? b.unsqueeze(-1) : b;
        if (m.dim(-2) != n) {
            throw new IllegalArgumentException(p.op + ": " + aName + " is " + n + "×" + n + " but b " + (vector ? "has length " : "has ") + m.dim(-2)
                    + (vector ? "" : " rows") + " (shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()) + ")");
        }
        Shape.broadcast(p.op + " (batch axes)", Batch.of(a.shape()), Batch.of(m.shape()));
        Tensor x = Dispatch.apply(p, a, m);
        return vector ? x.squeeze(-1) : x;
    }

    public static Tensor solve(Tensor a, Tensor b) {
        return linearSolve(new LinearSolve(LinearSolve.Kind.GENERAL, false, false, "solve"), "a", a, b);
    }

    public static Tensor triangularSolve(Tensor a, Tensor b, boolean upper, boolean transposed, boolean unitDiagonal) {
        return linearSolve(new LinearSolve(upper ? LinearSolve.Kind.UPPER : LinearSolve.Kind.LOWER, transposed, unitDiagonal, "triangularSolve"), "a", a, b);
    }

    public static Tensor cholesky(Tensor a) {
        square("cholesky", "a", a);
        return Dispatch.apply(Cholesky.INSTANCE, a);
    }

    /** A⁻¹·B with A = L·Lᵀ: two triangular solves, L·Y = B then Lᵀ·X = Y. */
    public static Tensor choleskySolve(Tensor b, Tensor l) {
        square("choleskySolve", "l", l);
        Args.nonNull(b, "choleskySolve", "b");
        LinearSolve lower = new LinearSolve(LinearSolve.Kind.LOWER, false, false, "choleskySolve");
        LinearSolve lowerT = new LinearSolve(LinearSolve.Kind.LOWER, true, false, "choleskySolve");
        return linearSolve(lowerT, "l", l, linearSolve(lower, "l", l, b));
    }

    public static Tensor inv(Tensor a) {
        square("inv", "a", a);
        return Dispatch.apply(new Inverse("inv"), a);
    }

    public static Tensor det(Tensor a) {
        square("det", "a", a);
        return Dispatch.apply(Determinants.DET, a);
    }

    /** {sign, log|det|}: the sign a constant. */
    public static Tensor[] slogdet(Tensor a) {
        square("slogdet", "a", a);
        return new Tensor[] {Dispatch.apply(Determinants.SIGN, a), Dispatch.apply(Determinants.LOG_ABS_DET, a)};
    }

    /** {eigenvalues [..., n] ascending, eigenvectors [..., n, n] as columns}. */
    public static Tensor[] eigh(Tensor a) {
        int n = square("eigh", "a", a);
        Tensor packed = Dispatch.apply(Eigh.INSTANCE, a);
        return new Tensor[] {packed.select(-2, 0), packed.slice(-2, 1, n + 1)};
    }
}
