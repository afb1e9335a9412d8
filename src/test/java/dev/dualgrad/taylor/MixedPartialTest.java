package dev.dualgrad.taylor;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Diff.mixedPartial against independent routes: Diff.hessian, nested jvp, closed forms, directional series. */
class MixedPartialTest {
    /** A small nonlinear function of x [2, 3], made of tensor ops, returning one element. */
    static TensorFunction net(long seed) {
        TensorRandom r = TensorRandom.seed(seed);
        Tensor w1 = r.normal(3, 4).div(2), b1 = r.normal(4).mul(0.1), w2 = r.normal(4, 1).div(2);
        return x -> x.matmul(w1).add(b1).tanh().matmul(w2).sigmoid().sum().add(x.sin().mul(x.square()).sum().mul(0.3));
    }

    static Tensor unit(int[] shape, int flat) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] e = new double[n];
        e[flat] = 1;
        return Tensor.of(e, shape);
    }

    /** ∂/∂x_{i₁} … ∂/∂x_{i_k} f by k nested forward passes along unit vectors (flat row-major indices). */
    static Tensor nestedJvp(TensorFunction f, Tensor x, int... indices) {
        TensorFunction g = f;
        for (int i : indices) {
            TensorFunction gg = g;
            Tensor e = unit(x.shape(), i);
            g = z -> Diff.jvp(gg, z, e).tangent();
        }
        return g.apply(x);
    }

    static int[] alpha(int n, int... indices) {
        int[] a = new int[n];
        for (int i : indices) a[i]++;
        return a;
    }

    static void close(double expected, double actual, double rel, String what) {
        assertEquals(expected, actual, rel * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void orderTwoEqualsTheHessianEntry() {
        TensorFunction f = net(1);
        Tensor x = TensorRandom.seed(2).normal(2, 3);
        Tensor h = Diff.hessian(f, x);
        for (int i = 0; i < 6; i++) {
            for (int j = i; j < 6; j++) {
                double got = Diff.mixedPartial(f, x, alpha(6, i, j)).item();
                close(h.get(i / 3, i % 3, j / 3, j % 3), got, 1e-12, "∂²f/∂x" + i + "∂x" + j);
            }
        }
    }

    @Test
    void orderThreeEqualsNestedJvpAndJacobianOfHessian() {
        TensorFunction f = net(3);
        Tensor x = TensorRandom.seed(4).normal(2, 3);
        Tensor t = Diff.jacobian(z -> Diff.hessian(f, z), x); // [2,3, 2,3, 2,3]
        int[][] cases = {{0, 1, 2}, {0, 0, 4}, {5, 5, 5}, {1, 3, 5}, {2, 2, 3}, {0, 3, 3}};
        for (int[] c : cases) {
            double got = Diff.mixedPartial(f, x, alpha(6, c)).item();
            double nested = nestedJvp(f, x, c).item();
            close(nested, got, 1e-11, "∂³ vs nested jvp " + Arrays.toString(c));
            double jh = t.get(c[0] / 3, c[0] % 3, c[1] / 3, c[1] % 3, c[2] / 3, c[2] % 3);
            close(jh, got, 1e-11, "∂³ vs jacobian of hessian " + Arrays.toString(c));
        }
    }

    @Test
    void orderFourAndFiveEqualNestedJvp() {
        TensorFunction f = net(5);
        Tensor x = TensorRandom.seed(6).normal(2, 3);
        int[][] cases = {{0, 1, 2, 3}, {0, 0, 1, 1}, {4, 4, 4, 2}, {1, 1, 1, 1}, {0, 0, 0, 1, 1}, {0, 1, 2, 4, 5}, {3, 3, 3, 3, 5}};
        for (int[] c : cases) {
            double got = Diff.mixedPartial(f, x, alpha(6, c)).item();
            close(nestedJvp(f, x, c).item(), got, 1e-9, "∂^" + c.length + " " + Arrays.toString(c));
        }
    }

    @Test
    void polynomialClosedForms() {
        // p(x, y, z) = x³y² + 2xyz − 5y⁴z + 7 at (x, y, z) = (1.5, −0.5, 2)
        TensorFunction p = v -> {
            Tensor x = v.at(0), y = v.at(1), z = v.at(2);
            return x.pow(3).mul(y.square()).add(x.mul(y).mul(z).mul(2)).sub(y.pow(4).mul(z).mul(5)).add(7);
        };
        double x = 1.5, y = -0.5, z = 2;
        Tensor v = Tensor.vector(x, y, z);
        close(6 * x * y * y + 0, Diff.mixedPartial(p, v, new int[] {2, 0, 0}).item(), 1e-13, "p_xx");
        close(6 * x * x * y + 2 * z, Diff.mixedPartial(p, v, new int[] {1, 1, 0}).item(), 1e-13, "p_xy");
        close(2, Diff.mixedPartial(p, v, new int[] {1, 1, 1}).item(), 1e-13, "p_xyz");
        close(12 * x * y, Diff.mixedPartial(p, v, new int[] {2, 1, 0}).item(), 1e-13, "p_xxy");
        close(12, Diff.mixedPartial(p, v, new int[] {3, 2, 0}).item(), 1e-12, "p_xxxyy (lattice)");
        close(-120 * y, Diff.mixedPartial(p, v, new int[] {0, 3, 1}).item(), 1e-12, "p_yyyz");
        close(-120, Diff.mixedPartial(p, v, new int[] {0, 4, 1}).item(), 1e-12, "p_yyyyz");
        close(0, Diff.mixedPartial(p, v, new int[] {4, 0, 0}).item(), 1e-12, "p_xxxx");
        close(0, Diff.mixedPartial(p, v, new int[] {3, 2, 1}).item(), 1e-11, "p_xxxyyz");
        close(2 * y, Diff.mixedPartial(p, v, new int[] {1, 0, 1}).item(), 1e-13, "p_xz");
    }

    @Test
    void exponentialOfALinearFormToOrderEight() {
        // f(x) = exp(a·x): ∂^α f = a^α exp(a·x)
        Tensor a = Tensor.vector(0.7, -1.2, 0.4, 1.1), x = Tensor.vector(0.3, 0.1, -0.5, 0.2);
        TensorFunction f = z -> z.mul(a).sum().exp();
        double[] av = a.toArray();
        double ax = f.apply(x).item();
        int[][] alphas = {{1, 0, 0, 0}, {0, 2, 0, 0}, {1, 1, 1, 1}, {2, 1, 0, 1}, {3, 2, 0, 0}, {0, 4, 0, 4}, {5, 0, 3, 0},
            {2, 2, 2, 2}, {1, 3, 0, 4}, {8, 0, 0, 0}, {0, 0, 1, 7}};
        for (int[] al : alphas) {
            double exact = ax;
            int d = 0;
            for (int i = 0; i < 4; i++) {
                exact *= Math.pow(av[i], al[i]);
                d += al[i];
            }
            double got = Diff.mixedPartial(f, x, al).item();
            double tol = d <= 4 ? 1e-12 : 1e-9;
            assertEquals(exact, got, tol * Math.max(1, Math.abs(exact)), "exp(a·x), α = " + Arrays.toString(al));
        }
    }

    @Test
    void purePartialsEqualTheDirectionalDerivativeAlongAUnitVector() {
        TensorFunction f = net(7);
        Tensor x = TensorRandom.seed(8).normal(2, 3);
        for (int i = 0; i < 6; i++) {
            var jet = Diff.directionalDerivative(f, x, unit(x.shape(), i), TaylorOptions.order(6));
            for (int k = 1; k <= 6; k++) {
                int[] al = new int[6];
                al[i] = k;
                close(jet.derivative(k).item(), Diff.mixedPartial(f, x, al).item(), 1e-13, "∂^" + k + "/∂x" + i + "^" + k);
            }
        }
    }

    @Test
    void scalarInputAndVectorOutput() {
        // 0-d x: ∂³ sin = −cos
        Tensor s = Tensor.scalar(0.8);
        close(-Math.cos(0.8), Diff.mixedPartial(Tensor::sin, s, new int[] {3}).item(), 1e-14, "sin'''");
        // vector f: one mixed partial per output element, shaped like f(x)
        TensorFunction f = v -> Tensor.stack(0, v.at(0).mul(v.at(1)).sin(), v.at(0).exp().mul(v.at(1).square()));
        double x = 0.6, y = -1.3;
        Tensor r = Diff.mixedPartial(f, Tensor.vector(x, y), new int[] {1, 1});
        assertArrayEquals(new int[] {2}, r.shape());
        // ∂xy sin(xy) = cos(xy) − xy sin(xy); ∂xy eˣy² = 2y eˣ
        close(Math.cos(x * y) - x * y * Math.sin(x * y), r.get(0), 1e-13, "∂xy sin(xy)");
        close(2 * y * Math.exp(x), r.get(1), 1e-13, "∂xy eˣy²");
    }

    @Test
    void gradientOfAMixedPartialIsTheNextMixedPartial() {
        TensorFunction f = net(9);
        Tensor x = TensorRandom.seed(10).normal(2, 3);
        Tensor g = Diff.grad(z -> Diff.mixedPartial(f, z, alpha(6, 0, 4)), x);
        for (int k = 0; k < 6; k++) {
            close(nestedJvp(f, x, 0, 4, k).item(), g.get(k / 3, k % 3), 1e-11, "∂/∂x" + k + " of ∂²f/∂x0∂x4");
        }
    }

    @Test
    void passesAreTheDocumentedDirections() {
        AtomicInteger calls = new AtomicInteger();
        TensorFunction f = z -> {
            calls.incrementAndGet();
            return z.exp().sum();
        };
        Tensor x = Tensor.vector(0.1, 0.2, 0.3);
        int[][] alphas = {{4, 0, 0}, {1, 1, 0}, {1, 1, 1}, {2, 1, 0}, {3, 2, 0}, {4, 4, 0}, {2, 1, 1}};
        int[] passes = {1, 3, 7, 4, 6, 9, 10}; // pure: one ray; (3,2) and (4,4) by the lattice (d + 1), the rest by the box
        for (int c = 0; c < alphas.length; c++) {
            calls.set(0);
            Diff.mixedPartial(f, x, alphas[c]);
            assertEquals(passes[c], calls.get(), "passes for α = " + Arrays.toString(alphas[c]));
        }
    }

    @Test
    void errors() {
        TensorFunction f = z -> z.exp().sum();
        Tensor x = Tensor.zeros(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diff.mixedPartial(f, x, new int[] {1, 1, 0}));
        assertTrue(e.getMessage().startsWith("mixedPartial:"), e.getMessage());
        assertTrue(e.getMessage().contains("length 3") && e.getMessage().contains("4 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diff.mixedPartial(f, x, new int[] {1, -1, 2, 0}));
        assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diff.mixedPartial(f, x, new int[] {0, 0, 0, 0}));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diff.mixedPartial(f, x, new int[] {30, 30, 5, 0}));
        assertTrue(e.getMessage().contains("got 65") && e.getMessage().contains(String.valueOf(TaylorOptions.MAX_ORDER)), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diff.mixedPartial(f, x, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 0, 0}));
        assertTrue(e.getMessage().contains("got 4294967294"), e.getMessage());
        Tensor big = Tensor.zeros(20);
        int[] ones = new int[20];
        Arrays.fill(ones, 1);
        e = assertThrows(IllegalArgumentException.class, () -> Diff.mixedPartial(f, big, ones));
        assertTrue(e.getMessage().contains("1048575") && e.getMessage().contains("Taylor passes"), e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Diff.mixedPartial(f, x, null));
        assertEquals("mixedPartial: multiIndex is null", npe.getMessage());
    }
}
