package dev.dualgrad.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import java.util.function.Function;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Commons Math 3's DerivativeStructure as an independent oracle: value, first and second derivative
 * of the scalar functions, the second by every nesting of the two modes.
 */
class DerivativeStructureOracleTest {
    static Stream<Arguments> functions() {
        return Stream.of(
                Arguments.of("exp", (TensorFunction) Tensor::exp, (Function<DerivativeStructure, DerivativeStructure>) DerivativeStructure::exp, 0.7),
                Arguments.of("log", (TensorFunction) Tensor::log, (Function<DerivativeStructure, DerivativeStructure>) DerivativeStructure::log, 1.7),
                Arguments.of("log1p", (TensorFunction) Tensor::log1p, (Function<DerivativeStructure, DerivativeStructure>) DerivativeStructure::log1p, 0.4),
                Arguments.of("sqrt", (TensorFunction) Tensor::sqrt, (Function<DerivativeStructure, DerivativeStructure>) DerivativeStructure::sqrt, 2.3),
                Arguments.of("sin", (TensorFunction) Tensor::sin, (Function<DerivativeStructure, DerivativeStructure>) DerivativeStructure::sin, -1.1),
                Arguments.of("cos", (TensorFunction) Tensor::cos, (Function<DerivativeStructure, DerivativeStructure>) DerivativeStructure::cos, 0.9),
                Arguments.of("tanh", (TensorFunction) Tensor::tanh, (Function<DerivativeStructure, DerivativeStructure>) DerivativeStructure::tanh, 0.6),
                Arguments.of("square", (TensorFunction) Tensor::square, (Function<DerivativeStructure, DerivativeStructure>) d -> d.multiply(d), -1.3),
                Arguments.of("pow 3", (TensorFunction) x -> x.pow(3.0), (Function<DerivativeStructure, DerivativeStructure>) d -> d.pow(3.0), -0.8),
                Arguments.of("pow -1.5", (TensorFunction) x -> x.pow(-1.5), (Function<DerivativeStructure, DerivativeStructure>) d -> d.pow(-1.5), 1.4),
                Arguments.of("reciprocal", (TensorFunction) Tensor::reciprocal, (Function<DerivativeStructure, DerivativeStructure>) DerivativeStructure::reciprocal, -0.7),
                Arguments.of("sigmoid", (TensorFunction) Tensor::sigmoid,
                        (Function<DerivativeStructure, DerivativeStructure>) d -> d.negate().exp().add(1).reciprocal(), 0.3),
                Arguments.of("softplus", (TensorFunction) Tensor::softplus,
                        (Function<DerivativeStructure, DerivativeStructure>) d -> d.exp().log1p(), -0.4),
                Arguments.of("x·sin(x)/(1+x²)", (TensorFunction) x -> x.mul(x.sin()).div(x.square().add(1)),
                        (Function<DerivativeStructure, DerivativeStructure>) d -> d.multiply(d.sin()).divide(d.multiply(d).add(1)), 1.2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void valueFirstAndSecondDerivative(String name, TensorFunction f, Function<DerivativeStructure, DerivativeStructure> g, double x0) {
        DerivativeStructure d = g.apply(new DerivativeStructure(1, 2, 0, x0));
        double v = d.getValue(), d1 = d.getPartialDerivative(1), d2 = d.getPartialDerivative(2);
        Tensor x = Tensor.scalar(x0), one = Tensor.scalar(1);
        assertEquals(v, f.apply(x).item(), 1e-14 * Math.max(1, Math.abs(v)), "value");
        assertEquals(d1, Diff.jvp(f, x, one).tangent().item(), 1e-13 * Math.max(1, Math.abs(d1)), "forward");
        assertEquals(d1, Diff.grad(f, x).item(), 1e-13 * Math.max(1, Math.abs(d1)), "reverse");
        double tol = 1e-12 * Math.max(1, Math.abs(d2));
        TensorFunction fwd = z -> Diff.jvp(f, z, one).tangent();
        TensorFunction rev = z -> Diff.grad(f, z);
        assertEquals(d2, Diff.jvp(fwd, x, one).tangent().item(), tol, "forward over forward");
        assertEquals(d2, Diff.grad(fwd, x).item(), tol, "reverse over forward");
        assertEquals(d2, Diff.jvp(rev, x, one).tangent().item(), tol, "forward over reverse");
        assertEquals(d2, Diff.grad(rev, x).item(), tol, "reverse over reverse");
    }
}
