package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Args;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Einstein summation, NumPy's einsum, lowered to ops that have rules of their own, so it has no rule
 * of its own: each operand's repeated letters become diagonals, letters no other operand and not the
 * output uses are summed at once, then the operands are contracted left to right, each pair as one
 * (batched) matrix product: permute A to [batch, free A, contracted] and B to [batch, contracted,
 * free B], reshape both to three axes, matmul (a broadcast product when nothing is contracted; an
 * operand laid out as [batch, contracted, free A] or [batch, free B, contracted] is read transposed in place
 * instead of permuted), reshape back; the result is permuted to the output's order.
 *
 * <p>Labels: a letter is its char code; the e-th axis of the broadcast '...' (counted from the left of
 * the widest one, right-aligned as NumPy broadcasts) is {@code ELLIPSIS + e}.</p>
 */
public final class Einsum {
    private Einsum() {}

    private static final int ELLIPSIS = 128, MARK = -1;

    public static Tensor einsum(String subscripts, Tensor[] operands) {
        Args.nonNull(subscripts, "einsum", "subscripts");
        Args.nonNullEntries(operands, "einsum", "operands");
        if (operands.length == 0) throw new IllegalArgumentException("einsum: needs at least one operand");
        String spec = subscripts.replaceAll("\\s", ""), quoted = "\"" + subscripts + "\"";
        int arrow = spec.indexOf("->");
        if (arrow >= 0 && spec.indexOf("->", arrow + 1) >= 0) throw bad(quoted + " has more than one '->'");
        String[] terms = (arrow < 0 ? spec : spec.substring(0, arrow)).split(",", -1);
        int n = operands.length;
        int[][] parsed = new int[terms.length][];
        for (int i = 0; i < terms.length; i++) parsed[i] = parse(terms[i], quoted); // bad characters first: "ij;jk" is not one operand's term
        if (terms.length != n) {
            throw bad(quoted + " has subscripts for " + terms.length + " operand" + (terms.length == 1 ? "" : "s") + " but "
                    + n + " operand" + (n == 1 ? " was" : "s were") + " given");
        }
        int ellipsisRank = 0;
        for (int i = 0; i < n; i++) {
            int letters = 0;
            boolean dots = false;
            for (int l : parsed[i]) if (l == MARK) dots = true; else letters++;
            int r = operands[i].rank();
            if (dots ? letters > r : letters != r) {
                throw bad("operand " + i + " has shape " + Shape.str(operands[i].shape()) + " (rank " + r + ") but its subscripts \"" + terms[i]
                        + "\" name " + (dots ? "at least " : "") + letters + " axes");
            }
            if (dots) ellipsisRank = Math.max(ellipsisRank, r - letters);
        }
        int[][] labels = new int[n][];
        Map<Integer, Integer> size = new HashMap<>();
        Map<Integer, Integer> seenIn = new HashMap<>();
        for (int i = 0; i < n; i++) {
            labels[i] = expand(parsed[i], operands[i].rank(), ellipsisRank);
            for (int a = 0; a < labels[i].length; a++) {
                int l = labels[i][a], d = operands[i].dim(a);
                Integer s = size.get(l);
                if (s == null || l >= ELLIPSIS && s == 1) {
                    size.put(l, d);
                    seenIn.put(l, i);
                } else if (s != d && !(l >= ELLIPSIS && d == 1)) {
                    throw bad(l >= ELLIPSIS
                            ? "the '...' axes of operand " + i + " (shape " + Shape.str(operands[i].shape()) + ") do not broadcast against those of operand "
                                    + seenIn.get(l) + " (" + s + " vs " + d + ")"
                            : "letter '" + (char) l + "' has size " + s + " in operand " + seenIn.get(l) + " and size " + d + " in operand " + i
                                    + " (shape " + Shape.str(operands[i].shape()) + "); a letter's size must agree everywhere (broadcast through '...')");
                }
            }
        }
        int[] out = arrow < 0 ? implicitOutput(labels, ellipsisRank) : explicitOutput(spec.substring(arrow + 2), quoted, labels, ellipsisRank);
        Set<Integer> outSet = new HashSet<>();
        for (int l : out) outSet.add(l);

        Tensor[] x = operands.clone();
        for (int i = 0; i < n; i++) {
            Set<Integer> elsewhere = new HashSet<>(outSet);
            for (int j = 0; j < n; j++) if (j != i) for (int l : labels[j]) elsewhere.add(l);
            Term t = diagonals(new Term(x[i], labels[i]));
            int[] target = new int[t.labels.length];
            for (int a = 0; a < target.length; a++) target[a] = size.get(t.labels[a]);
            if (!Arrays.equals(target, t.x.shape())) t = new Term(t.x.broadcastTo(target), t.labels); // a '...' axis of size 1
            x[i] = (t = sumOut(t, elsewhere)).x;
            labels[i] = t.labels;
        }
        Term acc = new Term(x[0], labels[0]);
        for (int i = 1; i < n; i++) {
            Set<Integer> needed = new HashSet<>(outSet);
            for (int j = i + 1; j < n; j++) for (int l : labels[j]) needed.add(l);
            acc = contract(acc, new Term(x[i], labels[i]), needed, size);
        }
        acc = sumOut(acc, outSet);
        int[] perm = new int[out.length];
        for (int a = 0; a < out.length; a++) perm[a] = indexOf(acc.labels, out[a]);
        return acc.x.permute(perm);
    }

    public static Tensor outer(Tensor a, Tensor b) {
        Args.nonNull(b, "outer", "o");
        if (a.rank() != 1 || b.rank() != 1) {
            throw new IllegalArgumentException("outer: needs two vectors, got shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape())
                    + "; for batches use einsum(\"...i,...j->...ij\", a, b)");
        }
        return a.reshape(a.dim(0), 1).mul(b.reshape(1, b.dim(0)));
    }

    /** A tensor with one label per axis. */
    private record Term(Tensor x, int[] labels) {}

    private static IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("einsum: " + what);
    }

    /** Letters as char codes, '...' as MARK. */
    private static int[] parse(String term, String quoted) {
        List<Integer> r = new ArrayList<>();
        boolean dots = false;
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                r.add((int) c);
            } else if (term.startsWith("...", i) && !dots) {
                dots = true;
                r.add(MARK);
                i += 2;
            } else {
                throw bad("bad character '" + c + "' in " + quoted + (c == '.' ? " ('...' may appear once per operand, as three dots)" : "")
                        + "; subscripts are letters a-z and A-Z, ',' between operands, one optional '->' and '...'");
            }
        }
        return r.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The labels of an operand's axes: its '...' becomes the last (rank − letters) of the E broadcast axes. */
    private static int[] expand(int[] parsed, int rank, int ellipsisRank) {
        int[] r = new int[rank];
        int k = 0, e = rank - (parsed.length - 1);
        for (int l : parsed) {
            if (l != MARK) r[k++] = l;
            else for (int q = 0; q < e; q++) r[k++] = ELLIPSIS + ellipsisRank - e + q;
        }
        return r;
    }

    /** NumPy's implicit output: the '...' axes, then the letters that occur once, in char order (uppercase first). */
    private static int[] implicitOutput(int[][] labels, int ellipsisRank) {
        Map<Integer, Integer> count = new HashMap<>();
        for (int[] ls : labels) for (int l : ls) if (l < ELLIPSIS) count.merge(l, 1, Integer::sum);
        TreeSet<Integer> once = new TreeSet<>();
        for (Map.Entry<Integer, Integer> e : count.entrySet()) if (e.getValue() == 1) once.add(e.getKey());
        int[] out = new int[ellipsisRank + once.size()];
        for (int q = 0; q < ellipsisRank; q++) out[q] = ELLIPSIS + q;
        int k = ellipsisRank;
        for (int l : once) out[k++] = l;
        return out;
    }

    private static int[] explicitOutput(String rhs, String quoted, int[][] labels, int ellipsisRank) {
        if (rhs.contains(",")) throw bad("the output of " + quoted + " is one term; ',' separates operands, before the '->'");
        int[] parsed = parse(rhs, quoted);
        Set<Integer> inputs = new HashSet<>(), seen = new HashSet<>();
        for (int[] ls : labels) for (int l : ls) inputs.add(l);
        boolean dots = false;
        for (int l : parsed) {
            if (l == MARK) {
                dots = true;
                continue;
            }
            if (!inputs.contains(l)) throw bad("output letter '" + (char) l + "' of " + quoted + " is in no operand's subscripts");
            if (!seen.add(l)) throw bad("output letter '" + (char) l + "' appears twice in " + quoted);
        }
        if (!dots && ellipsisRank > 0) throw bad("the operands' '...' axes must appear in the output: write '...' after the '->' in " + quoted);
        return expand(parsed, parsed.length - (dots ? 1 : 0) + (dots ? ellipsisRank : 0), ellipsisRank);
    }

    /** Takes the diagonal of every repeated label (the diagonal axis goes last). */
    private static Term diagonals(Term t) {
        int[] l = t.labels;
        for (int p = 0; p < l.length; p++) {
            for (int q = p + 1; q < l.length; q++) {
                if (l[p] != l[q]) continue;
                int[] rest = new int[l.length - 1];
                for (int a = 0, k = 0; a < l.length; a++) if (a != p && a != q) rest[k++] = l[a];
                rest[rest.length - 1] = l[p];
                return diagonals(new Term(Diagonals.diagonal(t.x, 0, p, q), rest));
            }
        }
        return t;
    }

    /** Sums the axes whose label is not in {@code keep}. */
    private static Term sumOut(Term t, Set<Integer> keep) {
        int[] axes = new int[t.labels.length], rest = new int[t.labels.length];
        int na = 0, nr = 0;
        for (int a = 0; a < t.labels.length; a++) {
            if (keep.contains(t.labels[a])) rest[nr++] = t.labels[a];
            else axes[na++] = a;
        }
        return na == 0 ? t : new Term(t.x.sum(Arrays.copyOf(axes, na), false), Arrays.copyOf(rest, nr));
    }

    /** A·B over their shared labels: batch (shared and needed later), contracted (shared, not needed), free (one side only). */
    private static Term contract(Term a, Term b, Set<Integer> needed, Map<Integer, Integer> size) {
        Set<Integer> inB = new HashSet<>();
        for (int l : b.labels) inB.add(l);
        Set<Integer> keepA = new HashSet<>(needed), keepB = new HashSet<>(needed);
        keepA.addAll(inB);
        for (int l : a.labels) keepB.add(l);
        a = sumOut(a, keepA);
        b = sumOut(b, keepB);
        Set<Integer> inA = new HashSet<>();
        for (int l : a.labels) inA.add(l);
        List<Integer> batch = new ArrayList<>(), contracted = new ArrayList<>(), freeA = new ArrayList<>(), freeB = new ArrayList<>();
        for (int l : a.labels) {
            if (!inB.contains(l)) freeA.add(l);
            else if (needed.contains(l)) batch.add(l);
            else contracted.add(l);
        }
        for (int l : b.labels) if (!inA.contains(l)) freeB.add(l);
        long bs = product(batch, size), m = product(freeA, size), k = product(contracted, size), nb = product(freeB, size);
        int[] pa = positions(a.labels, batch, freeA, contracted), pb = positions(b.labels, batch, contracted, freeB);
        Tensor r;
        if (contracted.isEmpty()) {
            r = a.x.permute(pa).reshape(dims(batch, bs, m, 1)).mul(b.x.permute(pb).reshape(dims(batch, bs, 1, nb)));
        } else {
            // An operand already laid out as [batch, contracted, free A] (or [batch, free B, contracted]) is read
            // transposed in place by the product instead of being permuted into a copy.
            int[] paT = positions(a.labels, batch, contracted, freeA), pbT = positions(b.labels, batch, freeB, contracted);
            boolean ta = !identity(pa) && identity(paT), tb = !identity(pb) && identity(pbT);
            Tensor xa = ta ? a.x.reshape(dims(batch, bs, k, m)) : a.x.permute(pa).reshape(dims(batch, bs, m, k));
            Tensor xb = tb ? b.x.reshape(dims(batch, bs, nb, k)) : b.x.permute(pb).reshape(dims(batch, bs, k, nb));
            r = xa.matmul(xb, ta, tb);
        }
        List<Integer> labels = new ArrayList<>(batch);
        labels.addAll(freeA);
        labels.addAll(freeB);
        int[] shape = new int[labels.size()], ls = new int[labels.size()];
        for (int i = 0; i < ls.length; i++) shape[i] = size.get(ls[i] = labels.get(i));
        return new Term(r.reshape(shape), ls);
    }

    /** [batch size, rows, columns], or [rows, columns] without batch labels (one plain product). */
    private static int[] dims(List<Integer> batch, long batchSize, long rows, long columns) {
        int r = Shape.dimension("einsum", rows), c = Shape.dimension("einsum", columns);
        return batch.isEmpty() ? new int[] {r, c} : new int[] {Shape.dimension("einsum", batchSize), r, c};
    }

    private static long product(List<Integer> labels, Map<Integer, Integer> size) {
        long p = 1;
        for (int l : labels) p = Math.min(p * size.get(l), (long) Shape.MAX_ELEMENTS + 1); // saturated: never wraps
        return p;
    }

    private static int[] positions(int[] labels, List<Integer> first, List<Integer> second, List<Integer> third) {
        int[] p = new int[labels.length];
        int k = 0;
        for (List<Integer> g : List.of(first, second, third)) for (int l : g) p[k++] = indexOf(labels, l);
        return p;
    }

    private static boolean identity(int[] perm) {
        for (int i = 0; i < perm.length; i++) if (perm[i] != i) return false;
        return true;
    }

    private static int indexOf(int[] labels, int l) {
        for (int i = 0; i < labels.length; i++) if (labels[i] == l) return i;
        throw new IllegalStateException("einsum: label " + l + " lost");
    }
}
