package dev.dualgrad.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** One local[2] session for every test class of the run (Surefire reuses one JVM): the session starts once. */
public final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {}

    /** @return the shared session, started at the first call */
    public static synchronized SparkSession get() {
        if (session == null) {
            long t0 = System.nanoTime();
            session = SparkSession.builder().master("local[2]").appName("dualgrad-spark-tests").config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4").config("spark.driver.host", "127.0.0.1").getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            System.out.printf("Spark %s session started in %d ms%n", session.version(), (System.nanoTime() - t0) / 1_000_000);
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }

    /** @return the shared session's Java context */
    public static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(get().sparkContext());
    }
}
