package dev.dualgrad.spark;

import dev.dualgrad.Diff;
import dev.dualgrad.tensor.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What must be the same on the driver and on every executor for a distributed result to equal the one-JVM
 * result bit for bit: dualgrad's version, its matrix kernel (the Vector API kernel, with its vector width,
 * and the plain kernel give different bits), the Java feature version and the CPU architecture.
 *
 * <p>Every task of this package compares its executor's fingerprint with the driver's before it computes
 * anything, and fails with {@link IllegalStateException} naming both when they differ: a job whose executors
 * lack {@code --add-modules jdk.incubator.vector} (or run another dualgrad) stops instead of silently
 * computing other numbers.</p>
 */
public final class Fingerprint {
    private static volatile String forged;

    private Fingerprint() {}

    /** @return this JVM's fingerprint, e.g. "dualgrad 0.1.0-SNAPSHOT, kernel vector (jdk.incubator.vector), Java 17, amd64" */
    public static String current() {
        return "dualgrad " + dualgradVersion() + ", kernel " + Backend.matmulKernel() + ", Java " + Runtime.version().feature() + ", "
                + System.getProperty("os.arch");
    }

    /** @return dualgrad's version from its jar (META-INF/maven/.../pom.properties), or "unknown" off a jar */
    public static String dualgradVersion() {
        try (InputStream in = Diff.class.getResourceAsStream("/META-INF/maven/dev.dualgrad/dualgrad/pom.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Called by each task before it computes: compares this executor with the driver.
     *
     * @param driver the driver's {@link #current()}, captured when the job was built
     * @throws IllegalStateException when this executor's fingerprint differs, naming both and the fix
     */
    public static void check(String driver) {
        String here = forged != null ? forged : current();
        if (!here.equals(driver)) {
            throw new IllegalStateException("dualgrad-spark: this executor runs [" + here + "] but the driver runs [" + driver + "]; the"
                    + " results would differ from the driver's. Start driver and executors alike: the same dualgrad jar, and"
                    + " --add-modules jdk.incubator.vector in both spark.driver.extraJavaOptions and spark.executor.extraJavaOptions"
                    + " (or -Ddualgrad.vector=false in both)");
        }
    }

    /** Test hook: the fingerprint the executor side reports (null: the real one). Local mode runs one JVM. */
    static void forgeExecutorFingerprint(String fingerprint) {
        forged = fingerprint;
    }
}
