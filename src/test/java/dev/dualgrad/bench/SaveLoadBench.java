package dev.dualgrad.bench;

import dev.dualgrad.nn.Mlp;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times {@code Module.save} (checksummed, written to a temporary file, forced to the device, renamed
 * atomically, directory forced) and {@code Module.load} (checked whole: sizes, names, checksum) for the
 * digits MLP of the examples, Mlp[64, 64, 10], and for a model of about a million parameters,
 * Mlp[1000, 1000, 10]. Median of several runs after a warm-up; prints JSON. Not a test.
 *
 * <p>Run: {@code mvn -B -ntp -q test-compile exec:java -Dexec.mainClass=dev.dualgrad.bench.SaveLoadBench
 * [-Dexec.args="DIR RUNS"]}. DIR (default: a new temporary directory) decides the file system, and so what
 * an fsync costs: on tmpfs it is nearly free, on a disk it dominates the save of a small model.</p>
 */
public final class SaveLoadBench {
    private SaveLoadBench() {}

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Paths.get(args[0]) : Files.createTempDirectory("dualgrad-bench");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        FileStore store = Files.getFileStore(dir);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "{\"java\": \"%s\", \"dir\": \"%s\", \"filesystem\": \"%s\", \"runs\": %d, \"results\": {",
                System.getProperty("java.version"), dir, store.type(), runs));
        int[][] shapes = {{64, 64, 10}, {1000, 1000, 10}};
        for (int s = 0; s < shapes.length; s++) {
            Mlp model = Mlp.of(shapes[s]).seed(7).build();
            Mlp other = Mlp.of(shapes[s]).seed(8).build();
            Path f = dir.resolve("bench-" + s + ".params");
            for (int i = 0; i < 5; i++) { // warm-up
                model.save(f);
                other.load(f);
            }
            double[] save = new double[runs], load = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                model.save(f);
                long t1 = System.nanoTime();
                other.load(f);
                long t2 = System.nanoTime();
                save[i] = (t1 - t0) / 1e3;
                load[i] = (t2 - t1) / 1e3;
            }
            long bytes = Files.size(f);
            Files.delete(f);
            sb.append(s == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    " \"%s\": {\"parameters\": %d, \"file_bytes\": %d, \"save_median_us\": %.1f, \"load_median_us\": %.1f,"
                            + " \"save_min_us\": %.1f, \"load_min_us\": %.1f, \"save_MB_per_s\": %.1f, \"load_MB_per_s\": %.1f}",
                    "Mlp" + Arrays.toString(shapes[s]), model.parameterCount(), bytes, median(save), median(load), min(save), min(load),
                    bytes / median(save), bytes / median(load)));
        }
        System.out.println(sb.append("\n}}"));
        if (args.length == 0) Files.delete(dir);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
