package dev.dualgrad.internal.ops;

import static dev.dualgrad.internal.ops.Domain.REAL;
import static dev.dualgrad.internal.ops.OpRegistry.ANY;
import static dev.dualgrad.internal.ops.OpRegistry.NONE;
import static dev.dualgrad.internal.ops.OpRegistry.d;
import static dev.dualgrad.internal.ops.OpRegistry.s;

import dev.dualgrad.tensor.DiagonalOptions;
import dev.dualgrad.tensor.RollOptions;
import dev.dualgrad.tensor.Tensor;
import java.util.List;
import java.util.function.Function;

/** Registry specs of gather, indexSelect, flip, roll, repeat, tril/triu, diagonal, diag, trace, outer and einsum; {@link OpRegistry#all()} includes them. */
final class OpRegistryIndexing {
    private OpRegistryIndexing() {}

    /** Indices with repeats and negative entries, so that the scatter-add VJP must accumulate and normalise. */
    static final Tensor TAKE_LAST = Tensor.of(new double[] {2, 2, 0, -1}, 2, 2), TAKE_FIRST = Tensor.of(new double[] {1, -1, 0, 1}, 1, 4),
            SCATTER = Tensor.of(new double[] {0, 2, 0, 1, 1, -1}, 2, 3);

    static void add(List<OpSpec> r) {
        List<int[][]> matrices = List.<int[][]>of(s(d(3, 3)), s(d(2, 3)), s(d(3, 2)), s(d(2, 3, 4)));
        // takeAlongAxis: x [1, 3] broadcasts against the index [2, 2] off the axis; [2, 1] against the index [1, 4]
        one(r, "takeAlongAxis(idx [[2,2],[0,-1]], axis=-1)", "takeAlongAxis", List.<int[][]>of(s(d(2, 3)), s(d(1, 3)), s(d(2, 5))),
                x -> x.takeAlongAxis(TAKE_LAST, -1));
        one(r, "takeAlongAxis(idx [[1,-1,0,1]], axis=0)", "takeAlongAxis", List.<int[][]>of(s(d(3, 4)), s(d(2, 1)), s(d(2, 4))),
                x -> x.takeAlongAxis(TAKE_FIRST, 0));
        r.add(new OpSpec("scatterAdd(idx [[0,2,0],[1,1,-1]], v, axis=1)", "scatterAdd", new Domain[] {REAL, REAL}, NONE,
                List.<int[][]>of(s(d(2, 3), d(2, 3)), s(d(2, 4), d(2, 3))), xs -> xs[0].scatterAdd(SCATTER, xs[1], 1), ANY));
        one(r, "indexSelect([2,0,-1,2], axis=0)", "indexSelect", List.<int[][]>of(s(d(3)), s(d(3, 2)), s(d(4, 2, 1))),
                x -> x.indexSelect(new int[] {2, 0, -1, 2}, 0));
        one(r, "indexSelect([1,-1], axis=-1)", "indexSelect", List.<int[][]>of(s(d(2)), s(d(2, 3))), x -> x.indexSelect(new int[] {1, -1}, -1));
        one(r, "flip(0)", "flip", List.<int[][]>of(s(d(3)), s(d(2, 3)), s(d(2, 1, 3))), x -> x.flip(0));
        one(r, "flip(-1, 0)", "flip", List.<int[][]>of(s(d(2, 3)), s(d(3, 1, 2))), x -> x.flip(-1, 0));
        one(r, "roll(shifts [1], axes [0])", "roll", List.<int[][]>of(s(d(3)), s(d(3, 2))), x -> x.roll(RollOptions.shifts(1).axes(0)));
        one(r, "roll(shifts [2,-1], axes [-1,0])", "roll", List.<int[][]>of(s(d(2, 3)), s(d(3, 2, 4))),
                x -> x.roll(RollOptions.shifts(2, -1).axes(-1, 0)));
        one(r, "roll(shifts [-4], flattened)", "roll", List.<int[][]>of(s(d(3)), s(d(2, 3)), s(d(2, 1, 3))), x -> x.roll(RollOptions.shifts(-4)));
        one(r, "tile([2,1,3])", "tile", List.<int[][]>of(s(d()), s(d(2)), s(d(2, 3)), s(d(2, 1, 2))), x -> x.tile(2, 1, 3));
        one(r, "tile([2])", "tile", List.<int[][]>of(s(d(3)), s(d(2, 3))), x -> x.tile(2));
        one(r, "tril()", "tril", matrices, Tensor::tril);
        one(r, "tril(-1)", "tril", matrices, x -> x.tril(-1));
        one(r, "triu()", "triu", matrices, Tensor::triu);
        one(r, "triu(1)", "triu", matrices, x -> x.triu(1));
        one(r, "diagonal()", "diagonal", matrices, Tensor::diagonal);
        one(r, "diagonal(offset 1)", "diagonal", matrices, x -> x.diagonal(DiagonalOptions.defaults().offset(1)));
        one(r, "diagonal(offset -1, axes 2, 0)", "diagonal", List.<int[][]>of(s(d(3, 2, 3)), s(d(2, 3, 4))),
                x -> x.diagonal(DiagonalOptions.defaults().offset(-1).axes(2, 0)));
        one(r, "diag()", "diag", List.<int[][]>of(s(d(3)), s(d(2, 3))), Tensor::diag);
        one(r, "diag(2)", "diag", List.<int[][]>of(s(d(1)), s(d(3)), s(d(2, 2))), x -> x.diag(2));
        one(r, "diag(-1)", "diag", List.<int[][]>of(s(d(3)), s(d(2, 2))), x -> x.diag(-1));
        one(r, "trace()", "trace", matrices, Tensor::trace);
        r.add(new OpSpec("outer", "outer", new Domain[] {REAL, REAL}, NONE, List.<int[][]>of(s(d(3), d(2)), s(d(1), d(4))), xs -> xs[0].outer(xs[1]), ANY));
        // einsum: the table of the issue, each through permute, reshape, diagonal and matmul
        einsum(r, "ij,jk->ik", s(d(2, 3), d(3, 4)));
        einsum(r, "ij,kj->ik", s(d(2, 3), d(4, 3)));   // B read transposed in place
        einsum(r, "ji,jk->ik", s(d(3, 2), d(3, 4)));   // A read transposed in place
        einsum(r, "bij,bjk->bik", s(d(2, 2, 3), d(2, 3, 2)));
        einsum(r, "ii->", s(d(3, 3)));
        einsum(r, "ii->i", s(d(3, 3)));
        einsum(r, "i,j->ij", s(d(3), d(2)));
        einsum(r, "i,ij,j->", s(d(2), d(2, 3), d(3)));
        einsum(r, "ij->ji", s(d(2, 3)));
        einsum(r, "ij->", s(d(2, 3)));
        einsum(r, "ij,ij->i", s(d(2, 3), d(2, 3)));
        einsum(r, "...ij,...jk", s(d(2, 1, 2, 3), d(3, 3, 2)));
        einsum(r, "bii,bj->bji", s(d(2, 3, 3), d(2, 2)));
    }

    private static void one(List<OpSpec> r, String name, String method, List<int[][]> shapes, Function<Tensor, Tensor> f) {
        r.add(new OpSpec(name, method, new Domain[] {REAL}, NONE, shapes, xs -> f.apply(xs[0]), ANY));
    }

    private static void einsum(List<OpSpec> r, String subscripts, int[][] shapes) {
        Domain[] domains = new Domain[shapes.length];
        java.util.Arrays.fill(domains, REAL);
        r.add(new OpSpec("einsum(" + subscripts + ")", "einsum", domains, NONE, List.<int[][]>of(shapes), xs -> Tensor.einsum(subscripts, xs), ANY));
    }
}
