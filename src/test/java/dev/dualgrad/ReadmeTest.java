package dev.dualgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The README's code runs: every {@code ```java} block of README.md is compiled with javax.tools against the
 * tests' class path (the library as built, JUnit, jqwik) and run. One dynamic test per block, named
 * {@code README.md:<line>} after the line of the block's opening fence; a failure names that line, and a
 * compile error the README line it is on.
 *
 * <p>What a block is:</p>
 * <ul>
 *   <li>A <b>complete compilation unit</b> when one of its lines starts (in column 0) with a top-level type
 *       declaration ({@code class}, {@code interface}, {@code record}, {@code enum}, with any modifiers or
 *       annotations before it). It is compiled as it stands (its imports must be in it) and then run: a type with
 *       {@code public static void main(String[])} is invoked; a class with test methods (JUnit Jupiter's
 *       {@code @Test}, {@code @ParameterizedTest}, {@code @RepeatedTest}, {@code @TestFactory}, jqwik's
 *       {@code @Property}, {@code @Example}) is run through the JUnit Platform, which must find at least one
 *       test and see none fail, and its name must be one that a default Surefire runs ({@code Test*},
 *       {@code *Test}, {@code *Tests}, {@code *TestCase}). A complete block with neither fails, unless marked
 *       compile-only.</li>
 *   <li>Otherwise a <b>list of statements</b>: its {@code import} lines are hoisted, the rest becomes the body
 *       of {@code public static void main(String[] args) throws Throwable} of a generated class, which is
 *       compiled and run. Whatever it prints appears in the test's output.</li>
 * </ul>
 *
 * <p>Markers, the only way to keep a block from running: an HTML comment on the last non-blank line before the
 * opening fence.</p>
 * <ul>
 *   <li>{@code <!-- readme-test: compile-only -->}: compiled, not run (code that needs a user's own data, a
 *       long run, a server).</li>
 *   <li>{@code <!-- readme-test: skip <reason> -->}: neither compiled nor run; the reason is required and
 *       printed (code in another language's clothing, or needing a dependency the tests do not have, e.g.
 *       {@code <!-- readme-test: skip needs Spark -->}).</li>
 * </ul>
 * <p>Any other {@code <!-- readme-test: ... -->} comment, or a marker with no {@code ```java} block after it,
 * fails the test, so a typo never skips a block silently.</p>
 */
class ReadmeTest {
    static final Pattern FENCE_OPEN = Pattern.compile("^(\\s*)```java\\s*$");
    static final Pattern FENCE = Pattern.compile("^\\s*```.*$");
    static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*readme-test:(.*?)-->\\s*$");
    static final Pattern TYPE_DECL = Pattern.compile(
            "^(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*(?:(?:public|protected|private|abstract|final|static|sealed|non-sealed|strictfp)\\s+)*"
                    + "(?:class|interface|enum|record|@interface)\\s+([A-Za-z_$][\\w$]*)");
    static final Pattern PUBLIC_TYPE_DECL = Pattern.compile(
            "^(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*(?:(?:abstract|final|static|sealed|non-sealed|strictfp)\\s+)*public\\s+"
                    + "(?:(?:abstract|final|static|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+([A-Za-z_$][\\w$]*)");
    static final Set<String> TEST_ANNOTATIONS = Set.of("org.junit.jupiter.api.Test",
            "org.junit.jupiter.params.ParameterizedTest", "org.junit.jupiter.api.RepeatedTest",
            "org.junit.jupiter.api.TestFactory", "net.jqwik.api.Property", "net.jqwik.api.Example");
    /** Surefire's default includes, by simple class name. */
    static final Pattern SUREFIRE_DEFAULT = Pattern.compile("Test.*|.*Test|.*Tests|.*TestCase");

    enum Mode { RUN, COMPILE_ONLY, SKIP }

    /** One {@code ```java} block: the README line of its opening fence (1-based), its lines, its marker. */
    record Block(int fenceLine, List<String> lines, Mode mode, String skipReason) {
        String name() {
            return "README.md:" + fenceLine;
        }

        boolean isCompilationUnit() {
            return lines.stream().anyMatch(l -> TYPE_DECL.matcher(l).find());
        }
    }

    /** Java source for a block, with the README line of each of its lines (0 where a line is generated). */
    record Source(String className, String text, int[] readmeLines) {
        int readmeLine(long sourceLine) {
            if (sourceLine < 1 || sourceLine > readmeLines.length) return 0;
            return readmeLines[(int) sourceLine - 1];
        }
    }

    static Path basedir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockOfTheReadmeCompilesAndRuns() throws IOException {
        List<String> readme = Files.readAllLines(basedir().resolve("README.md"), StandardCharsets.UTF_8);
        List<Block> blocks = blocks(readme);
        assertFalse(blocks.isEmpty(), "README.md has no ```java block");
        Path out = basedir().resolve("target/readme-test");
        return blocks.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> check(b, out)));
    }

    /** The {@code ```java} blocks of a Markdown text, with their markers; throws on a stray or unknown marker. */
    static List<Block> blocks(List<String> md) {
        List<Block> blocks = new ArrayList<>();
        boolean inFence = false;
        for (int i = 0; i < md.size(); i++) {
            String line = md.get(i);
            Matcher open = FENCE_OPEN.matcher(line);
            if (!inFence && open.matches()) {
                String indent = open.group(1);
                List<String> body = new ArrayList<>();
                int j = i + 1;
                for (; j < md.size() && !FENCE.matcher(md.get(j)).matches(); j++) {
                    String l = md.get(j);
                    body.add(l.startsWith(indent) ? l.substring(indent.length()) : l.strip());
                }
                if (j == md.size()) throw new IllegalArgumentException("README.md:" + (i + 1) + ": ```java block is never closed");
                Mode mode = Mode.RUN;
                String reason = null;
                int k = i - 1;
                while (k >= 0 && md.get(k).isBlank()) k--;
                Matcher m = k >= 0 ? MARKER.matcher(md.get(k)) : null;
                if (m != null && m.matches()) {
                    String marker = m.group(1).strip();
                    if (marker.equals("compile-only")) {
                        mode = Mode.COMPILE_ONLY;
                    } else if (marker.startsWith("skip") && marker.substring(4).isBlank()) {
                        throw new IllegalArgumentException("README.md:" + (k + 1) + ": a skip marker needs a reason: <!-- readme-test: skip <reason> -->");
                    } else if (marker.startsWith("skip ")) {
                        mode = Mode.SKIP;
                        reason = marker.substring(5).strip();
                    } else {
                        throw new IllegalArgumentException("README.md:" + (k + 1) + ": unknown marker <!-- readme-test: " + marker
                                + " -->; the markers are compile-only and skip <reason>");
                    }
                }
                blocks.add(new Block(i + 1, body, mode, reason));
                i = j;
                continue;
            }
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            if (!inFence && MARKER.matcher(line).matches()) {
                int k = i + 1;
                while (k < md.size() && md.get(k).isBlank()) k++;
                if (k == md.size() || !FENCE_OPEN.matcher(md.get(k)).matches())
                    throw new IllegalArgumentException("README.md:" + (i + 1) + ": a readme-test marker must be followed by a ```java block");
            }
        }
        return blocks;
    }

    /** The Java source of a block: as it stands if it is a compilation unit, else its statements wrapped in a main method. */
    static Source source(Block b) {
        List<String> lines = b.lines();
        if (b.isCompilationUnit()) {
            String name = null;
            for (String l : lines) {
                Matcher pub = PUBLIC_TYPE_DECL.matcher(l);
                if (pub.find()) {
                    name = pub.group(1);
                    break;
                }
            }
            if (name == null) {
                for (String l : lines) {
                    Matcher any = TYPE_DECL.matcher(l);
                    if (any.find()) {
                        name = any.group(1);
                        break;
                    }
                }
            }
            int[] map = new int[lines.size()];
            for (int i = 0; i < map.length; i++) map[i] = b.fenceLine() + 1 + i;
            return new Source(name, String.join("\n", lines) + "\n", map);
        }
        String cls = "ReadmeBlockAtLine" + b.fenceLine();
        List<String> text = new ArrayList<>();
        List<Integer> map = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("import ")) {
                text.add(lines.get(i));
                map.add(b.fenceLine() + 1 + i);
            }
        }
        text.add("public final class " + cls + " { public static void main(String[] args) throws Throwable {");
        map.add(b.fenceLine());
        for (int i = 0; i < lines.size(); i++) {
            text.add(lines.get(i).strip().startsWith("import ") ? "" : lines.get(i));
            map.add(b.fenceLine() + 1 + i);
        }
        text.add("}}");
        map.add(b.fenceLine() + lines.size() + 1);
        return new Source(cls, String.join("\n", text) + "\n", map.stream().mapToInt(Integer::intValue).toArray());
    }

    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /**
     * Compiles a block's source into {@code dir}; returns the compile errors, each with its README line
     * (an empty string when it compiled).
     */
    static String compile(Block b, Source src, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(src.className() + ".java");
        Files.writeString(file, src.text(), StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", testClassPath(), "-d", dir.toString(), "-proc:none",
                    "-encoding", "UTF-8");
            boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjects(file.toFile())).call();
            String errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> "  README.md:" + src.readmeLine(d.getLineNumber()) + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
            if (!ok && errors.isEmpty()) errors = "  javac failed: " + diagnostics.getDiagnostics();
            return ok ? "" : errors;
        }
    }

    static void check(Block b, Path out) throws Throwable {
        String kind = b.isCompilationUnit() ? "compilation unit" : "statements";
        if (b.mode() == Mode.SKIP) {
            System.out.println(b.name() + ": skipped (" + b.skipReason() + ")");
            return;
        }
        Source src = source(b);
        Path dir = out.resolve("line-" + b.fenceLine());
        String errors = compile(b, src, dir);
        if (!errors.isEmpty()) fail(b.name() + ": the ```java block (" + kind + ") does not compile:\n" + errors);
        if (b.mode() == Mode.COMPILE_ONLY) {
            System.out.println(b.name() + ": compiled (compile-only)");
            return;
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ReadmeTest.class.getClassLoader())) {
            List<Class<?>> types = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                    String f = p.getFileName().toString();
                    if (f.endsWith(".class") && !f.contains("$")) types.add(loader.loadClass(f.substring(0, f.length() - 6)));
                }
            }
            Method main = null;
            for (Class<?> t : types) {
                try {
                    Method m = t.getMethod("main", String[].class);
                    if (Modifier.isStatic(m.getModifiers())) {
                        main = m;
                        break;
                    }
                } catch (NoSuchMethodException ignored) {
                    // not this type
                }
            }
            List<Class<?>> testClasses = types.stream().filter(ReadmeTest::hasTests).collect(Collectors.toList());
            if (main == null && testClasses.isEmpty())
                fail(b.name() + ": the ```java block declares no main method and no test to run; mark it "
                        + "<!-- readme-test: compile-only --> if it is only to be compiled");
            if (main != null) {
                System.out.println(b.name() + ": running " + main.getDeclaringClass().getName() + ".main");
                Thread self = Thread.currentThread();
                ClassLoader before = self.getContextClassLoader();
                self.setContextClassLoader(loader);
                try {
                    main.invoke(null, (Object) new String[0]);
                } catch (InvocationTargetException e) {
                    throw new AssertionError(b.name() + ": the ```java block (" + kind + ") throws " + e.getCause(), e.getCause());
                } finally {
                    self.setContextClassLoader(before);
                }
            }
            for (Class<?> t : testClasses) runTests(b, t, loader);
        }
    }

    static boolean hasTests(Class<?> t) {
        for (Method m : t.getDeclaredMethods())
            for (Annotation a : m.getAnnotations())
                if (TEST_ANNOTATIONS.contains(a.annotationType().getName())) return true;
        return false;
    }

    static void runTests(Block b, Class<?> t, ClassLoader loader) {
        if (!SUREFIRE_DEFAULT.matcher(t.getSimpleName()).matches())
            fail(b.name() + ": test class " + t.getSimpleName() + " is not run by a default Surefire, whose includes are "
                    + "Test*, *Test, *Tests and *TestCase");
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(loader);
        try {
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(t)).build(), listener);
            TestExecutionSummary s = listener.getSummary();
            System.out.println(b.name() + ": " + t.getSimpleName() + ": " + s.getTestsSucceededCount() + " of "
                    + s.getTestsFoundCount() + " tests passed");
            if (s.getTestsFoundCount() == 0) fail(b.name() + ": the JUnit Platform found no test in " + t.getName());
            if (s.getTotalFailureCount() > 0 || s.getTestsSucceededCount() != s.getTestsFoundCount()) {
                StringBuilder why = new StringBuilder();
                s.getFailures().forEach(f -> why.append("\n  ").append(f.getTestIdentifier().getDisplayName()).append(": ")
                        .append(f.getException()));
                AssertionError e = new AssertionError(b.name() + ": " + t.getSimpleName() + ": " + s.getTotalFailureCount()
                        + " of " + s.getTestsFoundCount() + " tests failed, " + s.getTestsSkippedCount() + " skipped, "
                        + s.getTestsAbortedCount() + " aborted" + why);
                s.getFailures().forEach(f -> e.addSuppressed(f.getException()));
                throw e;
            }
        } finally {
            self.setContextClassLoader(before);
        }
    }

    // ---- the rules themselves, on small Markdown texts: each check can fail ----

    static List<Block> parse(String md) {
        return blocks(List.of(md.split("\n", -1)));
    }

    static Throwable failureOf(String md) throws IOException {
        Block b = parse(md).get(0);
        Path out = Files.createTempDirectory("readme-test");
        return assertThrows(Throwable.class, () -> check(b, out));
    }

    @Test
    void blocksAreFoundWithTheirLinesAndMarkers() {
        List<Block> bs = parse("# t\n\n```java\nint a = 1;\n```\n\n```bash\nls\n```\n<!-- readme-test: compile-only -->\n\n"
                + "```java\nclass A {}\n```\n<!-- readme-test: skip needs Spark -->\n```java\nx\n```\n");
        assertEquals(3, bs.size());
        assertEquals(3, bs.get(0).fenceLine());
        assertEquals(List.of("int a = 1;"), bs.get(0).lines());
        assertEquals(Mode.RUN, bs.get(0).mode());
        assertFalse(bs.get(0).isCompilationUnit());
        assertEquals(12, bs.get(1).fenceLine());
        assertEquals(Mode.COMPILE_ONLY, bs.get(1).mode());
        assertTrue(bs.get(1).isCompilationUnit());
        assertEquals(Mode.SKIP, bs.get(2).mode());
        assertEquals("needs Spark", bs.get(2).skipReason());
    }

    @Test
    void anUnknownOrStrayOrReasonlessMarkerIsAnError() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> parse("<!-- readme-test: compileonly -->\n```java\nint a;\n```\n"));
        assertTrue(typo.getMessage().startsWith("README.md:1: unknown marker"), typo.getMessage());
        IllegalArgumentException stray = assertThrows(IllegalArgumentException.class,
                () -> parse("<!-- readme-test: compile-only -->\n\ntext\n```java\nint a;\n```\n"));
        assertTrue(stray.getMessage().startsWith("README.md:1: a readme-test marker must be followed"), stray.getMessage());
        IllegalArgumentException reasonless = assertThrows(IllegalArgumentException.class,
                () -> parse("<!-- readme-test: skip -->\n```java\nint a;\n```\n"));
        assertTrue(reasonless.getMessage().contains("needs a reason"), reasonless.getMessage());
    }

    @Test
    void aCompileErrorNamesTheBlockAndItsReadmeLine() throws IOException {
        Throwable e = failureOf("text\n\n```java\nimport dev.dualgrad.tensor.Tensor;\n\nTensor t = Tensor.vector(1, 2);\nTensorFunction f = z -> z;\n```\n");
        assertTrue(e.getMessage().startsWith("README.md:3: the ```java block (statements) does not compile"), e.getMessage());
        assertTrue(e.getMessage().contains("README.md:7: cannot find symbol"), e.getMessage());
    }

    @Test
    void aThrowingBlockNamesItsLine() throws IOException {
        Throwable e = failureOf("\n```java\nimport dev.dualgrad.tensor.Tensor;\nTensor.vector(1, 2).add(Tensor.vector(1, 2, 3));\n```\n");
        assertTrue(e.getMessage().startsWith("README.md:2: the ```java block (statements) throws"), e.getMessage());
    }

    @Test
    void aTestClassMustPassAndBeFoundByADefaultSurefire() throws IOException {
        String failing = "```java\nimport org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n"
                + "class %s {\n    @Test\n    void t() { assertEquals(1, %s); }\n}\n```\n";
        Throwable fails = failureOf(String.format(failing, "SnippetTest", "2"));
        assertTrue(fails.getMessage().startsWith("README.md:1: SnippetTest: 1 of 1 tests failed"), fails.getMessage());
        Throwable misnamed = failureOf(String.format(failing, "SnippetProperties", "1"));
        assertTrue(misnamed.getMessage().contains("is not run by a default Surefire"), misnamed.getMessage());
    }

    @Test
    void aCompleteBlockWithNothingToRunMustBeMarked() throws IOException {
        Throwable e = failureOf("```java\nclass Nothing {}\n```\n");
        assertTrue(e.getMessage().contains("declares no main method and no test"), e.getMessage());
    }

    @Test
    void theTestClassPathHasTheLibrary() {
        assertTrue(List.of(testClassPath().split(File.pathSeparator)).stream()
                .anyMatch(p -> Path.of(p).toAbsolutePath().equals(basedir().resolve("target/classes"))), testClassPath());
    }
}
