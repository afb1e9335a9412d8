package dev.dualgrad.boundary;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.ops.OpRegistry;
import dev.dualgrad.internal.ops.OpSpec;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.MultiTensorFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: every registered op on size-0 inputs. For each spec and sample shape tuple, one axis of one
 * input, or the same right-aligned axis of every input, becomes 0. The expected outcome is computed here
 * from NumPy's rules (broadcasting, reductions, matmul, the shape ops), independently of the library:
 * either a result shape (then the primal, a JVP with zero tangents and a VJP with a zero cotangent must
 * give the right shapes, and reductions the right values: 0 for an empty sum, NaN for an empty mean) or a
 * refusal (IllegalArgumentException, or IndexOutOfBoundsException where NumPy raises IndexError). Any
 * other exception fails the test. For the losses and the Mlp no shape is predicted here: they may give a
 * result (whose JVP/VJP shapes must then agree with it) or refuse with an IllegalArgumentException.
 */
class EmptyRegistryOpsTest {
    /** NumPy refuses. */
    private static final int[] REFUSE = {-1};
    /** No prediction: a result or an IllegalArgumentException. */
    private static final int[] ANY = {-2};

    private static final Set<String> ELEMENTWISE = Set.of("neg", "exp", "log", "log1p", "sqrt", "square", "abs", "sin", "cos", "tanh",
            "sigmoid", "relu", "softplus", "reciprocal", "pow", "clamp", "add", "sub", "mul", "div", "rsub", "rdiv", "mulStrongZero",
            "maximum", "minimum",
            // issue 20's elementwise functions
            "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "expm1", "log2", "log10", "erf", "erfc", "lgamma",
            "digamma", "logSigmoid", "gelu", "geluTanh", "silu", "elu", "leakyRelu", "atan2", "hypot", "logaddexp");

    /** axes (null: all) and keepDims of each registered reduction, by name. */
    private static final Map<String, Object[]> REDUCTIONS = new LinkedHashMap<>();
    static {
        for (String op : new String[] {"sum", "mean", "max"}) REDUCTIONS.put(op + "()", new Object[] {null, false});
        REDUCTIONS.put("sum(axis=-1)", new Object[] {new int[] {-1}, false});
        REDUCTIONS.put("sum(axis=0, keepDims)", new Object[] {new int[] {0}, true});
        REDUCTIONS.put("sum(axes=[0,1])", new Object[] {new int[] {0, 1}, false});
        REDUCTIONS.put("mean(axis=1)", new Object[] {new int[] {1}, false});
        REDUCTIONS.put("mean(axis=-1, keepDims)", new Object[] {new int[] {-1}, true});
        REDUCTIONS.put("mean(axes=[0,-1], keepDims)", new Object[] {new int[] {0, -1}, true});
        REDUCTIONS.put("max(axis=-1)", new Object[] {new int[] {-1}, false});
        REDUCTIONS.put("max(axis=0, keepDims)", new Object[] {new int[] {0}, true});
        REDUCTIONS.put("max(axes=[0,1])", new Object[] {new int[] {0, 1}, false});
        REDUCTIONS.put("logsumexp(axis=-1)", new Object[] {new int[] {-1}, false});
        REDUCTIONS.put("logsumexp(axis=0, keepDims)", new Object[] {new int[] {0}, true});
        // issue 20's reductions: min and the ∞-norm have no identity (refuse as max); prod gives 1, var and std NaN, the 1- and 2-norms 0
        for (String op : new String[] {"min()", "prod()", "var()", "std()", "norm()", "var(correction 2)", "norm(p=∞)"}) REDUCTIONS.put(op, new Object[] {null, false});
        REDUCTIONS.put("std(correction 0, keepDims)", new Object[] {null, true});
        for (String op : new String[] {"min(axis=-1)", "prod(axis=-1)", "var(axes=[-1])", "std(axes=[-1])", "norm(axes=[-1])", "norm(p=1, axes=[-1])"}) {
            REDUCTIONS.put(op, new Object[] {new int[] {-1}, false});
        }
        REDUCTIONS.put("min(axis=0, keepDims)", new Object[] {new int[] {0}, true});
        REDUCTIONS.put("prod(axis=0, keepDims)", new Object[] {new int[] {0}, true});
        REDUCTIONS.put("min(axes=[0,1])", new Object[] {new int[] {0, 1}, false});
        REDUCTIONS.put("prod(axes=[0,-1])", new Object[] {new int[] {0, -1}, false});
        REDUCTIONS.put("var(axes=[0,1], correction 0, keepDims)", new Object[] {new int[] {0, 1}, true});
        REDUCTIONS.put("norm(axes=[0,1], keepDims)", new Object[] {new int[] {0, 1}, true});
    }

    /** Reductions without an identity, which refuse an empty reduction as NumPy's max does. */
    private static boolean noIdentity(OpSpec spec) {
        return spec.method().equals("max") || spec.method().equals("min") || spec.name().equals("norm(p=∞)");
    }

    // ------------------------------------------------------------------ NumPy's shape rules

    private static int[] broadcast(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) rank = Math.max(rank, s.length);
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i, d = s[i];
                if (d == out[o] || d == 1) continue;
                if (out[o] == 1) out[o] = d;
                else return REFUSE;
            }
        }
        return out;
    }

    private static int norm(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    private static int prod(int[] s) {
        int p = 1;
        for (int d : s) p *= d;
        return p;
    }

    private static int[] remove(int[] s, int axis) {
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != axis) r[j++] = s[i];
        return r;
    }

    private static int[] insert(int[] s, int axis, int d) {
        int[] r = new int[s.length + 1];
        for (int i = 0, j = 0; i < r.length; i++) r[i] = i == axis ? d : s[j++];
        return r;
    }

    private static int[] swapLast(int[] s) {
        int[] r = s.clone();
        int n = r.length;
        r[n - 1] = s[n - 2];
        r[n - 2] = s[n - 1];
        return r;
    }

    /** np.matmul's shape after the optional transposes of the last two axes. */
    private static int[] matmul(int[] a, int[] b, boolean ta, boolean tb) {
        if (ta) a = swapLast(a);
        if (tb) b = swapLast(b);
        boolean va = a.length == 1, vb = b.length == 1;
        if (va) a = new int[] {1, a[0]};
        if (vb) b = new int[] {b[0], 1};
        if (a[a.length - 1] != b[b.length - 2]) return REFUSE;
        int[] batch = broadcast(Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2));
        if (batch == REFUSE) return REFUSE;
        List<Integer> out = new ArrayList<>();
        for (int d : batch) out.add(d);
        if (!va) out.add(a[a.length - 2]);
        if (!vb) out.add(b[b.length - 1]);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The reduced output shape, or REFUSE when an axis is out of range. */
    private static int[] reduced(int[] s, int[] axes, boolean keep) {
        boolean[] red = new boolean[s.length];
        if (axes == null) Arrays.fill(red, true);
        else for (int a : axes) red[norm(a, s.length)] = true;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            if (!red[i]) out.add(s[i]);
            else if (keep) out.add(1);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int reducedCount(int[] s, int[] axes) {
        if (axes == null) return prod(s);
        int c = 1;
        for (int a : axes) c *= s[norm(a, s.length)];
        return c;
    }

    /** The library's documented slice: start and end in −n..n, end not before start (stricter than NumPy, which clamps). */
    private static int[] slice(int[] s, int axis, int start, int end) {
        int ax = norm(axis, s.length), n = s[ax];
        if (start < -n || start > n || end < -n || end > n) return REFUSE;
        int a = start < 0 ? start + n : start, b = end < 0 ? end + n : end;
        if (b < a) return REFUSE;
        int[] r = s.clone();
        r[ax] = b - a;
        return r;
    }

    /** The expected output shape of one case, REFUSE, or ANY. */
    private static int[] expected(OpSpec spec, int[][] in) {
        String name = spec.name(), m = spec.method();
        if (ELEMENTWISE.contains(m)) return in.length == 1 ? in[0].clone() : broadcast(in);
        if (LINALG.contains(m)) return linalg(name, m, in); // issue 20
        Object[] red = REDUCTIONS.get(name);
        if (red != null) {
            int[] out = reduced(in[0], (int[]) red[0], (Boolean) red[1]);
            // NumPy: "zero-size array to reduction operation maximum which has no identity" when a non-empty result would reduce nothing
            if (noIdentity(spec) && reducedCount(in[0], (int[]) red[0]) == 0 && prod(out) > 0) return REFUSE;
            return out;
        }
        int[] x = in[0];
        int[] indexing = EmptyIndexingShapes.expected(name, in); // issue 20's indexing and shape ops
        if (indexing != null) return indexing == EmptyIndexingShapes.REFUSE ? REFUSE : indexing;
        switch (name) {
            case "softmax(axis=-1)": case "softmax(axis=0)": case "logSoftmax(axis=-1)": case "logSoftmax(axis=1)":
                return x.clone();
            case "matmul": return matmul(in[0], in[1], false, false);
            case "matmul(A, Bᵀ)": return matmul(in[0], in[1], false, true);
            case "matmul(Aᵀ, B)": return matmul(in[0], in[1], true, false);
            case "matmul(Aᵀ, Bᵀ)": return matmul(in[0], in[1], true, true);
            case "reshape([3,2])": return prod(x) == 6 ? new int[] {3, 2} : REFUSE;
            case "reshape([2,-1])": return prod(x) % 2 == 0 ? new int[] {2, prod(x) / 2} : REFUSE;
            case "flatten": return new int[] {prod(x)};
            case "unsqueeze(-1)": return insert(x, x.length, 1);
            case "squeeze(1)": return x[1] == 1 ? remove(x, 1) : REFUSE;
            case "permute(2,0,1)": return new int[] {x[2], x[0], x[1]};
            case "transpose()": return x.length < 2 ? x.clone() : swapLast(x);
            case "transpose(0,2)": return new int[] {x[2], x[1], x[0]};
            case "broadcastTo([2,3])": {
                int[] b = broadcast(x, new int[] {2, 3});
                return b != REFUSE && Arrays.equals(b, new int[] {2, 3}) ? b : REFUSE;
            }
            case "slice(0, 1, 3)": return slice(x, 0, 1, 3);
            case "slice(-1, 0, 2)": return slice(x, -1, 0, 2);
            case "slice(0, -3, -1)": return slice(x, 0, -3, -1);
            case "slice(-1, -2)": return slice(x, -1, -2, x[x.length - 1]);
            case "pad(1, 1, 2)": {
                int[] r = x.clone();
                r[1] += 3;
                return r;
            }
            case "select(1, 2)": return 2 < x[1] ? remove(x, 1) : REFUSE;
            case "select(0, -1)": return x[0] >= 1 ? remove(x, 0) : REFUSE;
            // at(i...) is x[i...] as a 0-d tensor: every index must lie inside its axis, as NumPy's x[i, j, k]
            case "at(2)": return x.length == 1 && 2 < x[0] ? new int[0] : REFUSE;
            case "at(1, 0, 1)": return x.length == 3 && 1 < x[0] && 0 < x[1] && 1 < x[2] ? new int[0] : REFUSE;
            case "concat(0, a, b)": case "concat(-1, a, b, c)": {
                int ax = norm(name.startsWith("concat(0") ? 0 : -1, x.length);
                int[] r = x.clone();
                for (int k = 1; k < in.length; k++) {
                    if (in[k].length != x.length) return REFUSE;
                    for (int i = 0; i < x.length; i++) if (i != ax && in[k][i] != x[i]) return REFUSE;
                    r[ax] += in[k][ax];
                }
                return r;
            }
            case "stack(0, a, b)": case "stack(-1, a, b)":
                if (!Arrays.equals(in[0], in[1])) return REFUSE;
                return insert(x, name.startsWith("stack(0") ? 0 : x.length, 2);
            case "where(mask, a, b)": return broadcast(new int[] {2, 3}, in[0], in[1]);
            case "pick([1,0,3])":
                // [..., N, C] with N = 3 rows and C > 3 (index 3 must be a column)
                return x[x.length - 2] == 3 && x[x.length - 1] > 3 ? remove(x, x.length - 1) : REFUSE;
            case "scatter([1,0,3], 4)": return x[x.length - 1] == 3 ? insert(x, x.length, 4) : REFUSE;
            // issue 20: the scans and dropout keep the shape; layerNorm needs the normalised trailing dims and parameters of that shape
            case "cumsum(axis=-1)": case "cumsum(axis=0)": case "cumprod(axis=-1)": case "cumprod(axis=1)":
            case "logcumsumexp(axis=-1)": case "logcumsumexp(axis=0)": case "dropout(p=0.4, seed 5)":
                return x.clone();
            case "layerNorm([3])": case "layerNorm([3], weight, bias)": case "layerNorm([3,2], weight, bias, eps 0.1)": case "LayerNorm(3)(x; weight, bias)": {
                int[] ns = name.startsWith("layerNorm([3,2]") ? new int[] {3, 2} : new int[] {3};
                boolean ok = x.length >= ns.length && Arrays.equals(Arrays.copyOfRange(x, x.length - ns.length, x.length), ns);
                for (int k = 1; k < in.length; k++) ok &= Arrays.equals(in[k], ns);
                return ok ? x.clone() : REFUSE;
            }
            case "Linear(3→4)(x; W, b)": {
                int[] w = in[1], b = in[2];
                if (x[x.length - 1] != w[1] || b[0] != w[0]) return REFUSE;
                int[] r = x.clone();
                r[r.length - 1] = w[0];
                return r;
            }
            default: return ANY; // the losses and the Mlp
        }
    }

    // ------------------------------------------------------------------ the sweep

    /** One axis of one input to 0, and the same right-aligned axis of every input to 0; distinct variants only. */
    private static List<int[][]> zeroed(int[][] shapes) {
        Map<String, int[][]> out = new LinkedHashMap<>();
        for (int i = 0; i < shapes.length; i++) {
            for (int j = 0; j < shapes[i].length; j++) {
                int[][] v = deepCopy(shapes);
                v[i][j] = 0;
                out.putIfAbsent(Arrays.deepToString(v), v);
            }
        }
        int maxRank = 0;
        for (int[] s : shapes) maxRank = Math.max(maxRank, s.length);
        for (int r = 1; r <= maxRank; r++) {
            int[][] v = deepCopy(shapes);
            for (int[] s : v) if (s.length >= r) s[s.length - r] = 0;
            out.putIfAbsent(Arrays.deepToString(v), v);
        }
        return new ArrayList<>(out.values());
    }

    private static int[][] deepCopy(int[][] s) {
        int[][] c = new int[s.length][];
        for (int i = 0; i < s.length; i++) c[i] = s[i].clone();
        return c;
    }

    /** Values in (0.2, 0.6): inside every domain of the registry, distinct almost surely. */
    private static Tensor[] inputs(int[][] shapes) {
        Tensor[] xs = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) xs[i] = TensorRandom.seed(7 + i).uniform(0.2, 0.6, shapes[i]);
        return xs;
    }

    private static boolean allowedRefusal(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof IndexOutOfBoundsException;
    }

    private static String sh(int[] s) {
        return Arrays.toString(s);
    }

    @Test
    void everyRegistryOpOnSizeZeroInputs() {
        List<String> failures = new ArrayList<>();
        int ran = 0, refused = 0, unpredicted = 0, cases = 0;
        for (OpSpec spec : OpRegistry.all()) {
            MultiTensorFunction f = spec::apply;
            for (int[][] base : spec.shapes()) {
                for (int[][] shapes : zeroed(base)) {
                    cases++;
                    String c = spec.name() + " on " + Arrays.deepToString(shapes);
                    int[] want = expected(spec, shapes);
                    Tensor[] xs = inputs(shapes);
                    Tensor y;
                    try {
                        y = spec.apply(xs);
                    } catch (Throwable t) {
                        if (!allowedRefusal(t)) {
                            failures.add(c + ": primal threw " + t);
                        } else if (t.getMessage() == null || t.getMessage().isBlank()) {
                            failures.add(c + ": refused without a message: " + t);
                        } else if (want == REFUSE || want == ANY && t instanceof IllegalArgumentException
                                || lenientRefusal(spec, shapes, t)) {
                            refused++;
                        } else {
                            failures.add(c + ": refused (" + t + ") but NumPy gives shape " + sh(want));
                        }
                        continue;
                    }
                    if (want == REFUSE) {
                        failures.add(c + ": NumPy refuses, but the op returned shape " + sh(y.shape()));
                        continue;
                    }
                    if (want == ANY) unpredicted++;
                    else if (!Arrays.equals(want, y.shape())) {
                        failures.add(c + ": shape " + sh(y.shape()) + ", NumPy's is " + sh(want));
                        continue;
                    }
                    if (y.size() != prod(y.shape())) failures.add(c + ": size " + y.size() + " ≠ product of " + sh(y.shape()));
                    String v = values(spec, shapes, y);
                    if (v != null) failures.add(c + ": " + v);
                    try {
                        Tensor[] vs = new Tensor[xs.length];
                        for (int i = 0; i < xs.length; i++) vs[i] = Tensor.zeros(shapes[i]);
                        var jvp = Diff.jvp(f, xs, vs);
                        if (!Arrays.equals(y.shape(), jvp.value().shape()) || !Arrays.equals(y.shape(), jvp.tangent().shape())) {
                            failures.add(c + ": JVP value/tangent shapes " + sh(jvp.value().shape()) + "/" + sh(jvp.tangent().shape())
                                    + ", primal " + sh(y.shape()));
                        }
                    } catch (Throwable t) {
                        failures.add(c + ": JVP threw " + t);
                    }
                    try {
                        Tensor[] g = Diff.vjp(f, xs).applyAll(Tensor.zeros(y.shape())).toArray();
                        for (int i = 0; i < xs.length; i++) {
                            if (!Arrays.equals(shapes[i], g[i].shape())) failures.add(c + ": VJP for argument " + i + " has shape " + sh(g[i].shape()));
                            for (double d : g[i].toArray()) {
                                if (d != 0) {
                                    failures.add(c + ": VJP of a zero cotangent for argument " + i + " holds " + d);
                                    break;
                                }
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(c + ": VJP threw " + t);
                    }
                    ran++;
                }
            }
        }
        System.out.printf("EmptyRegistryOpsTest: %d (op, size-0 shape) cases: %d gave a result (%d without a predicted shape), %d refused, %d failures%n",
                cases, ran, unpredicted, refused, failures.size());
        if (!failures.isEmpty()) fail(failures.size() + " failures:\n" + String.join("\n", failures));
        assertTrue(ran >= 150 && refused >= 50, "too few cases ran: " + ran + " results, " + refused + " refusals");
    }

    /**
     * Refusals NumPy does not make but that are acceptable: max over an empty axis whose result is also
     * empty (NumPy returns an empty array there, the library may refuse as for any empty max), and
     * logsumexp over an empty axis (NumPy's log(sum(exp)) gives −∞; scipy's too; refusing, like max, is fine).
     */
    private static boolean lenientRefusal(OpSpec spec, int[][] shapes, Throwable t) {
        if (!(t instanceof IllegalArgumentException)) return false;
        Object[] red = REDUCTIONS.get(spec.name());
        if (red == null || reducedCount(shapes[0], (int[]) red[0]) != 0) return false;
        if (spec.method().equals("logsumexp")) return true;
        return noIdentity(spec) && prod(reduced(shapes[0], (int[]) red[0], (Boolean) red[1])) == 0;
    }

    /** The values of reductions over empty axes: sum 0, mean NaN, logsumexp −∞; max must have refused when its result is not empty. */
    private static String values(OpSpec spec, int[][] shapes, Tensor y) {
        Object[] red = REDUCTIONS.get(spec.name());
        if (red == null || reducedCount(shapes[0], (int[]) red[0]) != 0) return null;
        double want;
        switch (spec.method()) {
            case "sum": want = 0; break;
            case "mean": want = Double.NaN; break;
            case "logsumexp": want = Double.NEGATIVE_INFINITY; break;
            case "prod": want = 1; break;
            case "var": case "std": want = Double.NaN; break;
            case "norm": if (noIdentity(spec)) return y.size() == 0 ? null : "the ∞-norm over an empty axis returned values"; want = 0; break;
            default:
                return y.size() == 0 ? null : "max over an empty axis returned " + Arrays.toString(y.toArray()) + "; NumPy raises ValueError";
        }
        for (double d : y.toArray()) {
            if (Double.isNaN(want) ? !Double.isNaN(d) : d != want) return "reduction over an empty axis gives " + d + ", NumPy gives " + want;
        }
        return null;
    }

    // ------------------------------------------------------------------ issue 20's linear algebra

    private static final Set<String> LINALG = Set.of("solve", "triangularSolve", "cholesky", "choleskySolve", "inv", "det", "slogdet", "eigh");

    /**
     * NumPy's and PyTorch's shapes for the specs of OpRegistryLinalg, which build their square argument
     * from a free M inside the spec: M ± c·I (broadcast with an n×n identity, n = M's last axis),
     * M·Mᵀ + r·I, M + Mᵀ, or M itself. Square arguments [..., n, n], 0×0 included; torch.linalg.solve's
     * rule for a vector right-hand side (rank 1, or A's shape without its last axis).
     */
    private static int[] linalg(String name, String m, int[][] in) {
        int[] x = in[0], a;
        int last = x[x.length - 1];
        if (name.contains("M·Mᵀ")) a = insert(Arrays.copyOf(x, x.length - 1), x.length - 1, x[x.length - 2]);
        else if (name.contains("M + Mᵀ")) a = broadcast(x, swapLast(x));
        else if (name.contains("M + ") || name.contains("M - ")) a = broadcast(x, new int[] {last, last});
        else a = x.clone(); // M itself, or M·0.3
        if (a == REFUSE || a.length < 2 || a[a.length - 1] != a[a.length - 2]) return REFUSE;
        int n = a[a.length - 1];
        int[] batch = Arrays.copyOf(a, a.length - 2);
        switch (m) {
            case "cholesky": case "inv": return a;
            case "det": case "slogdet": return batch;
            case "eigh":
                if (name.contains("eigenvalues, V")) return concatShape(batch, n + 1, n);
                return name.contains(".eigenvalues") ? insert(batch, batch.length, n) : a;
            default: {
                int[] b = in[1];
                boolean vector = b.length == 1 || Arrays.equals(b, Arrays.copyOf(a, a.length - 1));
                if (!vector && b.length < 2) return REFUSE;
                int rows = vector ? b[b.length - 1] : b[b.length - 2];
                if (rows != n) return REFUSE;
                int[] out = broadcast(batch, Arrays.copyOf(b, b.length - (vector ? 1 : 2)));
                if (out == REFUSE) return REFUSE;
                return vector ? insert(out, out.length, n) : concatShape(out, n, b[b.length - 1]);
            }
        }
    }

    private static int[] concatShape(int[] batch, int r, int c) {
        return insert(insert(batch, batch.length, r), batch.length + 1, c);
    }
}
