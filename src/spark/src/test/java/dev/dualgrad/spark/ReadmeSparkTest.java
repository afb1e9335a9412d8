package dev.dualgrad.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Running on Spark" section: each of its {@code ```java} blocks (which the core's ReadmeTest
 * skips, having no Spark) compiles here against this project's test class path, Spark included. Blocks are
 * statement lists: their imports are hoisted, the rest becomes a method body. Compiled, not run (they would
 * start a session of their own).
 */
class ReadmeSparkTest {
    @TempDir
    Path out;

    @Test
    void everyJavaBlockOfTheSparkSectionCompiles() throws IOException {
        Path readme = Path.of(System.getProperty("dualgrad.readme", "../../README.md"));
        List<String> lines = Files.readAllLines(readme);
        int start = lines.indexOf("## Running on Spark");
        assertTrue(start >= 0, readme + " has no section \"## Running on Spark\"");
        List<JavaFileObject> units = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            if (!lines.get(i).trim().equals("```java")) continue;
            int fence = i + 1;
            StringBuilder imports = new StringBuilder(), body = new StringBuilder();
            for (i++; !lines.get(i).trim().startsWith("```"); i++) {
                String l = lines.get(i);
                (l.startsWith("import ") ? imports : body).append(l).append('\n');
            }
            String name = "ReadmeBlock" + fence;
            String src = imports + "public class " + name + " {\n  public static void main(String[] args) throws Throwable {\n" + body + "  }\n}\n";
            units.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return src;
                }
            });
        }
        assertTrue(units.size() >= 2, "found " + units.size() + " java blocks in the Spark section");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> d = new DiagnosticCollector<>();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        boolean ok = javac.getTask(null, null, d, List.of("-classpath", cp, "-d", out.toString(), "-proc:none"), null, units).call();
        assertTrue(ok, "README.md's Spark blocks (the class name carries the block's first line): " + d.getDiagnostics());
    }
}
