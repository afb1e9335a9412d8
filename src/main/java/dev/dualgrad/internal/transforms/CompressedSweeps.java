package dev.dualgrad.internal.transforms;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import dev.dualgrad.transforms.TensorFunction;

/**
 * The compressed products of a coloured sparse Jacobian or Hessian, through the one seeding loop
 * ({@link Sweeps}) with one direction per colour: J·S (forward, S[j][c] = 1 when column j has colour c),
 * Sᵀ·J (reverse, one cotangent per row colour) and H·S (forward over reverse). Each returns the products
 * direction-major, colour c's product at [c·len, (c+1)·len).
 */
public final class CompressedSweeps {
    private CompressedSweeps() {}

    /** The mode and chunk for a coloured Jacobian: {@link Jacobians#choose} on the colour counts, the one AUTO choice. */
    public record Plan(JacobianMode mode, int chunk, String why) {}

    /** Chooses between columnColours forward passes and rowColours reverse sweeps, with the memory of one direction. */
    public static Plan choose(JacobianOptions o, int columnColours, int rowColours, long perDirection) {
        Jacobians.Choice c = Jacobians.choose(o, columnColours, rowColours, Math.max(1, perDirection), "column colouring", "row colouring");
        return new Plan(c.mode(), c.chunk(), c.why().replace(" element", " colour"));
    }

    /** J·S: colours × m, one forward pass per chunk of colours. */
    public static double[] forward(String op, TensorFunction f, Tensor x, int[] colour, int colours, int chunk) {
        Tensor[] r = Sweeps.sweep(Sweeps.Space.coloured(x.shape(), colour, colours), chunk, (seeds, k) ->
                new Tensor[] {Forward.jvp(op, xs -> f.apply(xs[0]), new Tensor[] {x}, seeds, true).tangent().reshape(k, -1)});
        return plain(op, r);
    }

    /** Sᵀ·J: colours × n, one recording and one backward sweep per chunk of row colours; f's output must still have {@code rows} elements. */
    public static double[] reverse(String op, TensorFunction f, Tensor x, int[] rowColour, int colours, int chunk) {
        TapePullback p = Reverse.vjp(op, xs -> f.apply(xs[0]), new Tensor[] {x});
        if (p.value().size() != rowColour.length) {
            throw new IllegalArgumentException(op + ": f's output has " + p.value().size() + " elements at this x but " + rowColour.length
                    + " where the Jacobian was prepared; prepare it again for this output");
        }
        Tensor[] r = Sweeps.sweep(Sweeps.Space.coloured(p.value().shape(), rowColour, colours), chunk, (seeds, k) ->
                new Tensor[] {p.sweepBatched(seeds[0])[0].reshape(k, -1)});
        return plain(op, r);
    }

    /**
     * The products as plain doubles, refused when they carry a tangent or tape node: f used a tensor that an
     * enclosing transform differentiates (a captured variable), and a sparse matrix would drop that derivative.
     */
    private static double[] plain(String op, Tensor[] r) {
        if (r == null) return new double[0];
        if (!r[0].isConstant()) {
            throw new IllegalArgumentException(op + ": f uses a tensor that an enclosing transform differentiates (a captured variable"
                    + " carrying a tangent or tape node); a sparse matrix holds plain doubles, so that derivative would be lost."
                    + " Use the dense transform (Diff.jacobian, Diff.hessian), which the enclosing one can differentiate.");
        }
        return Tensors.buffer(r[0]);
    }

    /** H·S: colours × n, Hessian-vector products by forward over reverse, a chunk of colours per pass. */
    public static double[] hessian(String op, TensorFunction f, Tensor x, int[] colour, int colours, int chunk) {
        TensorFunction gradient = z -> Reverse.valueAndGrad(op, xs -> scalar(op, f.apply(xs[0])), new Tensor[] {z}).grad();
        return forward(op, gradient, x, colour, colours, chunk);
    }

    private static Tensor scalar(String op, Tensor y) {
        if (y == null) throw new IllegalArgumentException(op + ": the function returned null; it must return a Tensor");
        if (y.size() != 1) throw SecondOrder.notScalar(op, y);
        return y;
    }
}
