package dev.dualgrad.review;

import dev.dualgrad.Diff;
import dev.dualgrad.ops.CustomOp;
import dev.dualgrad.ops.VjpReads;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.transforms.LaplacianResult;
import dev.dualgrad.transforms.TaylorOptions;
import dev.dualgrad.transforms.TensorFunction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Review of issue 18 (Taylor mode, forward Laplacian): strong-zero mismatches against Diff.jvp / Diff.jacobian. */
class TaylorLaplacianReviewTest {
    static Tensor nested(TensorFunction f, Tensor x, Tensor v, int k) {
        TensorFunction g = f;
        for (int i = 0; i < k; i++) {
            TensorFunction gg = g;
            g = z -> Diff.jvp(gg, z, v).tangent();
        }
        return g.apply(x);
    }

    /** LaplacianRules.fused takes the plain-product branch when f′, f″ are finite, without checking J: ∞·0 = NaN. */
    
    @Test
    void laplacianJacobianMatchesJacobianWhenIncomingJIsInfinite() {
        Tensor x = Tensor.of(new double[] {800.0, 0.5}, 2); // exp(800) = ∞, tanh(∞) = 1, tanh′ = 0
        TensorFunction f = q -> q.exp().tanh();
        Tensor jac = Diff.jacobian(f, x); // [[0, 0], [0, 0.2268]]
        LaplacianResult r = Diff.laplacian(f, x);
        assertEquals(jac.get(0, 0), r.jacobian().get(0, 0), 0.0, "∂tanh(exp x0)/∂x0 at 800: jacobian gives 0");
        LaplacianResult b = Diff.batchLaplacian(q -> q.exp().tanh().sum(1), Tensor.of(new double[] {800, 0.5, 0.1, 0.2}, 2, 2));
        assertEquals(0.0, b.jacobian().get(0, 0), 0.0, "batchLaplacian: the same");
    }

    /** SeriesKernels.sqrt/log divide (0 − 0) by 2·y₀ = 0 (resp. x₀ = 0): NaN where the JVP's strong zero gives 0. */
    
    @Test
    void sqrtAndLogAtZeroWithAZeroDirectionComponent() {
        Tensor x = Tensor.of(new double[] {0.0, 1.0}, 2), e1 = Tensor.of(new double[] {0, 1}, 2);
        TensorFunction f = q -> q.select(0, 0).sqrt().add(q.select(0, 1).square()); // finite: 1
        assertEquals(2.0, Diff.jvp(f, x, e1).tangent().item(), 0.0);
        assertEquals(2.0, nested(f, x, e1, 2).item(), 0.0);
        var jet = Diff.directionalDerivative(f, x, e1, TaylorOptions.order(2));
        assertEquals(2.0, jet.derivative(1).item(), 0.0, "order 1 of a K = 2 jet: got NaN");
        assertEquals(2.0, jet.derivative(2).item(), 0.0, "order 2: got NaN");
        assertEquals(2.0, Diff.mixedPartial(f, x, new int[] {0, 2}).item(), 1e-12, "∂²f/∂x1² = 2: got NaN");
        TensorFunction g = q -> q.select(0, 0).log().exp().add(q.select(0, 1).square()); // x0 + x1², finite at x0 = 0
        assertEquals(2.0, Diff.directionalDerivative(g, x, e1, TaylorOptions.order(2)).derivative(1).item(), 0.0, "log: got NaN");
    }

    /** SeriesKernels.square sums x_m·x_{k−m} without the strong zero: 0·∞ = NaN where the JVP gives 0. */
    
    @Test
    void squareSeriesKeepsTheStrongZero() {
        Tensor x = Tensor.of(new double[] {0.0, 1.0}, 2), e0 = Tensor.of(new double[] {1, 0}, 2);
        TensorFunction f = q -> q.sqrt().square();
        assertEquals(0.0, Diff.jvp(f, x, e0).tangent().get(0), 0.0);
        assertEquals(0.0, Diff.directionalDerivative(f, x, e0, TaylorOptions.order(2)).derivative(1).get(0), 0.0, "got NaN");
    }

    /** TaylorRules.bilinear / LaplacianRules.bilinear form the cross terms with the plain product (mul, not mulStrongZero). */
    
    @Test
    void bilinearCrossTermsKeepTheStrongZero() {
        Tensor x = Tensor.of(new double[] {0.0, 1.0}, 2), e0 = Tensor.of(new double[] {1, 0}, 2);
        TensorFunction h = q -> q.neg().relu().mul(q.sqrt()); // relu′ = 0 at 0, sqrt′ = ∞ at 0
        assertEquals(0.0, nested(h, x, e0, 2).get(0), 0.0);
        assertEquals(0.0, Diff.hessian(u -> h.apply(u).sum(), x).get(0, 0), 0.0);
        assertEquals(0.0, Diff.directionalDerivative(h, x, e0, TaylorOptions.order(2)).derivative(2).get(0), 0.0, "jet: got NaN");
        assertEquals(0.0, Diff.laplacian(u -> h.apply(u).sum(), x).laplacian().item(), 0.0, "laplacian: got NaN");
    }

    /**
     * TaylorRules.byDefault / LaplacianRules.byDefault treat "the VJP reads nothing" as "affine". For a CustomOp
     * that is only the user's memory declaration (VjpReads), not linearity (isLinear() = adjoint given): a
     * nonlinear op that declares nothing gets a clear error from grad/hessian but a silent zero curvature
     * from jet/laplacian, while jvp and nested jvp are right.
     */
    
    @Test
    void nonlinearCustomOpDeclaringNothingIsNotAffine() {
        CustomOp cube = CustomOp.builder("cubeNothing").arity(1)
                .primal(x -> x[0].pow(3.0))
                .jvp((x, y, dx) -> dx[0].mul(x[0].square().mul(3)))
                .vjp((x, y, gy) -> new Tensor[] {gy.mul(x[0].square().mul(3))})
                .vjpReads(VjpReads.nothing())
                .build();
        Tensor x = Tensor.of(new double[] {0.5, 2.0}, 2), v = Tensor.ones(2);
        TensorFunction f = q -> cube.apply(q).sum();
        assertEquals(15.0, nested(f, x, v, 2).item(), 1e-12); // 6·(0.5 + 2)
        assertEquals(15.0, Diff.directionalDerivative(f, x, v, TaylorOptions.order(2)).derivative(2).item(), 1e-12, "jet: got 0");
        assertEquals(15.0, Diff.laplacian(f, x).laplacian().item(), 1e-12, "laplacian: got 0");
    }

    /** batchLaplacian's independence failure names batchLaplacian and its alternative, not batchJacobian's. */
    @Test
    void batchLaplacianNamesItselfWhenSamplesMix() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Diff.batchLaplacian(z -> z.sub(z.mean(0)).square().sum(1), dev.dualgrad.tensor.TensorRandom.seed(1).normal(4, 2)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("batchLaplacian: f mixes samples: the output of sample")
                && e.getMessage().contains("wrong Laplacians") && e.getMessage().contains("Diff.laplacian") && !e.getMessage().contains("batchJacobian"),
                e.getMessage());
    }

    /** A Laplacian whose stack [n + 1, n] cannot be a Java array is refused by name, not by Tensor.eye or an OutOfMemoryError. */
    @Test
    void aStackPastTheArrayLimitIsRefusedByName() {
        Tensor big = Tensor.zeros(50_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diff.laplacian(z -> z.sum(), big));
        assertTrue(e.getMessage().startsWith("laplacian"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diff.biharmonic(z -> z.sum(), big));
        assertTrue(e.getMessage().startsWith("biharmonic"), e.getMessage());
    }
}
