package dev.dualgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Tensor;
import dev.dualgrad.tensor.TensorRandom;
import dev.dualgrad.testing.GradCheck;
import dev.dualgrad.transforms.JacobianMode;
import dev.dualgrad.transforms.JacobianOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builders of {@link CustomOp}: their checks and messages, the default and declared VJP reads, the rules' shapes. */
class CustomOpTest {
    /** x₀ ⊙ x₁: ẏ = ẋ₀ ⊙ x₁ + x₀ ⊙ ẋ₁, x̄₀ = ȳ ⊙ x₁, x̄₁ = ȳ ⊙ x₀. */
    private static CustomOp.Builder product() {
        return CustomOp.builder("product").arity(2).primal(x -> x[0].mul(x[1]))
                .jvp((x, y, dx) -> dx[0].mul(x[1]).add(x[0].mul(dx[1])))
                .vjp((x, y, gy) -> new Tensor[] {gy.mul(x[1]), gy.mul(x[0])});
    }

    /** eˣ with its rules written on the output: ẏ = y ⊙ ẋ, x̄ = ȳ ⊙ y. */
    private static CustomOp.Builder myExp() {
        return CustomOp.builder("myExp").arity(1).primal(x -> x[0].exp())
                .jvp((x, y, dx) -> dx[0].mul(y))
                .vjp((x, y, gy) -> new Tensor[] {gy.mul(y)});
    }

    @Test
    void buildNamesEveryMissingStep() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CustomOp.builder("empty").build());
        assertEquals("CustomOp empty: a nonlinear op needs its arity, primal, JVP rule and VJP rule; missing arity(n), the number of tensor"
                + " arguments, primal(f), jvp(rule), which forward mode uses, vjp(rule), which reverse mode uses. For an op linear in its"
                + " arguments, CustomOp.linear needs only its adjoint.", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> CustomOp.builder("noVjp").arity(1).primal(x -> x[0]).jvp((x, y, dx) -> dx[0]).build());
        assertEquals("CustomOp noVjp: a nonlinear op needs its arity, primal, JVP rule and VJP rule; missing vjp(rule), which reverse mode uses",
                e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> CustomOp.builder("noArity").primal(x -> x[0]).jvp((x, y, dx) -> dx[0])
                .vjp((x, y, g) -> new Tensor[] {g}).build());
        assertTrue(e.getMessage().endsWith("missing arity(n), the number of tensor arguments"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> CustomOp.linear("lin").arity(1).build());
        assertEquals("CustomOp lin: a linear op needs its arity, primal and adjoint; missing primal(f), adjoint(a), which reverse mode uses", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> CustomOp.linear("lin").primal(x -> x[0]).adjoint((g, s) -> new Tensor[] {g}).build());
        assertTrue(e.getMessage().endsWith("missing arity(n), the number of tensor arguments"), e.getMessage());
    }

    @Test
    void wrongArityNamesAndNullRulesAreRefusedWhenGiven() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> CustomOp.builder("zero").arity(0));
        assertEquals("CustomOp zero: arity must be ≥ 1, got 0", a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CustomOp.linear("neg").arity(-1));
        assertThrows(IllegalArgumentException.class, () -> CustomOp.builder(" "));
        assertThrows(IllegalArgumentException.class, () -> CustomOp.linear(null));
        NullPointerException n = assertThrows(NullPointerException.class, () -> CustomOp.builder("nul").jvp(null));
        assertEquals("CustomOp nul: jvp(rule): rule is null", n.getMessage());
        assertThrows(NullPointerException.class, () -> CustomOp.builder("nul").primal(null));
        assertThrows(NullPointerException.class, () -> CustomOp.builder("nul").vjp(null));
        assertThrows(NullPointerException.class, () -> CustomOp.builder("nul").vjpReads(null));
        assertThrows(NullPointerException.class, () -> CustomOp.linear("nul").adjoint(null));
        // a declared read beyond the arguments
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> product().vjpReads(VjpReads.inputs(0, 2)).build());
        assertEquals("CustomOp product: vjpReads names argument 2 but the op takes 2 arguments (positions 0..1)", e.getMessage());
    }

    @Test
    void applyChecksTheArgumentCount() {
        CustomOp op = product().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(Tensor.ones(2)));
        assertEquals("product: takes 2 arguments, got 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> op.apply(Tensor.ones(2), Tensor.ones(2), Tensor.ones(2)));
        e = assertThrows(IllegalArgumentException.class, () -> myExp().build().apply(Tensor.ones(2), Tensor.ones(2)));
        assertEquals("myExp: takes 1 argument, got 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> op.apply(Tensor.ones(2), null));
        assertArrayEquals(new double[] {3, 8}, op.apply(Tensor.vector(1, 2), Tensor.vector(3, 4)).toArray(), 0);
    }

    @Test
    void accessorsDescribeTheOp() {
        CustomOp p = product().build();
        assertEquals("product", p.name());
        assertEquals(2, p.arity());
        assertFalse(p.isLinear());
        assertEquals(VjpReads.inputsAndOutput(), p.vjpReads());
        assertEquals("CustomOp product (nonlinear, arity 2, vjp reads all inputs and output)", p.toString());
        CustomOp l = CustomOp.linear("twice").arity(1).primal(x -> x[0].mul(2)).adjoint((g, s) -> new Tensor[] {g.mul(2)}).build();
        assertTrue(l.isLinear());
        assertEquals(VjpReads.nothing(), l.vjpReads());
        assertEquals("CustomOp twice (linear, arity 1, vjp reads nothing)", l.toString());
    }

    /**
     * What a pullback keeps of a custom op: by default (user code's explicit default) every argument and
     * the output; what {@code vjpReads} declares otherwise; nothing for a linear op. x and w are [4]:
     * the primal runs on concrete values one level down, so only the op's own node keeps anything.
     */
    @Test
    void theTapeKeepsTheDeclaredValues() {
        Tensor x = Tensor.vector(1, 2, 3, 4), w = Tensor.vector(-1, 0.5, 2, 3);
        assertEquals(4 + 4 + 4, Diff.vjp(xs -> product().build().apply(xs).sum(), x, w).retainedElements());
        assertEquals(4 + 4, Diff.vjp(xs -> product().vjpReads(VjpReads.allInputs()).build().apply(xs).sum(), x, w).retainedElements());
        assertEquals(4, Diff.vjp(z -> myExp().vjpReads(VjpReads.output()).build().apply(z).sum(), x).retainedElements());
        CustomOp twice = CustomOp.linear("twice").arity(1).primal(v -> v[0].mul(2)).adjoint((g, s) -> new Tensor[] {g.mul(2)}).build();
        assertEquals(0, Diff.vjp(z -> twice.apply(z).sum(), x).retainedElements());
        // and the gradients are the true ones: ∂Σ x⊙w/∂x = w, ∂/∂w = x; ∂Σ eˣ/∂x = eˣ; ∂Σ 2x/∂x = 2
        Tensor[] g = Diff.grad(xs -> product().vjpReads(VjpReads.allInputs()).build().apply(xs).sum(), x, w).toArray();
        assertArrayEquals(w.toArray(), g[0].toArray(), 0);
        assertArrayEquals(x.toArray(), g[1].toArray(), 0);
        double[] e = Diff.grad(z -> myExp().vjpReads(VjpReads.output()).build().apply(z).sum(), x).toArray();
        for (int i = 0; i < 4; i++) assertEquals(Math.exp(i + 1), e[i], 1e-15 * Math.exp(i + 1));
        assertArrayEquals(new double[] {2, 2, 2, 2}, Diff.grad(z -> twice.apply(z).sum(), x).toArray(), 0);
    }

    @Test
    void aRuleReadingAnUndeclaredValueIsNamed() {
        CustomOp op = myExp().vjpReads(VjpReads.nothing()).build(); // wrong: the rule reads y
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Diff.grad(z -> op.apply(z).sum(), Tensor.vector(1, 2)));
        assertTrue(e.getMessage().startsWith("myExp: the VJP rule read a value that vjpReads (nothing) says it does not read"), e.getMessage());
        // declared correctly, the same rule passes every check, second order included
        GradCheck.of(z -> myExp().vjpReads(VjpReads.output()).build().apply(z), TensorRandom.seed(3).normal(2, 3)).assertPasses();
    }

    /** k tangent directions travel as [k, ...shape]; the rule is called once per direction with the argument's own shape. */
    @Test
    void rulesSeeOneDirectionAtATimeShapedLikeTheirArguments() {
        List<int[]> tangentShapes = new ArrayList<>(), cotangentShapes = new ArrayList<>();
        CustomOp cube = CustomOp.builder("cube").arity(1).primal(x -> x[0].pow(3.0))
                .jvp((x, y, dx) -> {
                    tangentShapes.add(dx[0].shape());
                    return dx[0].mul(x[0].square().mul(3));
                })
                .vjp((x, y, gy) -> {
                    cotangentShapes.add(gy.shape());
                    return new Tensor[] {gy.mul(x[0].square().mul(3))};
                })
                .vjpReads(VjpReads.allInputs())
                .build();
        double[] v = {0.5, -1, 2, 1.5, -0.25, 3};
        Tensor x = Tensor.of(v, 2, 3);
        Tensor jf = Diff.jacobian(cube::apply, x, JacobianOptions.defaults().mode(JacobianMode.FORWARD));
        Tensor jr = Diff.jacobian(cube::apply, x, JacobianOptions.defaults().mode(JacobianMode.REVERSE));
        assertEquals(6, tangentShapes.size());   // 6 directions, one call each
        assertEquals(6, cotangentShapes.size());
        for (int[] s : tangentShapes) assertArrayEquals(new int[] {2, 3}, s);
        for (int[] s : cotangentShapes) assertArrayEquals(new int[] {2, 3}, s);
        assertArrayEquals(new int[] {2, 3, 2, 3}, jf.shape());
        double[] f = jf.toArray(), r = jr.toArray();
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                double expected = i == j ? 3 * v[i] * v[i] : 0; // ∂(x_i³)/∂x_j
                assertEquals(expected, f[i * 6 + j], 1e-14, "forward J[" + i + "," + j + "]");
                assertEquals(expected, r[i * 6 + j], 1e-14, "reverse J[" + i + "," + j + "]");
            }
        }
    }

    /** A linear op's adjoint gets the argument shapes: here it splits ȳ back into the two parts of a concatenation. */
    @Test
    void aLinearAdjointGetsTheArgumentShapes() {
        List<int[][]> seen = new ArrayList<>();
        CustomOp join = CustomOp.linear("join").arity(2).primal(x -> Tensor.concat(0, x[0], x[1]))
                .adjoint((gy, shapes) -> {
                    seen.add(shapes);
                    int n = shapes[0][0];
                    return new Tensor[] {gy.slice(0, 0, n), gy.slice(0, n, gy.dim(0))};
                })
                .build();
        Tensor a = Tensor.vector(1, 2), b = Tensor.vector(3, 4, 5), u = Tensor.vector(10, 20, 30, 40, 50);
        Tensor[] g = Diff.grad(xs -> join.apply(xs).mul(u).sum(), a, b).toArray();
        assertArrayEquals(new double[] {10, 20}, g[0].toArray(), 0);
        assertArrayEquals(new double[] {30, 40, 50}, g[1].toArray(), 0);
        assertEquals(1, seen.size());
        assertArrayEquals(new int[][] {{2}, {3}}, seen.get(0));
        // its JVP is the primal on the tangents
        Tensor t = Diff.jvp(xs -> join.apply(xs), new Tensor[] {a, b}, new Tensor[] {Tensor.vector(1, 0), Tensor.vector(0, 0, 7)}).tangent();
        assertArrayEquals(new double[] {1, 0, 0, 0, 7}, t.toArray(), 0);
    }

    @Test
    void aStepGivenTwiceKeepsTheLaterValue() {
        CustomOp op = CustomOp.builder("cube").arity(1).primal(x -> x[0].pow(3.0))
                .jvp((x, y, dx) -> dx[0].mul(7))                          // wrong, then replaced
                .jvp((x, y, dx) -> dx[0].mul(x[0].square().mul(3)))
                .vjp((x, y, gy) -> new Tensor[] {gy.mul(x[0].square().mul(3))})
                .build();
        assertEquals(3 * 4.0, Diff.jvp(z -> op.apply(z), Tensor.vector(2), Tensor.vector(1)).tangent().item(), 0);
    }

    @Test
    void vjpReadsValues() {
        assertEquals("nothing", VjpReads.nothing().toString());
        assertEquals("output", VjpReads.output().toString());
        assertEquals("all inputs", VjpReads.allInputs().toString());
        assertEquals("inputs [0, 2] and output", VjpReads.inputs(2, 0).andOutput().toString());
        assertEquals(VjpReads.inputsAndOutput(), VjpReads.allInputs().andOutput());
        assertEquals(VjpReads.inputs(1, 0), VjpReads.inputs(0, 1));
        assertEquals(VjpReads.inputs(1, 0).hashCode(), VjpReads.inputs(0, 1).hashCode());
        assertNotEquals(VjpReads.inputs(0), VjpReads.inputs(0).andOutput());
        assertNotEquals(VjpReads.allInputs(), VjpReads.inputs(0));
        VjpReads r = VjpReads.inputs(1);
        assertTrue(r.readsInput(1) && !r.readsInput(0) && !r.readsInput(-1) && !r.readsOutput() && !r.readsAllInputs());
        assertTrue(VjpReads.allInputs().readsInput(99) && VjpReads.output().readsOutput());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VjpReads.inputs());
        assertTrue(e.getMessage().contains("VjpReads.nothing()"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VjpReads.inputs(-1));
    }
}
