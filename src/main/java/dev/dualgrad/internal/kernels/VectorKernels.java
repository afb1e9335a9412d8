package dev.dualgrad.internal.kernels;

/**
 * Loads the Vector API kernels when they can run: the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and {@code -Ddualgrad.vector=false} was not given. The
 * kernels live in their own classes so that, without the module, nothing that links against it is loaded
 * and the plain-Java kernels run. Decided once per kernel, at class initialisation.
 */
final class VectorKernels {
    private VectorKernels() {}

    static boolean available() {
        return !"false".equals(System.getProperty("dualgrad.vector")) && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** A new instance of the named kernel class, or null when the Vector API is not available. */
    static <T> T load(String className, Class<T> type) {
        if (!available()) return null;
        try {
            return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
