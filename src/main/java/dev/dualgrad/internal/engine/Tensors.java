package dev.dualgrad.internal.engine;

import dev.dualgrad.tensor.Tensor;

/**
 * The engine's access to a {@link Tensor}'s internals: its backing array, its level, its primal or
 * value one level down, its tangent and its tape node. {@code Tensor} hands this package an
 * {@link Access} when it is initialised; the package is not exported by the module, so users never
 * reach a live array or a level.
 */
public final class Tensors {
    private Tensors() {}

    /**
     * Thrown when a value of a shape-only stand-in is read: a rule read what it declared it does not read.
     * The Taylor fallback also uses it to learn whether a JVP rule reads its output.
     */
    public static final class ValueNotKept extends IllegalStateException {
        public ValueNotKept(String message) {
            super(message);
        }
    }

    /** What {@code Tensor} exposes to the engine; implemented inside {@code Tensor}. */
    public interface Access {
        Tensor adopt(double[] data, int[] shape);
        Tensor shapeOnly(Tensor x);
        boolean isShapeOnly(Tensor x);
        Tensor dual(Level level, Tensor primal, Tensor tangent);
        Tensor traced(Level level, Tensor value, int node);
        Level level(Tensor x);
        Tensor inner(Tensor x);
        Tensor tangentPart(Tensor x);
        int node(Tensor x);
        double[] buffer(Tensor x);
        Tensor mulStrongZero(Tensor a, Tensor b);
        byte finiteness(Tensor x);
        void finiteness(Tensor x, byte f);
    }

    private static final byte UNKNOWN = 0, FINITE = 1, NOT_FINITE = 2;

    private static Access access;

    /** Called once, by {@code Tensor}'s static initialiser. */
    public static synchronized void install(Access a) {
        if (access != null) throw new IllegalStateException("Tensor access is installed already");
        access = a;
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try { // Tensor installs it from its static initialiser
                Class.forName(Tensor.class.getName(), true, Tensors.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    /** A concrete tensor that takes ownership of {@code data} without copying; the caller never writes to it again. */
    public static Tensor adopt(double[] data, int... shape) { return access().adopt(data, shape); }

    /**
     * {@link #adopt} for values the caller knows to be finite (it computed them and saw no ±∞ or NaN), so that
     * {@link #allFinite} never scans them.
     */
    public static Tensor adoptFinite(double[] data, int... shape) {
        Tensor t = adopt(data, shape);
        access().finiteness(t, FINITE);
        return t;
    }

    /**
     * True when no value of the concrete tensor x is ±∞ or NaN: what the strong-zero products ask of their
     * operands before taking the IEEE product. The answer is kept on the tensor, whose values never change, so a
     * tensor is scanned at most once (a weight is asked at every product; a tangent stack of several MB by each
     * op that reads it). A benign race: two threads may both scan, and both store the same answer.
     */
    public static boolean allFinite(Tensor x) {
        Access a = access();
        byte f = a.finiteness(x);
        if (f == UNKNOWN) {
            f = dev.dualgrad.internal.kernels.Elementwise.allFinite(a.buffer(x)) ? FINITE : NOT_FINITE;
            a.finiteness(x, f);
        }
        return f == FINITE;
    }

    /** A stand-in that keeps only the shape of {@code x}: reading its values throws. */
    public static Tensor shapeOnly(Tensor x) { return access().shapeOnly(x); }

    /** True for a {@link #shapeOnly} stand-in. */
    public static boolean isShapeOnly(Tensor x) { return access().isShapeOnly(x); }

    /** A dual tensor of {@code level}: {@code primal} one level down and its tangent {@code [k..., primal.shape]}. */
    public static Tensor dual(Level level, Tensor primal, Tensor tangent) { return access().dual(level, primal, tangent); }

    /** A tensor recorded as {@code node} on the tape {@code level}. */
    public static Tensor traced(Level level, Tensor value, int node) { return access().traced(level, value, node); }

    /** The level {@code x} belongs to, or null for a concrete tensor. */
    public static Level level(Tensor x) { return access().level(x); }

    /** The primal (dual level) or value (tape level) of {@code x} one level down. */
    public static Tensor inner(Tensor x) { return access().inner(x); }

    /** The tangent of a dual tensor, {@code [k..., shape]}; null otherwise. */
    public static Tensor tangentPart(Tensor x) { return access().tangentPart(x); }

    /** The tape node of a traced tensor; -1 otherwise. */
    public static int node(Tensor x) { return access().node(x); }

    /** The backing array, not a copy: never write to it. */
    public static double[] buffer(Tensor x) { return access().buffer(x); }

    /** a·b elementwise where 0·(anything, even ∞ or NaN) is 0: the product every derivative rule uses. */
    public static Tensor mulStrongZero(Tensor a, Tensor b) { return access().mulStrongZero(a, b); }
}
