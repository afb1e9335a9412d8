package dev.dualgrad.internal.sparsity;

import dev.dualgrad.internal.engine.Pattern;
import dev.dualgrad.internal.engine.SparsityLevel;
import dev.dualgrad.internal.transforms.Reverse;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.TensorFunction;
import java.util.Arrays;

/**
 * Sparsity detection: f is run once on a {@link SparsityLevel}, each input element seeded with its own
 * index, and the output's {@link Pattern} is the Jacobian's (rows = output elements, columns = input
 * elements). The Hessian's is the Jacobian pattern of ∇f, traced through the reverse sweep, then made
 * symmetric. Both are global patterns: they hold at every x for which f takes the same branches (control
 * flow on values is the one exception, as in SparseConnectivityTracer), and they may be denser than
 * the matrix at one point, never sparser.
 */
public final class Detection {
    private Detection() {}

    /**
     * A detected pattern and what one direction's tangents take over the traced ops.
     *
     * @param rows row i holds the sorted input indices output element i may depend on
     * @param perDirection doubles one tangent direction occupies over the ops that carried a pattern
     */
    public record Result(int[][] rows, long perDirection) {}

    /** The rows of ∂f/∂x's pattern: row i holds the sorted input indices output element i may depend on. */
    public static int[][] jacobianRows(String op, TensorFunction f, Tensor x) {
        return jacobian(op, f, x).rows();
    }

    /** The rows of ∇²f's pattern, symmetric; f must return one element. */
    public static int[][] hessianRows(String op, TensorFunction f, Tensor x) {
        return hessian(op, f, x).rows();
    }

    /** The Jacobian's pattern and the tangent footprint of one direction. */
    public static Result jacobian(String op, TensorFunction f, Tensor x) {
        try (Scope s = new Scope(x.size())) {
            Tensor y = f.apply(s.level.seed(x, 0));
            if (y == null) throw new IllegalArgumentException(op + ": the function returned null; it must return a Tensor");
            return new Result(rows(s.level.patternOf(y)), Math.max(1, s.level.tracedElements()));
        }
    }

    /** The Hessian's pattern (symmetric; f must return one element) and the footprint of one direction over f and its reverse sweep. */
    public static Result hessian(String op, TensorFunction f, Tensor x) {
        try (Scope s = new Scope(x.size())) {
            Tensor g = Reverse.valueAndGrad(op, xs -> {
                Tensor y = f.apply(xs[0]);
                if (y == null) throw new IllegalArgumentException(op + ": the function returned null; it must return a Tensor");
                if (y.size() != 1) {
                    throw new IllegalArgumentException(op + ": f must return a scalar (one element) but returned shape "
                            + Arrays.toString(y.shape()) + "; a Hessian is of a scalar function");
                }
                return y;
            }, new Tensor[] {s.level.seed(x, 0)}).grad();
            return new Result(symmetrized(rows(s.level.patternOf(g)), x.size()), Math.max(1, s.level.tracedElements()));
        }
    }

    private static int[][] rows(Pattern p) {
        int[][] r = new int[p.size()][];
        for (int i = 0; i < r.length; i++) r[i] = p.row(i);
        return r;
    }

    /** The union of a square pattern with its transpose (the traced gradient is symmetric in exact terms, but a rule may over-approximate one side). */
    static int[][] symmetrized(int[][] rows, int n) {
        if (symmetric(rows)) return rows; // the usual case: checked without building the transpose
        int[] count = new int[n];
        for (int[] r : rows) for (int j : r) count[j]++;
        int[][] t = new int[n][];
        for (int j = 0; j < n; j++) t[j] = new int[count[j]];
        Arrays.fill(count, 0);
        for (int i = 0; i < n; i++) for (int j : rows[i]) t[j][count[j]++] = i; // i ascending: each column list sorted
        Pattern.Union u = new Pattern.Union(n);
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            if (Arrays.equals(rows[i], t[i])) {
                out[i] = rows[i];
                continue;
            }
            u.clear();
            u.add(rows[i]);
            u.add(t[i]);
            out[i] = u.result();
        }
        return out;
    }

    /**
     * Whether j ∈ rows[i] ⇔ i ∈ rows[j] for every stored (i, j): rows are visited in increasing i, so the entries i of
     * each row j are met in j's own sorted order and one cursor per row finds each mirror (the walk of
     * {@link Mirror#find}, here on ragged rows, before a CSR pattern exists); every entry matched once means every entry
     * has its mirror.
     */
    static boolean symmetric(int[][] rows) {
        int[] cursor = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j : rows[i]) {
                int q = cursor[j]++;
                if (q >= rows[j].length || rows[j][q] != i) return false;
            }
        }
        return true;
    }

    /** Opens the level and always closes it, whatever f throws. */
    private static final class Scope implements AutoCloseable {
        final SparsityLevel level;

        Scope(int universe) {
            level = new SparsityLevel(universe);
        }

        @Override
        public void close() {
            level.close();
        }
    }
}
