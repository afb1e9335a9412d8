package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One active differentiation transform: a {@code jvp} tag (forward mode) or a tape (reverse mode).
 *
 * <p>Levels nest like JAX's traces. A level opened while another is open on the same thread is its
 * child and sits one level deeper. A tensor belongs to at most one level, its top; its primal (or
 * value) and its tangent belong to strictly shallower levels. An op sees the deepest level among its
 * inputs, lets that level split the inputs one level down, and recurses; so {@code grad} of a
 * function that calls {@code jvp} records the tangent arithmetic on the tape, and two nested
 * {@code jvp} calls never mix their tangents.</p>
 *
 * <p>Two levels that are not on one chain of parents (opened on different threads, or by a call
 * that has returned) cannot be ordered; an op that meets both throws rather than guess
 * (perturbation confusion, Siskind and Pearlmutter 2005). The only state shared between threads is
 * the id counter.</p>
 */
public abstract class Level {
    private static final AtomicLong IDS = new AtomicLong();
    private static final ThreadLocal<Level> CURRENT = new ThreadLocal<>();

    private final long id = IDS.incrementAndGet();
    private final Level parent;
    private final int depth;
    private final String transform;
    private volatile boolean active = true;

    /** Opens a level as a child of the innermost level open on this thread. Close it with {@link #close()}. */
    protected Level(String transform) {
        this.transform = transform;
        this.parent = CURRENT.get();
        this.depth = parent == null ? 1 : parent.depth + 1;
        CURRENT.set(this);
    }

    /** Applies {@code p} to inputs of which at least one belongs to this level (the deepest one present). */
    public abstract Tensor apply(Primitive p, Tensor[] inputs);

    /** Ends this level's scope; tensors of this level met by later ops are an error. */
    public void close() {
        active = false;
        if (CURRENT.get() == this) CURRENT.set(parent);
    }

    /** Whether any transform is running on this thread (a function called now may close over its tensors). */
    public static boolean anyActiveOnThisThread() {
        return CURRENT.get() != null;
    }

    public boolean isActive() {
        return active;
    }

    public int depth() {
        return depth;
    }

    public String transform() {
        return transform;
    }

    @Override
    public String toString() {
        return transform + "#" + id;
    }

    /** True when {@code this} is {@code other} or encloses it. */
    boolean encloses(Level other) {
        Level l = other;
        while (l != null && l.depth > depth) l = l.parent;
        return l == this;
    }

    /** The deepest level among the inputs, after checking that they all lie on one chain. */
    static Level top(String op, Tensor[] inputs) {
        Level top = null;
        for (Tensor t : inputs) {
            Level l = Tensors.level(t);
            if (l == null || l == top) continue;
            if (!l.active) throw escaped(op, l);
            if (top == null || (l.depth > top.depth && top.encloses(l))) top = l;
            else if (!(l.depth < top.depth && l.encloses(top))) throw confused(op, top, l);
        }
        return top;
    }

    private static IllegalStateException escaped(String op, Level l) {
        return new IllegalStateException(op + ": an input carries a " + (l.transform.equals("vjp") ? "tape node" : "tangent")
                + " of a " + l.transform + " call (" + l + ") that has already returned. A tensor computed inside a"
                + " transform escaped it (stored in a field or a captured variable?). Return it from the function"
                + " instead, or call detach() on it if it is meant as a constant.");
    }

    private static IllegalStateException confused(String op, Level a, Level b) {
        return new IllegalStateException(op + ": inputs carry tangents from two unrelated transforms (" + a + " and " + b
                + "), neither nested inside the other (were they started on different threads?). Their perturbations"
                + " cannot be ordered, and mixing them would give a wrong derivative (perturbation confusion)."
                + " Nest the calls, or pass the value in as a constant with detach().");
    }
}
