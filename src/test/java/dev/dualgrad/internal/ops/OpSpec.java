package dev.dualgrad.internal.ops;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One registered op (or one configuration of it): what it is called, which public method it exercises,
 * how many tensor arguments it takes, where their values may lie, the kinks to keep away from, and
 * sample shapes to run it on, smallest first.
 *
 * @param name     a readable name of this configuration, e.g. "sum(axis=1, keepDims)"
 * @param method   the public method it exercises ("sum"), for the completeness check
 * @param domains  one domain per argument
 * @param kinks    values where the op is not differentiable; generated inputs keep 0.05 away from them
 * @param shapes   sample shape tuples, one shape per argument, smallest first
 * @param fn       the op applied to its arguments
 * @param valid    an extra condition generated inputs must meet (for example no near-ties between arguments)
 */
public record OpSpec(String name, String method, Domain[] domains, double[] kinks, List<int[][]> shapes,
                     Function<Tensor[], Tensor> fn, Predicate<Tensor[]> valid) {

    public int arity() {
        return domains.length;
    }

    public Tensor apply(Tensor... xs) {
        return fn.apply(xs);
    }

    /** True when every value is admitted by its domain, away from the kinks, and the extra condition holds. */
    public boolean admits(Tensor[] xs) {
        for (int i = 0; i < xs.length; i++) {
            for (double v : Tensors.buffer(xs[i])) {
                if (!domains[i].admits(v)) return false;
                for (double k : kinks) if (Math.abs(v - k) < 0.05) return false;
            }
        }
        return valid.test(xs);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(domains);
    }
}
