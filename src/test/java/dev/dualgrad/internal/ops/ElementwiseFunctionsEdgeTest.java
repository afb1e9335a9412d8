package dev.dualgrad.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.PerArgument;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's elementwise functions at the edges of their domains: ±0, ±∞, NaN, the ends of the domain,
 * poles and huge arguments. Expected values are closed forms, IEEE rules, or mpmath at 30 digits (quoted).
 */
class ElementwiseFunctionsEdgeTest {
    private static final double INF = Double.POSITIVE_INFINITY, NAN = Double.NaN, EULER = 0.5772156649015329;

    /** f at each x, compared bitwise (so that −0 differs from +0 and NaN matches NaN). */
    private static void values(UnaryOperator<Tensor> f, double[] x, double[] expected) {
        assertArrayEquals(expected, Tensors.buffer(f.apply(Tensor.vector(x))), 0, () -> "at " + java.util.Arrays.toString(x));
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(f.apply(Tensor.vector(x)).get(i)), "sign of the result at " + x[i]);
        }
    }

    private static double close(double expected, double got, double rel) {
        assertEquals(expected, got, rel * Math.abs(expected));
        return got;
    }

    /** f′ at each point by a forward JVP. */
    private static double[] derivative(UnaryOperator<Tensor> f, double... x) {
        return Tensors.buffer(Diff.jvp(f::apply, Tensor.vector(x), Tensor.ones(x.length)).tangent());
    }

    @Test
    void inverseTrigonometricAndHyperbolicAtTheEndsOfTheirDomains() {
        values(Tensor::asin, new double[] {1, -1, 0.0, -0.0, 1.5, NAN}, new double[] {Math.PI / 2, -Math.PI / 2, 0.0, -0.0, NAN, NAN});
        values(Tensor::acos, new double[] {1, -1, -1.5}, new double[] {0, Math.PI, NAN});
        assertArrayEquals(new double[] {INF, INF}, derivative(Tensor::asin, 1, -1), 0);
        assertArrayEquals(new double[] {-INF, -INF}, derivative(Tensor::acos, 1, -1), 0);
        values(Tensor::atan, new double[] {INF, -INF, -0.0}, new double[] {Math.PI / 2, -Math.PI / 2, -0.0});
        assertArrayEquals(new double[] {0, 0}, derivative(Tensor::atan, INF, 1e200), 0);
        values(Tensor::atanh, new double[] {1, -1, 2, -0.0, NAN}, new double[] {INF, -INF, NAN, -0.0, NAN});
        assertArrayEquals(new double[] {INF, INF}, derivative(Tensor::atanh, 1, -1), 0);
        values(Tensor::acosh, new double[] {1, 0.5, INF, NAN}, new double[] {0, NAN, INF, NAN});
        assertEquals(INF, derivative(Tensor::acosh, 1)[0]);
        values(Tensor::asinh, new double[] {-0.0, 1e-300, INF, -INF}, new double[] {-0.0, 1e-300, INF, -INF});
        close(691.46867507877365051, Tensor.scalar(1e300).asinh().item(), 1e-16);  // mpmath asinh(1e300)
        close(-691.46867507877365051, Tensor.scalar(-1e300).asinh().item(), 1e-16);
        close(691.46867507877365051, Tensor.scalar(1e300).acosh().item(), 1e-16);
        close(1e-300, derivative(Tensor::asinh, 1e300)[0], 1e-15); // 1/hypot(x, 1): no overflow of x²
        close(1e-300, derivative(Tensor::acosh, 1e300)[0], 1e-15);
        values(Tensor::sinh, new double[] {-0.0, 1e3, -1e3}, new double[] {-0.0, INF, -INF});
        values(Tensor::cosh, new double[] {-1e3, NAN}, new double[] {INF, NAN});
        values(Tensor::tan, new double[] {-0.0, INF}, new double[] {-0.0, NAN});
        values(Tensor::expm1, new double[] {1e-300, -0.0, -INF, 1e3}, new double[] {1e-300, -0.0, -1, INF});
    }

    @Test
    void logarithmsInBaseTwoAndTenAreExactAtPowers() {
        values(Tensor::log2, new double[] {8, 0.125, 0x1p-1074, 0x1p1023, 1, 0, -1, INF},
                new double[] {3, -3, -1074, 1023, 0, -INF, NAN, INF});
        values(Tensor::log10, new double[] {1000, 1e-300, 0, -0.0}, new double[] {3, -300, -INF, -INF});
        close(Math.log(3) / Math.log(2), Tensor.scalar(3).log2().item(), 2e-16);
        close(Math.log(Double.MIN_VALUE * 3) / Math.log(2), Tensor.scalar(Double.MIN_VALUE * 3).log2().item(), 2e-16); // subnormal
    }

    @Test
    void erfAndErfcSaturateWithoutLosingTheTail() {
        values(Tensor::erf, new double[] {0.0, -0.0, 30, -30, INF, -INF, NAN}, new double[] {0.0, -0.0, 1, -1, 1, -1, NAN});
        values(Tensor::erfc, new double[] {30, -30, INF, -INF, 0, NAN}, new double[] {0, 2, 0, 2, 1, NAN});
        close(5.6631924088561428465e-296, Tensor.scalar(26).erfc().item(), 1e-15);   // mpmath
        close(2.088487583762544757e-45, Tensor.scalar(10).erfc().item(), 1e-15);
        close(1.3286267594591274162, Tensor.scalar(-0.3).erfc().item(), 1e-16);
        close(0.52049987781304653768, Tensor.scalar(0.5).erf().item(), 1e-16);
        close(0.99532226501895273416, Tensor.scalar(2).erf().item(), 1e-16);
        assertArrayEquals(new double[] {0, 0}, derivative(Tensor::erf, 30, -INF), 0);
    }

    @Test
    void lgammaAndDigammaAtPolesHugeAndNegativeArguments() {
        values(Tensor::lgamma, new double[] {0.0, -0.0, -1, -2, INF, -INF, NAN, 1, 2}, new double[] {INF, INF, INF, INF, INF, INF, NAN, 0, 0});
        close(6.8977552789821370521e302, Tensor.scalar(1e300).lgamma().item(), 1e-15); // mpmath
        close(690.77552789821370521, Tensor.scalar(1e-300).lgamma().item(), 1e-15);
        close(Math.log(Math.sqrt(Math.PI)), Tensor.scalar(0.5).lgamma().item(), 1e-15);
        close(-0.056243716497674050673, Tensor.scalar(-2.5).lgamma().item(), 1e-13);
        close(-363.76620618267625945, Tensor.scalar(-100.3).lgamma().item(), 1e-15);
        values(Tensor::digamma, new double[] {0.0, -0.0, -1, -3, INF, -INF, NAN}, new double[] {-INF, INF, NAN, NAN, INF, NAN, NAN});
        close(-EULER, Tensor.scalar(1).digamma().item(), 1e-15);
        close(-EULER - 2 * Math.log(2), Tensor.scalar(0.5).digamma().item(), 1e-15);
        // mpmath ψ(−0.5), near the zero of ψ at −0.504: an absolute error of about 1 ulp of ψ(1.5) = 0.0365 + 2
        assertEquals(0.03648997397857652056, Tensor.scalar(-0.5).digamma().item(), 3e-16);
        close(690.77552789821370521, Tensor.scalar(1e300).digamma().item(), 1e-15);
        close(6.895643124860435035, Tensor.scalar(-100.3).digamma().item(), 1e-13);
        // mpmath ψ, ψ⁽¹⁾, ψ⁽²⁾ at points where Commons Math's digamma is off by 1e-9 to 3e-9
        double[][] mp = {{0.8591988623003475, -0.83614913553181674645, 2.0617841377168773082, -3.6367043439145924809},
            {-0.7116574679141865, -2.2454225462470713474, 15.150593202025080601, -79.104372049116759097},
            {0.25, -4.2274535333762654081, 17.197329154507110739, -129.32773993753692033},
            {2.9, 0.88249995063774389325, 0.41096374799332815083, -0.16672512382974246204}};
        for (double[] m : mp) {
            Tensor x = Tensor.vector(m[0]);
            close(m[1], x.digamma().item(), 4e-15);
            close(m[2], derivative(Tensor::digamma, m[0])[0], 4e-15);
            close(m[3], Diff.hvp(z -> z.digamma().sum(), x, Tensor.ones(1)).item(), 1e-14);
        }
        // lgamma′ = ψ; ψ′ = ψ⁽¹⁾; ψ″ = ψ⁽²⁾
        close(-EULER, derivative(Tensor::lgamma, 1)[0], 1e-15);
        close(Math.PI * Math.PI / 6, derivative(Tensor::digamma, 1)[0], 1e-15);
        close(Math.PI * Math.PI / 2 + 4, derivative(Tensor::digamma, -0.5)[0], 1e-15);
        close(15.069493149244011019, derivative(Tensor::digamma, -100.3)[0], 1e-13);
        close(-2.4041138063191885708, Diff.hvp(z -> z.digamma().sum(), Tensor.vector(1), Tensor.ones(1)).item(), 1e-14);
        close(-69.441632798638532998, Diff.hvp(z -> z.digamma().sum(), Tensor.vector(-0.7), Tensor.ones(1)).item(), 1e-13);
        // third order: ψ⁽³⁾(1) = π⁴/15, through the derivative of the ψ⁽²⁾ op
        Tensor third = Diff.grad(z -> Diff.hvp(w -> w.digamma().sum(), z, Tensor.ones(1)).sum(), Tensor.vector(1));
        close(Math.pow(Math.PI, 4) / 15, third.item(), 1e-13);
        assertEquals(INF, derivative(Tensor::digamma, -2)[0]); // trigamma: +∞ at a pole from both sides
    }

    @Test
    void activationsAtInfinityHaveTheirLimitsAndDerivatives() {
        values(Tensor::gelu, new double[] {-INF, INF, -0.0, NAN, -1e3}, new double[] {-0.0, INF, -0.0, NAN, -0.0});
        values(Tensor::geluTanh, new double[] {-INF, INF, -0.0, 1e200}, new double[] {-0.0, INF, -0.0, 1e200});
        values(Tensor::silu, new double[] {-INF, INF, -0.0, NAN}, new double[] {-0.0, INF, -0.0, NAN});
        close(-1.4332578593959695584e-6, Tensor.scalar(-5).gelu().item(), 1e-14); // mpmath: −5·Φ(−5), no cancellation
        for (UnaryOperator<Tensor> f : java.util.List.<UnaryOperator<Tensor>>of(Tensor::gelu, Tensor::geluTanh, Tensor::silu)) {
            assertArrayEquals(new double[] {0, 1, 0, 1}, derivative(f, -INF, INF, -1e4, 1e4), 0);
        }
        values(Tensor::logSigmoid, new double[] {-1e4, 1e4, -INF, INF, 0}, new double[] {-1e4, 0, -INF, 0, -Math.log(2)});
        values(x -> x.elu(2), new double[] {-INF, INF, -0.0, NAN}, new double[] {-2, INF, -0.0, NAN});
        values(x -> x.leakyRelu(0.1), new double[] {-INF, INF, -2, NAN}, new double[] {-INF, INF, -0.2, NAN});
        assertArrayEquals(new double[] {2, 0.1}, new double[] {derivative(x -> x.elu(2), 0)[0], derivative(x -> x.leakyRelu(0.1), 0)[0]}, 0);
        assertTrue(Double.isNaN(derivative(Tensor::leakyRelu, NAN)[0]));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).elu(NAN));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).leakyRelu(INF));
    }

    private static PerArgument grad2(java.util.function.BinaryOperator<Tensor> f, double a, double b) {
        return Diff.grad(xs -> f.apply(xs[0], xs[1]), Tensor.scalar(a), Tensor.scalar(b));
    }

    @Test
    void logaddexpIsExactAtInfinityAndForHugeArguments() {
        double[][] cases = {{1e308, 1e308, 1e308}, {-INF, -INF, -INF}, {INF, INF, INF}, {INF, -INF, INF}, {-INF, 3, 3}, {NAN, 1, NAN},
            {1e308, -1e308, 1e308}, {0, 0, Math.log(2)}, {-1e308, -1e308, -1e308}};
        for (double[] c : cases) {
            assertEquals(c[2], Tensor.scalar(c[0]).logaddexp(Tensor.scalar(c[1])).item(), 0, c[0] + ", " + c[1]);
        }
        // mpmath: the log1p tail keeps its relative accuracy
        close(4.2483542552915889863e-18, Tensor.scalar(0).logaddexp(Tensor.scalar(-40)).item(), 4e-16);
        close(-4.2483542552915889863e-18, Tensor.scalar(40).logSigmoid().item(), 4e-16);
        close(-0.55435524446852712354, Tensor.scalar(0.3).logSigmoid().item(), 4e-16);
        close(1.5232454643724250282, Tensor.scalar(1.5).logaddexp(Tensor.scalar(-2.25)).item(), 4e-16);
        for (double[] c : new double[][] {{1e308, 1e308, 0.5, 0.5}, {-INF, -INF, 0.5, 0.5}, {INF, INF, 0.5, 0.5}, {1e308, -1e308, 1, 0}, {-INF, 2, 0, 1}}) {
            PerArgument g = grad2(Tensor::logaddexp, c[0], c[1]);
            assertArrayEquals(new double[] {c[2], c[3]}, new double[] {g.get(0).item(), g.get(1).item()}, 0, c[0] + ", " + c[1]);
        }
    }

    @Test
    void atan2KeepsSignedZerosAndHypotNeitherOverflowsNorUnderflows() {
        double[][] cases = {{0.0, 0.0, 0.0}, {-0.0, 0.0, -0.0}, {0.0, -0.0, Math.PI}, {-0.0, -0.0, -Math.PI}, {1, 0, Math.PI / 2},
            {INF, INF, Math.PI / 4}, {1, -INF, Math.PI}, {NAN, 1, NAN}};
        for (double[] c : cases) {
            double v = Tensor.scalar(c[0]).atan2(Tensor.scalar(c[1])).item();
            assertEquals(Double.doubleToLongBits(c[2]), Double.doubleToLongBits(v), "atan2(" + c[0] + ", " + c[1] + ") = " + v);
        }
        PerArgument at = grad2(Tensor::atan2, 1e-200, 1e-200); // ±1/(2e-200): the squares would underflow to 0
        close(0.5e200, at.get(0).item(), 1e-15);
        close(-0.5e200, at.get(1).item(), 1e-15);
        PerArgument origin = grad2(Tensor::atan2, 0, 0);
        assertTrue(Double.isNaN(origin.get(0).item()) && Double.isNaN(origin.get(1).item()), "atan2 has no derivative at the origin");
        assertEquals(5, Tensor.scalar(3).hypot(Tensor.scalar(4)).item(), 0);
        close(Math.sqrt(2) * 1e308, Tensor.scalar(1e308).hypot(Tensor.scalar(1e308)).item(), 1e-16);
        close(Math.sqrt(2) * 1e-308, Tensor.scalar(1e-308).hypot(Tensor.scalar(-1e-308)).item(), 1e-15);
        assertEquals(INF, Tensor.scalar(INF).hypot(Tensor.scalar(NAN)).item());
        PerArgument h = grad2(Tensor::hypot, 0, 0);
        assertArrayEquals(new double[] {0, 0}, new double[] {h.get(0).item(), h.get(1).item()}, 0); // the subgradient 0
        PerArgument h2 = grad2(Tensor::hypot, -3, 4);
        assertArrayEquals(new double[] {-0.6, 0.8}, new double[] {h2.get(0).item(), h2.get(1).item()}, 1e-16);
    }

    @Test
    void roundingFunctionsAreConstantsWithAZeroDerivative() {
        double[] x = {-2.5, -1.5, -0.5, -0.0, 0.5, 1.5, 2.5, 2.7, -2.7, INF, -INF, NAN};
        values(Tensor::floor, x, new double[] {-3, -2, -1, -0.0, 0, 1, 2, 2, -3, INF, -INF, NAN});
        values(Tensor::ceil, x, new double[] {-2, -1, -0.0, -0.0, 1, 2, 3, 3, -2, INF, -INF, NAN});
        values(Tensor::round, x, new double[] {-2, -2, -0.0, -0.0, 0, 2, 2, 3, -3, INF, -INF, NAN});
        values(Tensor::trunc, x, new double[] {-2, -1, -0.0, -0.0, 0, 1, 2, 2, -2, INF, -INF, NAN});
        Tensor v = Tensor.vector(0.3, 1.7, -2.2);
        for (UnaryOperator<Tensor> f : java.util.List.<UnaryOperator<Tensor>>of(Tensor::floor, Tensor::ceil, Tensor::round, Tensor::trunc)) {
            // x + round(x): the derivative is 1, round contributing 0 in both modes and at second order
            assertArrayEquals(new double[] {1, 1, 1}, Tensors.buffer(Diff.grad(z -> z.add(f.apply(z)).sum(), v)), 0);
            assertArrayEquals(new double[] {1, 1, 1}, derivative(z -> z.add(f.apply(z)), 0.3, 1.7, -2.2), 0);
            assertArrayEquals(new double[] {0, 0, 0}, Tensors.buffer(Diff.grad(z -> f.apply(z).mul(z).sum(), v).sub(Tensor.vector(0, 1, -3).add(v.mul(0)))
                    .add(Tensor.vector(0, 1, -3)).sub(f.apply(v))), 0); // d/dx (round(x)·x) = round(x)
        }
    }
}
