package dev.dualgrad.internal.transforms;

import dev.dualgrad.transforms.MultiTensorFunction;
import dev.dualgrad.transforms.ValueAndTangent;

import dev.dualgrad.internal.engine.DualLevel;
import dev.dualgrad.internal.engine.Shape;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;

/** Forward mode: seed tangents on the inputs, run f once, read the tangent of the output. */
public final class Forward {
    private Forward() {}

    /**
     * J·v for f at xs. With {@code batched}, every v has a leading axis of k directions and the tangent
     * returned is [k, ...y.shape]. A null entry of {@code vs} is a zero tangent, never allocated.
     */
    public static ValueAndTangent jvp(String op, MultiTensorFunction f, Tensor[] xs, Tensor[] vs, boolean batched) {
        if (vs.length != xs.length) {
            throw new IllegalArgumentException(op + ": " + vs.length + " tangents for " + xs.length + " inputs; give one tangent per input");
        }
        int k = -1;
        for (int i = 0; i < xs.length; i++) {
            if (vs[i] == null) continue;
            int[] sx = xs[i].shape(), sv = vs[i].shape();
            boolean ok = batched ? sv.length == sx.length + 1 && Arrays.equals(Shape.suffix(sv, 1), sx) : Arrays.equals(sv, sx);
            if (!ok) throw tangentShape(op, i, xs.length, sx, sv, batched);
            if (batched) {
                if (k >= 0 && sv[0] != k) {
                    throw new IllegalArgumentException(op + ": tangent " + i + " has " + sv[0] + " directions but an earlier one has " + k
                            + "; every input needs the same number k of directions, shaped [k, ...input shape]");
                }
                k = sv[0];
            }
        }
        DualLevel level = new DualLevel();
        try {
            Tensor[] seeded = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) seeded[i] = vs[i] == null ? xs[i] : level.seed(xs[i], vs[i]);
            Tensor y = Transforms.output(op, f.apply(seeded), level);
            Tensor value = level.primalOf(y);
            Tensor t = level.tangentOf(y);
            if (t == null) t = Tensor.zeros(batched ? Shape.concat(new int[] {Math.max(k, 0)}, value.shape()) : value.shape());
            return new ValueAndTangent(value, t);
        } finally {
            level.close();
        }
    }

    private static IllegalArgumentException tangentShape(String op, int i, int n, int[] sx, int[] sv, boolean batched) {
        String which = n == 1 ? "the input" : "input " + i;
        if (batched) {
            return new IllegalArgumentException(op + ": the tangents for " + which + " have shape " + Shape.str(sv) + " but "
                    + which + " has shape " + Shape.str(sx) + "; a batched JVP takes k directions shaped [k, " + Shape.str(sx).substring(1)
                    + " and returns k vectors J·v shaped like the output.");
        }
        return new IllegalArgumentException(op + ": the tangent has shape " + Shape.str(sv) + " but " + which + " has shape " + Shape.str(sx)
                + "; a JVP computes J·v for a tangent v shaped like the input and returns a vector shaped like the output."
                + " To multiply a vector u shaped like the output by the Jacobian (uᵀJ), use Diff.vjp.");
    }
}
