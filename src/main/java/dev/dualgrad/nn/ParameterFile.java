package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Named parameter tensors in a small, checksummed binary file: what {@link Module#save} writes and
 * {@link Module#load} reads. This is not PyTorch's format, though the names are those of its
 * {@code state_dict()}.
 *
 * <h2>Layout, format version 2</h2>
 * Big-endian throughout; offsets in bytes; N is the payload length declared in the header:
 * <pre>
 *   offset   size   field
 *   0        8      the magic "DUALGRAD" (US-ASCII)
 *   8        4      int, the format version: 2
 *   12       4      int P, the number of parameters, &ge; 0
 *   16       8      long N, the length of the payload in bytes, &ge; 0
 *   24       4      the CRC-32C (java.util.zip.CRC32C, low 32 bits) of bytes [0, 24): the header checksum
 *   28       N      the payload: P entries, each
 *                     4      int L, the length of the name in bytes
 *                     L      the name in UTF-8 (well-formed; no two entries share a name)
 *                     4      int R, the rank
 *                     4·R    R ints, the shape, each &ge; 0
 *                     8·S    S = ∏ shape doubles (IEEE 754), the values in row-major order
 *   28 + N   4      the CRC-32C of bytes [0, 28 + N): the file checksum, over header and data
 * </pre>
 * A file thus takes exactly 32 + N bytes, N = Σ (8 + L + 4R + 8S) over the entries; a file of no
 * parameters takes 32. The order of the entries is the map's order ({@link Module#parameters()} order for
 * a module).
 *
 * <h2>Reading: every corruption is an IOException</h2>
 * {@link #read} checks, in this order and before it allocates anything sized by the file: the magic, the
 * version, the header checksum, that the file is exactly 32 + N bytes long (shorter is "truncated",
 * longer has trailing bytes), then for each entry that its name length, rank, dimensions and value count
 * fit in what is left of the payload (so no declared size, however large, allocates more than the file
 * holds, and no product of dimensions overflows), that the name is well-formed UTF-8 and not seen before,
 * that the entries end exactly at the end of the payload, and last the file checksum. Any failure is an
 * IOException whose message names the file and what is wrong; nothing is returned, so {@link Module#load}
 * leaves the module unchanged. A CRC-32C detects every single-bit flip and every burst of up to 32
 * flipped bits anywhere in the file (a flip in a checksum field makes that checksum disagree), and a
 * random corruption with probability 1 − 2⁻³². It is a check against accidents, not against an attacker,
 * who can recompute it.
 *
 * <h2>Writing: atomic replacement</h2>
 * {@link #write} never writes to the file itself. It creates a temporary file of its own, with a unique
 * name {@code .<name>.<random digits>.tmp} in the same directory ({@link Files#createTempFile(Path, String,
 * String, FileAttribute[])}, which creates a new file and never follows or reuses an existing name or
 * symbolic link), writes and checksums the data, forces it to the device ({@link FileChannel#force}),
 * renames it over the target with {@link StandardCopyOption#ATOMIC_MOVE} and forces the directory entry
 * to the device too (on platforms that can open a directory; not on Windows). Hence:
 * <ul>
 *   <li>a reader of the path sees the old file or the new one, whole, never a missing or partial file;</li>
 *   <li>after a crash or a kill at any moment (and after a power loss, as far as the file system honours
 *       fsync) the path holds the old file or the new one, whole;</li>
 *   <li>concurrent writers to one path never interleave: each writes its own temporary file and the last
 *       rename wins, so the file is exactly one writer's map;</li>
 *   <li>on any failure (an IOException, a RuntimeException, an Error) the temporary file is deleted and
 *       the target is untouched. Only a writer killed before its rename (SIGKILL, power loss) leaves its
 *       temporary file behind: such stray {@code .<name>.*.tmp} files are never read, never reused, and safe
 *       to delete when no save to that path is running;</li>
 *   <li>a directory at the path is never replaced: write throws an IOException naming it (the rename
 *       itself would refuse too). A symbolic link at the path is replaced by the new file, not written
 *       through, as any rename does;</li>
 *   <li>the new file gets the permissions of any newly created file (the process's umask applies), not
 *       those of the file it replaces.</li>
 * </ul>
 *
 * <h2>Version 1</h2>
 * The first format (version 1: modified-UTF-8 names, a closing count and no checksum) was never released;
 * {@link #read} refuses it with an IOException saying that version 1 is not supported and the model must be
 * saved again. Any other version is refused the same way (or as a corrupt header when its header checksum
 * does not match).
 */
public final class ParameterFile {
    private static final byte[] MAGIC = "DUALGRAD".getBytes(StandardCharsets.US_ASCII);
    /** The format version this class writes and the only one it reads. */
    private static final int VERSION = 2;
    private static final int HEADER = 28;
    private static final int TRAILER = 4;
    /** The largest Java array (some JVMs reserve a few header words). */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int BUFFER = 1 << 16;
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private ParameterFile() {}

    /**
     * Writes the tensors to a file in this format, atomically replacing any file of that name: readers and
     * crashes see the old file or the new one, never a mix or nothing (see the class description).
     *
     * @param file the file to write; its directory must exist and be writable
     * @param params the tensors by name, written in the map's iteration order; names must be valid Unicode
     *     (no unpaired surrogates) and no tensor may be null
     * @throws IOException if the file cannot be written: the path is a directory (the message names it), a
     *     name cannot be encoded, the temporary file cannot be created, written, forced or renamed, or the
     *     directory cannot be forced after the rename (then the new file is in place, but whether it survives
     *     a power loss is not known, and the message says so). Except in that last case the target is
     *     unchanged, and in every case the temporary file is gone.
     * @throws NullPointerException if file, params, a name or a tensor is null
     */
    public static void write(Path file, Map<String, Tensor> params) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(params, "params");
        Entries en = entries(file, params);

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || target.getFileName() == null) throw new IOException(file + " does not name a file");
        if (Files.isDirectory(target)) {
            throw new IOException(file + " is a directory; ParameterFile.write never replaces a directory");
        }
        Path tmp = Files.createTempFile(dir, tempPrefix(target), ".tmp", permissions(dir));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                en.writeTo(ch);
                ch.force(true);
            }
            // On POSIX a rename(2): atomic, replaces a file or link, refuses a directory. REPLACE_EXISTING is for
            // platforms where ATOMIC_MOVE alone would not replace.
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(tmp);
            } catch (Throwable d) {
                t.addSuppressed(d);
            }
            throw t;
        }
        syncDirectory(file, dir);
    }

    /**
     * Reads a file written by {@link #write}, checking it whole before it returns anything.
     *
     * @param file the file to read
     * @return the tensors by name, in the file's order
     * @throws IOException if the file cannot be read, is not a dualgrad parameter file, has another format
     *     version (version 1 included), is truncated or has trailing bytes, declares a size that does not fit
     *     the file, lists a name twice or a name that is not UTF-8, or fails a checksum; the message names the
     *     file and the problem
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readFrom(file, ch, ch.size());
        } catch (EOFException e) { // the file shrank while it was read: the size checks passed before
            throw new IOException(file + " is truncated: it ends before the data it announces", e);
        }
    }

    /**
     * Writes the tensors to a stream in this format, exactly the bytes {@link #write(Path, Map)} puts in a file
     * (header, checksums and all), so that a model can travel without temporary files: through a socket, a
     * byte array, a cluster's broadcast. The stream is flushed, not closed.
     *
     * @param out the stream to write to
     * @param params the tensors by name, written in the map's iteration order; names must be valid Unicode
     *     and no tensor may be null
     * @throws IOException if the stream fails or a name cannot be encoded (then nothing is written)
     * @throws NullPointerException if out, params, a name or a tensor is null
     */
    public static void write(OutputStream out, Map<String, Tensor> params) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(params, "params");
        entries(STREAM, params).writeTo(Channels.newChannel(out));
        out.flush();
    }

    /**
     * Reads one parameter file from a stream, with every check of {@link #read(Path)}: the stream is read
     * exactly to the end of the file the header announces (so more data may follow it), checked whole, and
     * only then returned. A stream that ends early is "truncated"; trailing data is left unread, since a
     * stream has no end to compare with.
     *
     * @param in the stream, positioned at the file's first byte; it is not closed
     * @return the tensors by name, in the file's order
     * @throws IOException if the stream fails, or holds no dualgrad parameter file, another format version, a
     *     truncated or corrupt file (sizes, a duplicate or non-UTF-8 name, a checksum), or one larger than a
     *     Java array; the message names the problem as for a file
     * @throws NullPointerException if in is null
     */
    public static Map<String, Tensor> read(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        byte[] head = in.readNBytes(HEADER);
        byte[] whole = head;
        if (head.length == HEADER && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            CRC32C hc = new CRC32C();
            hc.update(head, 0, HEADER - 4);
            ByteBuffer h = ByteBuffer.wrap(head);
            long n = h.getLong(16);
            if ((int) hc.getValue() == h.getInt(24) && n >= 0) { // else readFrom names the problem
                if (n > MAX_ARRAY - HEADER - TRAILER) throw new IOException(STREAM + " announces a file of " + n + " payload bytes, too large to read from a stream");
                byte[] rest = in.readNBytes((int) n + TRAILER); // grows as bytes arrive: a lying header allocates no more than is sent
                whole = Arrays.copyOf(head, HEADER + rest.length);
                System.arraycopy(rest, 0, whole, HEADER, rest.length);
            }
        }
        return readFrom(STREAM, Channels.newChannel(new ByteArrayInputStream(whole)), whole.length);
    }

    // ------------------------------------------------------------------ writing

    private static final String STREAM = "the stream";

    /** The map's entries, encoded and sized in one pass: what the header declares. */
    private record Entries(byte[][] names, Tensor[] tensors, long payload) {
        void writeTo(WritableByteChannel ch) throws IOException {
            long n = ParameterFile.writeTo(ch, names, tensors, payload);
            if (n != HEADER + payload + TRAILER) { // a tensor whose values do not fill its shape
                throw new IllegalStateException("ParameterFile.write: wrote " + n + " bytes, declared " + (HEADER + payload + TRAILER));
            }
        }
    }

    private static Entries entries(Object file, Map<String, Tensor> params) throws IOException {
        int p = params.size();
        byte[][] names = new byte[p][];
        Tensor[] tensors = new Tensor[p];
        long payload = 0;
        int i = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            if (i == p) throw new IllegalArgumentException("ParameterFile.write: the map changed while it was written");
            String name = Objects.requireNonNull(e.getKey(), "a parameter name is null");
            Tensor t = Objects.requireNonNull(e.getValue(), () -> "parameter " + name + " is null");
            names[i] = encode(file, name);
            tensors[i] = t;
            payload = Math.addExact(payload, 8L + names[i].length + 4L * t.shape().length + 8L * t.size());
            i++;
        }
        if (i != p) throw new IllegalArgumentException("ParameterFile.write: the map changed while it was written");
        return new Entries(names, tensors, payload);
    }

    private static byte[] encode(Object file, String name) throws IOException {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(name));
            return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": parameter name " + printable(name) + " is not valid Unicode (an unpaired surrogate?)", e);
        }
    }

    /** ".name." cut so that the temporary name stays within the usual 255-byte limit. */
    private static String tempPrefix(Path target) {
        String name = target.getFileName().toString();
        if (name.length() > 100) name = name.substring(0, 100);
        return "." + name + ".";
    }

    /** The permissions of any new file (0666 less the umask), not createTempFile's private 0600. */
    private static FileAttribute<?>[] permissions(Path dir) throws IOException {
        if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-"))};
    }

    private static long writeTo(WritableByteChannel ch, byte[][] names, Tensor[] tensors, long payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.put(MAGIC).putInt(VERSION).putInt(names.length).putLong(payload);
        CRC32C hc = new CRC32C();
        hc.update(header.array(), 0, header.position());
        header.putInt((int) hc.getValue());
        Out out = new Out(ch);
        out.bytes(header.array());
        for (int i = 0; i < names.length; i++) {
            int[] s = tensors[i].shape();
            out.putInt(names[i].length);
            out.bytes(names[i]);
            out.putInt(s.length);
            for (int d : s) out.putInt(d);
            out.doubles(Tensors.buffer(tensors[i]));
        }
        return out.finish();
    }

    /** A buffered, checksumming writer to a channel. */
    private static final class Out {
        private final WritableByteChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        private final CRC32C crc = new CRC32C();
        private long written;

        Out(WritableByteChannel ch) { this.ch = ch; }

        void putInt(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void bytes(byte[] b) throws IOException {
            for (int off = 0; off < b.length; ) {
                room(1);
                int k = Math.min(buf.remaining(), b.length - off);
                buf.put(b, off, k);
                off += k;
            }
        }

        void doubles(double[] v) throws IOException {
            for (int off = 0; off < v.length; ) {
                room(8);
                int k = Math.min(buf.remaining() / 8, v.length - off);
                buf.asDoubleBuffer().put(v, off, k);
                buf.position(buf.position() + 8 * k);
                off += k;
            }
        }

        /** Appends the file checksum and writes out what is left. */
        long finish() throws IOException {
            flush();
            buf.putInt((int) crc.getValue());
            buf.flip();
            while (buf.hasRemaining()) written += ch.write(buf);
            return written;
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) flush();
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.array(), 0, buf.limit());
            while (buf.hasRemaining()) written += ch.write(buf);
            buf.clear();
        }
    }

    private static void syncDirectory(Path file, Path dir) throws IOException {
        if (WINDOWS) return; // Java cannot open a directory there; NTFS journals the rename itself
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // EINVAL is how Linux says that this file system cannot sync a directory: nothing more to do.
            if ("Invalid argument".equals(e.getMessage())) return;
            throw new IOException(file + " was replaced, but its directory could not be forced to the device, so whether the new file"
                    + " survives a power loss is not known: " + e, e);
        }
    }

    // ------------------------------------------------------------------ reading

    private static Map<String, Tensor> readFrom(Object file, ReadableByteChannel ch, long size) throws IOException {
        In in = new In(ch);
        byte[] head = new byte[(int) Math.min(size, HEADER)];
        in.bytes(head);
        ByteBuffer h = ByteBuffer.wrap(head);
        int m = Math.min(head.length, MAGIC.length);
        if (!Arrays.equals(head, 0, m, MAGIC, 0, m)) throw new IOException(file + " is not a dualgrad parameter file (bad magic bytes)");
        if (head.length < 12) throw truncated(file, size, 12);
        int version = h.getInt(8);
        if (version == 1) {
            throw new IOException(file + ": format version 1 is not supported (this build reads version " + VERSION + " only, the "
                    + "checksummed format; version 1 was never released): save the model again with this build");
        }
        if (head.length < HEADER) throw truncated(file, size, HEADER);
        CRC32C hc = new CRC32C();
        hc.update(head, 0, HEADER - 4);
        boolean headerOk = (int) hc.getValue() == h.getInt(24);
        if (version != VERSION) {
            throw new IOException(file + (headerOk ? ": format version " + version + " is not supported (this build reads version "
                    + VERSION + ")" : ": the header is corrupt (its checksum does not match; the version field reads " + version + ")"));
        }
        if (!headerOk) throw new IOException(file + ": the header is corrupt (its checksum does not match)");
        int p = h.getInt(12);
        long n = h.getLong(16);
        if (p < 0) throw corrupt(file, "the header declares a negative parameter count " + p);
        if (n < 0 || n > Long.MAX_VALUE - HEADER - TRAILER) throw corrupt(file, "the header declares an impossible payload length " + n);
        long expected = HEADER + n + TRAILER;
        if (size < expected) throw truncated(file, size, expected);
        if (size > expected) throw corrupt(file, (size - expected) + " unexpected bytes after the end of the data");
        if (p > n / 12) throw corrupt(file, "the header declares " + p + " parameters, more than " + n + " payload bytes can hold");

        Map<String, Tensor> params = new LinkedHashMap<>();
        long left = n;
        for (int i = 0; i < p; i++) {
            String where = "parameter #" + i;
            if (left < 8) throw corrupt(file, where + " starts " + left + " bytes before the end of the payload");
            int len = in.getInt();
            left -= 4;
            if (len < 0 || len > left - 4) throw corrupt(file, where + " declares a name of " + len + " bytes, but " + left + " bytes are left");
            byte[] nb = new byte[len];
            in.bytes(nb);
            left -= len;
            String name = decode(file, where, nb);
            where = "parameter " + printable(name);
            if (params.containsKey(name)) throw corrupt(file, "the file lists " + where + " twice");
            int rank = in.getInt();
            left -= 4;
            if (rank < 0 || rank > left / 4) throw corrupt(file, where + " declares rank " + rank + ", but " + left + " bytes are left");
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = in.getInt();
            left -= 4L * rank;
            long count = elements(file, where, shape, left);
            double[] v = new double[(int) count];
            in.doubles(v);
            left -= 8 * count;
            params.put(name, Tensors.adopt(v, shape));
        }
        if (left != 0) throw corrupt(file, "the entries end " + left + " bytes before the end of the payload");
        int computed = in.crc();
        int stored = in.getInt();
        if (computed != stored) throw corrupt(file, "the checksum does not match the data");
        return params;
    }

    /** ∏ shape, refused before any allocation when the values cannot fit in the bytes left or in an array. */
    private static long elements(Object file, String where, int[] shape, long left) throws IOException {
        for (int d : shape) {
            if (d < 0) throw corrupt(file, where + " has a negative dimension in shape " + Arrays.toString(shape));
        }
        long limit = Math.min(left / 8, MAX_ARRAY);
        long count = 1;
        for (int d : shape) if (d == 0) return 0;
        for (int d : shape) {
            if (d > limit / count) {
                throw corrupt(file, where + " declares shape " + Arrays.toString(shape) + ", more values than the " + left
                        + " bytes left in the payload" + (left / 8 > MAX_ARRAY ? " or a Java array" : "") + " can hold");
            }
            count *= d;
        }
        return count;
    }

    private static String decode(Object file, String where, byte[] b) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": " + where + " has a name that is not valid UTF-8 (corrupt file)", e);
        }
    }

    private static IOException truncated(Object file, long size, long expected) {
        return new IOException(file + " is truncated: it has " + size + " bytes but the data it announces needs " + expected);
    }

    private static IOException corrupt(Object file, String what) {
        return new IOException(file + " is corrupt: " + what);
    }

    /** A name for a message: quoted, control characters escaped, long names cut. */
    private static String printable(String name) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < name.length() && i < 80; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        if (name.length() > 80) sb.append("...");
        return sb.append('"').toString();
    }

    /** A buffered, checksumming reader of a channel: the checksum covers every byte consumed before {@link #crc()}. */
    private static final class In {
        private final ReadableByteChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        private final CRC32C crc = new CRC32C();
        private int crcFrom;

        In(ReadableByteChannel ch) {
            this.ch = ch;
            buf.limit(0);
        }

        int getInt() throws IOException {
            need(4);
            return buf.getInt();
        }

        void bytes(byte[] b) throws IOException {
            for (int off = 0; off < b.length; ) {
                need(1);
                int k = Math.min(buf.remaining(), b.length - off);
                buf.get(b, off, k);
                off += k;
            }
        }

        void doubles(double[] v) throws IOException {
            for (int off = 0; off < v.length; ) {
                need(8);
                int k = Math.min(buf.remaining() / 8, v.length - off);
                buf.asDoubleBuffer().get(v, off, k);
                buf.position(buf.position() + 8 * k);
                off += k;
            }
        }

        /** The checksum of every byte consumed so far; what follows is not checksummed. */
        int crc() {
            update();
            crcFrom = Integer.MAX_VALUE;
            return (int) crc.getValue();
        }

        private void update() {
            if (crcFrom < buf.position()) crc.update(buf.array(), crcFrom, buf.position() - crcFrom);
            crcFrom = buf.position();
        }

        private void need(int n) throws IOException {
            if (buf.remaining() >= n) return;
            boolean counting = crcFrom != Integer.MAX_VALUE;
            if (counting) update();
            buf.compact();
            while (buf.position() < n) {
                if (ch.read(buf) < 0) throw new EOFException();
            }
            buf.flip();
            if (counting) crcFrom = 0;
        }
    }
}
