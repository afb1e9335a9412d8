package dev.dualgrad.boundary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NumPy's result shapes for issue 20's indexing and shape ops of the registry, for {@link EmptyRegistryOpsTest}:
 * take_along_axis, take, put_along_axis-style scatter (index, values and x agreeing off the axis, as PyTorch's
 * scatter_add), flip, roll, tile, tril, triu, diagonal, diag (diag_embed), trace, outer and einsum. Worked out
 * here from NumPy's rules, independently of the library.
 */
final class EmptyIndexingShapes {
    private EmptyIndexingShapes() {}

    /** NumPy refuses (IndexError for an index into an empty or short axis, ValueError for shapes). */
    static final int[] REFUSE = {-1};

    /** The expected shape, REFUSE, or null when the name is not one of these ops. */
    static int[] expected(String name, int[][] in) {
        int[] x = in[0];
        int r = x.length;
        switch (name) {
            case "takeAlongAxis(idx [[2,2],[0,-1]], axis=-1)": return takeAlongAxis(x, new int[] {2, 2}, 1, 3);
            case "takeAlongAxis(idx [[1,-1,0,1]], axis=0)": return takeAlongAxis(x, new int[] {1, 4}, 0, 2);
            case "scatterAdd(idx [[0,2,0],[1,1,-1]], v, axis=1)":
                return Arrays.equals(in[1], new int[] {2, 3}) && x[0] == 2 && x[1] >= 3 ? x.clone() : REFUSE;
            case "indexSelect([2,0,-1,2], axis=0)": return x[0] >= 3 ? with(x, 0, 4) : REFUSE;
            case "indexSelect([1,-1], axis=-1)": return x[r - 1] >= 2 ? with(x, r - 1, 2) : REFUSE;
            case "flip(0)": case "flip(-1, 0)": case "roll(shifts [1], axes [0])": case "roll(shifts [2,-1], axes [-1,0])":
            case "roll(shifts [-4], flattened)": case "tril()": case "tril(-1)": case "triu()": case "triu(1)":
                return x.clone();
            case "tile([2,1,3])": return tile(x, 2, 1, 3);
            case "tile([2])": return tile(x, 2);
            case "diagonal()": return with(Arrays.copyOf(x, r - 1), r - 2, Math.min(x[r - 2], x[r - 1]));
            case "diagonal(offset 1)": return with(Arrays.copyOf(x, r - 1), r - 2, Math.max(0, Math.min(x[r - 2], x[r - 1] - 1)));
            case "diagonal(offset -1, axes 2, 0)": return new int[] {x[1], Math.max(0, Math.min(x[2] - 1, x[0]))};
            case "diag()": return diag(x, 0);
            case "diag(2)": return diag(x, 2);
            case "diag(-1)": return diag(x, 1);
            case "trace()": return Arrays.copyOf(x, r - 2);
            case "outer": return new int[] {x[0], in[1][0]};
            default:
                return name.startsWith("einsum(") ? einsum(name.substring(7, name.length() - 1), in) : null;
        }
    }

    private static int[] with(int[] s, int axis, int d) {
        int[] t = s.clone();
        t[axis] = d;
        return t;
    }

    /** NumPy broadcasting of one pair of sizes, or −1. */
    private static int broadcast(int a, int b) {
        return a == b ? a : a == 1 ? b : b == 1 ? a : -1;
    }

    /** Indices reaching up to need − 1 (and down to −1): the axis must hold at least {@code need} elements. */
    private static int[] takeAlongAxis(int[] x, int[] index, int axis, int need) {
        int[] out = new int[x.length];
        for (int d = 0; d < x.length; d++) {
            out[d] = d == axis ? index[d] : broadcast(x[d], index[d]);
            if (out[d] < 0) return REFUSE;
        }
        return x[axis] >= need ? out : REFUSE;
    }

    private static int[] tile(int[] x, int... reps) {
        int r = Math.max(x.length, reps.length);
        int[] out = new int[r];
        for (int d = 0; d < r; d++) {
            int sd = d - (r - x.length), rd = d - (r - reps.length);
            out[d] = (sd < 0 ? 1 : x[sd]) * (rd < 0 ? 1 : reps[rd]);
        }
        return out;
    }

    private static int[] diag(int[] x, int k) {
        int n = x[x.length - 1] + k;
        int[] out = Arrays.copyOf(x, x.length + 1);
        out[x.length - 1] = n;
        out[x.length] = n;
        return out;
    }

    /** np.einsum's output shape for terms of letters with an optional leading "...", explicit or implicit. */
    private static int[] einsum(String subscripts, int[][] in) {
        String[] io = subscripts.split("->", -1);
        String[] terms = io[0].split(",", -1);
        Map<Character, Integer> size = new LinkedHashMap<>();
        int[] dots = new int[0];
        for (int t = 0; t < terms.length; t++) {
            boolean e = terms[t].startsWith("...");
            String letters = e ? terms[t].substring(3) : terms[t];
            int lead = in[t].length - letters.length();
            if (e) {
                int[] mine = Arrays.copyOf(in[t], lead), both = new int[Math.max(dots.length, lead)];
                for (int i = 0; i < both.length; i++) {
                    int a = i - (both.length - dots.length), b = i - (both.length - lead);
                    both[i] = broadcast(a < 0 ? 1 : dots[a], b < 0 ? 1 : mine[b]);
                    if (both[i] < 0) return REFUSE;
                }
                dots = both;
            }
            for (int a = 0; a < letters.length(); a++) {
                Integer s = size.putIfAbsent(letters.charAt(a), in[t][lead + a]);
                if (s != null && s != in[t][lead + a]) return REFUSE;
            }
        }
        List<Integer> out = new ArrayList<>();
        String o;
        if (io.length == 2) {
            o = io[1];
        } else {
            TreeMap<Character, Integer> count = new TreeMap<>();
            for (String t : terms) for (char c : t.replace("...", "").toCharArray()) count.merge(c, 1, Integer::sum);
            StringBuilder b = new StringBuilder("...");
            count.forEach((c, n) -> { if (n == 1) b.append(c); });
            o = b.toString();
        }
        if (o.startsWith("...")) for (int d : dots) out.add(d);
        for (char c : o.replace("...", "").toCharArray()) out.add(size.get(c));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
