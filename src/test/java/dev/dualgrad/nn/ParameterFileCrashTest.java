package dev.dualgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dualgrad.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM saves two models in turn to one path, as fast as it can, and is killed with SIGKILL at a
 * random moment, many times over. While it runs, this JVM loads the file again and again; after each kill
 * it loads it once more. Every load must give exactly the old or the new model, never an error, a missing
 * file or a mix. A kill can leave the killed writer's temporary file behind (as ParameterFile documents):
 * the test checks that nothing else is ever left, that such files have the documented name, and counts
 * them as the kills that landed in the middle of a save.
 */
class ParameterFileCrashTest {
    static final int KILLS = 40;
    static final int MAX_DELAY_MS = 60;
    static final Pattern STRAY = Pattern.compile("\\.crash\\.params\\.[0-9]+\\.tmp");

    static Mlp model(int which) {
        return Mlp.of(64, 256, 64).seed(which == 0 ? 1 : 2).build();
    }

    /** The child: saves model(first), model(1 - first), model(first), … to args[0]; says "ready" after the first save. */
    public static final class Saver {
        public static void main(String[] args) throws IOException {
            Path f = Paths.get(args[0]);
            int first = Integer.parseInt(args[1]);
            Mlp[] m = {model(first), model(1 - first)};
            for (long i = 0; ; i++) {
                m[(int) (i & 1)].save(f);
                if (i == 0) {
                    System.out.println("ready");
                    System.out.flush();
                }
            }
        }
    }

    @Test
    void aWriterKilledAtAnyMomentLeavesTheOldOrTheNewModelAndRacingLoadsNeverFail(@TempDir Path dir, @TempDir Path logs) throws Exception {
        List<Map<String, Tensor>> models = List.of(model(0).parameters(), model(1).parameters());
        Path f = dir.resolve("crash.params");
        String java = ProcessHandle.current().info().command().orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        Random random = new Random(11);
        int[] after = new int[2];
        int midSave = 0, racingLoads = 0, strays = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Path err = logs.resolve("child-" + kill + ".err");
            Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                    "-cp", System.getProperty("java.class.path"), Saver.class.getName(), f.toString(), String.valueOf(kill % 2))
                    .redirectError(err.toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                if (!"ready".equals(line)) fail("child " + kill + " said " + line + "; its stderr: " + Files.readString(err));
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(MAX_DELAY_MS + 1));
                while (System.nanoTime() < until) {
                    Map<String, Tensor> read;
                    try {
                        read = ParameterFile.read(f);
                    } catch (IOException e) {
                        throw new AssertionError("a load racing child " + kill + "'s saves failed: " + e, e);
                    }
                    assertTrue(ParameterFileConcurrencyTest.which(read, models) >= 0, "a racing load is neither model");
                    racingLoads++;
                }
            } finally {
                p.destroyForcibly(); // SIGKILL on Linux and macOS
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            }
            Map<String, Tensor> read;
            try {
                read = ParameterFile.read(f);
            } catch (IOException e) {
                throw new AssertionError("after kill " + kill + " the file does not load: " + e, e);
            }
            int k = ParameterFileConcurrencyTest.which(read, models);
            assertTrue(k >= 0, "after kill " + kill + " the file is neither model");
            after[k]++;
            Set<String> names = ParameterFileTest.names(dir);
            names.remove("crash.params");
            for (String n : names) assertTrue(STRAY.matcher(n).matches(), "after kill " + kill + " an unexpected file is left: " + n);
            assertTrue(names.size() <= strays + 1, "one kill left " + (names.size() - strays) + " temporary files");
            if (names.size() > strays) midSave++;
            strays = names.size();
        }
        System.out.printf("ParameterFileCrashTest: %d kills, %d landed mid-save (left a temp file), file after a kill: %d x model A, %d x model B, "
                + "%d racing loads%n", KILLS, midSave, after[0], after[1], racingLoads);
        assertTrue(after[0] > 0 && after[1] > 0, "kills fell between different saves: " + after[0] + " / " + after[1]);
        assertTrue(midSave > 0, "some kills landed in the middle of a save");
        assertEquals(strays, ParameterFileTest.names(dir).size() - 1);
    }
}
