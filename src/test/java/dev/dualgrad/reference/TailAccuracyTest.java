package dev.dualgrad.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Derivatives far in a saturating tail keep their relative accuracy: σ′(x) = e⁻ˣ/(1 + e⁻ˣ)² and
 * σ″(x) = σ′(x)·(e⁻ˣ − 1)/(1 + e⁻ˣ) in closed form. Written as σ·(1 − σ), σ′ lost every digit past x ≈ 37
 * (1 − σ rounds to 0), and logaddexp's second derivative with it (found by TorchReferenceTest).
 */
class TailAccuracyTest {
    @Test
    void sigmoidDerivativesKeepTheirDigitsInTheTail() {
        for (double x : new double[] {18, 40, 200, -40}) {
            double e = Math.exp(-Math.abs(x)), d1 = e / ((1 + e) * (1 + e));
            double d2 = d1 * (e - 1) / (1 + e) * Math.signum(x);
            assertEquals(d1, Diff.grad(Tensor::sigmoid, Tensor.scalar(x)).item(), 4e-16 * d1, "σ′(" + x + ")");
            assertEquals(d2, Diff.hvp(Tensor::sigmoid, Tensor.scalar(x), Tensor.scalar(1)).item(), 1e-15 * Math.abs(d2), "σ″(" + x + ")");
        }
    }

    @Test
    void logaddexpCurvatureKeepsItsDigitsFarApart() {
        // ∂²/∂a² log(eᵃ + eᵇ) = σ(a − b)·σ(b − a)
        double a = 30, b = 0, e = Math.exp(-(a - b)), h = e / ((1 + e) * (1 + e));
        double got = Diff.hvp(z -> z.logaddexp(Tensor.scalar(b)), Tensor.scalar(a), Tensor.scalar(1)).item();
        assertEquals(h, got, 1e-14 * h);
    }
}
