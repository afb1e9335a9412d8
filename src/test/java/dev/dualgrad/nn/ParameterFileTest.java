package dev.dualgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file format of {@link ParameterFile} (version 2) and the guarantees its javadoc makes, one test each. */
class ParameterFileTest {
    @TempDir Path dir;

    // ------------------------------------------------------------------ round trip and layout

    @Test
    void roundTripKeepsEveryBitOfEveryValueAndTheOrder() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("zeta", Tensor.of(new double[] {Double.longBitsToDouble(0x7ff0_0000_0000_0123L), -0.0, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE}, 2, 3));
        m.put("scalar", Tensor.of(new double[] {Math.PI}));
        m.put("empty", Tensor.of(new double[0], 4, 0, 2));
        m.put("", Tensor.of(new double[] {1}, 1));
        m.put("名前 ünïcødé 😀", Tensor.of(new double[] {2, 3}, 2));
        Path f = dir.resolve("m.params");
        ParameterFile.write(f, m);
        Map<String, Tensor> r = ParameterFile.read(f);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(r.keySet()));
        long n = 0;
        for (Map.Entry<String, Tensor> e : m.entrySet()) {
            Tensor t = r.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertArrayEquals(bits(e.getValue()), bits(t), e.getKey());
            n += 8 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4L * t.shape().length + 8L * t.size();
        }
        assertEquals(32 + n, Files.size(f), "32 + N bytes, N = Σ (8 + L + 4R + 8S)");
        assertEquals(Set.of("m.params"), names(dir), "no temporary file is left after a save");

        ParameterFile.write(f, Map.of());
        assertEquals(32, Files.size(f));
        assertTrue(ParameterFile.read(f).isEmpty());
    }

    @Test
    void theBytesAreTheDocumentedLayout() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.of(new double[] {1.5, -2}, 1, 2));
        Path f = dir.resolve("w.params");
        ParameterFile.write(f, m);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer bb = ByteBuffer.wrap(b);
        long n = 4 + 1 + 4 + 8 + 16;
        assertEquals(32 + n, b.length);
        assertEquals("DUALGRAD", new String(b, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(2, bb.getInt(8), "version");
        assertEquals(1, bb.getInt(12), "P");
        assertEquals(n, bb.getLong(16), "N");
        assertEquals(crc(b, 24), bb.getInt(24), "header checksum over [0, 24)");
        assertEquals(1, bb.getInt(28), "name length");
        assertEquals('w', b[32]);
        assertEquals(2, bb.getInt(33), "rank");
        assertEquals(1, bb.getInt(37));
        assertEquals(2, bb.getInt(41));
        assertEquals(1.5, bb.getDouble(45));
        assertEquals(-2, bb.getDouble(53));
        assertEquals(crc(b, b.length - 4), bb.getInt(b.length - 4), "file checksum over [0, 28 + N)");
        assertArrayEquals(b, craft(2, 1, entry("w", new int[] {1, 2}, 1.5, -2)), "the test's own encoder agrees");
    }

    // ------------------------------------------------------------------ corruption

    @Test
    void everySingleBitFlipIsAnIOExceptionAndLeavesTheModuleUnchanged() throws IOException {
        Linear saved = new Linear(2, 1, 1);
        Path f = dir.resolve("small.params");
        saved.save(f);
        byte[] good = Files.readAllBytes(f);
        assertEquals(94, good.length, "752 bits to flip");
        Linear m = new Linear(2, 1, 2);
        Map<String, Tensor> before = m.parameters();
        Path bad = dir.resolve("flipped.params");
        Set<String> kinds = new TreeSet<>();
        for (int bit = 0; bit < 8 * good.length; bit++) {
            byte[] b = good.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(bad, b);
            int at = bit;
            IOException e = assertThrows(IOException.class, () -> m.load(bad), () -> "bit " + at + " of " + 8 * good.length + " flipped loads");
            assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
            kinds.add(e.getMessage().substring(bad.toString().length()).replaceAll("[0-9#\"]+.*", ""));
        }
        assertSame(before, m.parameters());
        m.load(f);
        assertSame(saved.parameters(), m.parameters());
        assertTrue(kinds.size() >= 3, "the checks that fire differ with the flipped field: " + kinds);
    }

    @Test
    void aTruncatedFileAtEveryLengthIsRefused() throws IOException {
        Path f = dir.resolve("t.params");
        Mlp.of(2, 3, 1).seed(1).build().save(f);
        byte[] good = Files.readAllBytes(f);
        Path bad = dir.resolve("cut.params");
        for (int len = 0; len < good.length; len++) {
            Files.write(bad, java.util.Arrays.copyOf(good, len));
            int at = len;
            IOException e = assertThrows(IOException.class, () -> ParameterFile.read(bad), () -> "cut to " + at + " bytes loads");
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void trailingBytesAForeignFileAndAnEmptyFileAreRefused() throws IOException {
        Path f = dir.resolve("x.params");
        Mlp.of(2, 3, 1).seed(1).build().save(f);
        Files.write(f, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        assertMessage(f, "1 unexpected bytes after the end");
        Files.writeString(f, "not a parameter file at all");
        assertMessage(f, "bad magic");
        Files.write(f, new byte[0]);
        assertMessage(f, "truncated");
    }

    @Test
    void declaredSizesAreCheckedBeforeAnythingIsAllocated() throws IOException {
        // Every file here has correct checksums, so it is the size checks that must refuse it.
        assertCrafted(craft(2, 1, entry("w", new int[] {Integer.MAX_VALUE}, 1.0)), "shape [2147483647]");
        assertCrafted(craft(2, 1, entry("w", new int[] {65536, 65536, 65536, 65536}, 1.0)), "shape [65536, 65536, 65536, 65536]");
        assertCrafted(craft(2, 1, entry("w", new int[] {46341, 46341}, 1.0)), "more values than");
        assertCrafted(craft(2, 1, entry("w", new int[] {3, -1}, 1.0)), "negative dimension");
        assertCrafted(craft(2, 1, concat(ints(1), new byte[] {'w'}, ints(Integer.MAX_VALUE, 1, 1))), "declares rank 2147483647");
        assertCrafted(craft(2, 1, ints(Integer.MAX_VALUE, 0, 0)), "name of 2147483647 bytes");
        assertCrafted(craft(2, 1, ints(-1, 0, 0)), "name of -1 bytes");
        assertCrafted(craft(2, Integer.MAX_VALUE, entry("w", new int[] {1}, 1.0)), "declares 2147483647 parameters");
        assertCrafted(craft(2, -1, entry("w", new int[] {1}, 1.0)), "negative parameter count");
        assertCrafted(craft(2, 2, entry("w", new int[] {1}, 1.0)), "declares 2 parameters, more than 21 payload bytes can hold");
        assertCrafted(craft(2, 2, concat(entry("w", new int[] {1}, 1.0), new byte[3])), "parameter #1 starts 3 bytes before the end");
        assertCrafted(craft(2, 0, entry("w", new int[] {1}, 1.0)), "entries end 21 bytes before the end");
        assertCrafted(withDeclaredPayload(craft(2, 1, entry("w", new int[] {1}, 1.0)), Long.MAX_VALUE), "impossible payload length");
        assertCrafted(withDeclaredPayload(craft(2, 1, entry("w", new int[] {1}, 1.0)), 8L + 1 + 4 + 4 + 8L * Integer.MAX_VALUE),
                "truncated: it has 53 bytes");
        assertCrafted(craft(2, 1, concat(ints(2), new byte[] {(byte) 0xc3, (byte) 0x28}, ints(0), doubles(1))), "not valid UTF-8");
    }

    @Test
    void aFileListingAParameterTwiceIsRefused() throws IOException {
        byte[] twice = craft(2, 2, concat(entry("0.weight", new int[] {1}, 1.0), entry("0.weight", new int[] {1}, 2.0)));
        assertCrafted(twice, "lists parameter \"0.weight\" twice");
    }

    @Test
    void versionOneAndUnknownVersionsAreRefusedAsUnsupported() throws IOException {
        // A version 1 file as the first format wrote it: magic, version, count, writeUTF name, rank, dims, doubles, count.
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(bo)) {
            o.write("DUALGRAD".getBytes(StandardCharsets.US_ASCII));
            o.writeInt(1);
            o.writeInt(1);
            o.writeUTF("w");
            o.writeInt(1);
            o.writeInt(1);
            o.writeDouble(1.0);
            o.writeLong(1);
        }
        IOException e = assertCrafted(bo.toByteArray(), "format version 1 is not supported");
        assertTrue(e.getMessage().contains("save the model again"), e.getMessage());
        assertCrafted(craft(3, 1, entry("w", new int[] {1}, 1.0)), "format version 3 is not supported (this build reads version 2)");
    }

    // ------------------------------------------------------------------ what write never does

    @Test
    void aDirectoryAtThePathIsRefusedNamedAndLeftIntact() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty.params"));
        Path full = Files.createDirectory(dir.resolve("full.params"));
        Files.writeString(full.resolve("keep.txt"), "keep");
        Mlp m = Mlp.of(2, 3, 1).seed(1).build();
        for (Path d : List.of(empty, full)) {
            IOException e = assertThrows(IOException.class, () -> m.save(d));
            assertTrue(e.getMessage().contains(d.toString()) && e.getMessage().contains("is a directory"), e.getMessage());
            assertTrue(Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS), d + " is still a directory");
        }
        assertEquals("keep", Files.readString(full.resolve("keep.txt")));
        assertEquals(Set.of("empty.params", "full.params"), names(dir), "no temporary file is left");
    }

    @Test
    void aSymlinkAtATempLookingNameIsNotWrittenThrough() throws IOException {
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "victim");
        Path f = dir.resolve("a.params");
        List<String> traps = List.of("a.params.tmp", ".a.params.tmp", ".a.params..tmp", ".a.params.0.tmp", ".a.params.1.tmp", "a.params~");
        for (String t : traps) symlink(dir.resolve(t), victim);
        Path dangling = dir.resolve("never-created.txt");
        symlink(dir.resolve(".a.params.2.tmp"), dangling);

        Mlp m = Mlp.of(2, 3, 1).seed(1).build();
        for (int i = 0; i < 20; i++) m.save(f);
        assertEquals("victim", Files.readString(victim));
        assertFalse(Files.exists(dangling, LinkOption.NOFOLLOW_LINKS), "a dangling link was written through");
        for (String t : traps) assertTrue(Files.isSymbolicLink(dir.resolve(t)), t + " is still the link");
        assertFalse(Files.isSymbolicLink(f));
        assertSame(m.parameters(), ParameterFile.read(f));
    }

    @Test
    void aSymlinkAtThePathIsReplacedByTheFileNotWrittenThrough() throws IOException {
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "victim");
        Path f = dir.resolve("link.params");
        symlink(f, victim);
        Mlp.of(2, 3, 1).seed(1).build().save(f);
        assertEquals("victim", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(f));
        ParameterFile.read(f);
    }

    @Test
    void aFailureWhileWritingDeletesTheTempFileAndLeavesTheOldFile() throws IOException {
        Mlp a = Mlp.of(2, 3, 1).seed(1).build();
        Path f = dir.resolve("a.params");
        a.save(f);
        // A shape-only stand-in throws when its values are read, after the temporary file is created and partly written.
        Map<String, Tensor> failing = new LinkedHashMap<>(a.parameters());
        failing.put("0.bias", Tensors.shapeOnly(failing.get("0.bias")));
        assertThrows(IllegalStateException.class, () -> ParameterFile.write(f, failing));
        assertEquals(Set.of("a.params"), names(dir));
        assertSame(a.parameters(), ParameterFile.read(f));

        Map<String, Tensor> unencodable = Map.of("bad\uD800name", Tensor.of(new double[] {1}, 1));
        IOException e = assertThrows(IOException.class, () -> ParameterFile.write(f, unencodable));
        assertTrue(e.getMessage().contains("not valid Unicode"), e.getMessage());
        assertEquals(Set.of("a.params"), names(dir));
        assertSame(a.parameters(), ParameterFile.read(f));
    }

    @Test
    void theSavedFileGetsTheUmasksPermissionsNotAPrivateTempFilesOnes() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "POSIX permissions");
        Path plain = dir.resolve("plain");
        try (OutputStream o = Files.newOutputStream(plain)) {
            o.write(1);
        }
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        Path f = dir.resolve("p.params");
        Mlp.of(2, 3, 1).build().save(f);
        assertEquals(expected, Files.getPosixFilePermissions(f));
    }

    // ------------------------------------------------------------------ helpers

    /** A version-2 file with correct header and file checksums around the given payload. */
    static byte[] craft(int version, int count, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(32 + payload.length);
        b.put("DUALGRAD".getBytes(StandardCharsets.US_ASCII)).putInt(version).putInt(count).putLong(payload.length);
        b.putInt(crc(b.array(), 24)).put(payload);
        return b.putInt(crc(b.array(), 28 + payload.length)).array();
    }

    /** The same file with another payload length in its header, both checksums recomputed. */
    static byte[] withDeclaredPayload(byte[] file, long n) {
        byte[] b = file.clone();
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.putLong(16, n).putInt(24, crc(b, 24)).putInt(b.length - 4, crc(b, b.length - 4));
        return b;
    }

    static byte[] entry(String name, int[] shape, double... values) {
        byte[] nb = name.getBytes(StandardCharsets.UTF_8);
        return concat(ints(nb.length), nb, ints(shape.length), ints(shape), doubles(values));
    }

    static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    static int crc(byte[] b, int len) {
        CRC32C c = new CRC32C();
        c.update(b, 0, len);
        return (int) c.getValue();
    }

    private IOException assertCrafted(byte[] bytes, String expected) throws IOException {
        Path f = dir.resolve("crafted.params");
        Files.write(f, bytes);
        return assertMessage(f, expected);
    }

    private static IOException assertMessage(Path f, String expected) {
        IOException e = assertThrows(IOException.class, () -> ParameterFile.read(f));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().startsWith(f.toString()), "expected \"" + expected + "\" in: " + e.getMessage());
        return e;
    }

    static long[] bits(Tensor t) {
        return java.util.Arrays.stream(Tensors.buffer(t)).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k).shape(), actual.get(k).shape(), k);
            assertArrayEquals(bits(expected.get(k)), bits(actual.get(k)), k);
        }
    }

    static Set<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void symlink(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links: " + e);
            fail();
        }
    }
}
