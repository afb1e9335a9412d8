package dev.dualgrad.nn;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named parameter tensors in a small binary file: what {@code Module.save} writes and
 * {@code Module.load} reads. Big-endian throughout (Java's {@link DataOutputStream}):
 * <pre>
 *   8 bytes   the magic "DUALGRAD" (US-ASCII)
 *   int       the format version, 1
 *   int       P, the number of parameters
 *   P times:  the name (writeUTF: an unsigned 2-byte length, then the name in modified UTF-8),
 *             int R, the rank; R ints, the shape;
 *             then size(shape) = ∏ shape doubles, the values in row-major order
 *   long      the total count of doubles written, Σ size(shape), as a check that the file is whole
 * </pre>
 * A file thus takes 24 + Σ (2 + |name| + 4 + 4R + 8·size) bytes. The order of the entries is the map's
 * order ({@link Module#parameters()} order for a module). This is not PyTorch's format, though the names
 * are those of its {@code state_dict()}.
 *
 * <p>Writing goes to a sibling file with the suffix ".tmp" that is then renamed over the target, so an
 * interrupted write leaves the previous file (and perhaps a stale ".tmp"), never a half-written one.
 * Reading checks the magic, the version, plausible counts and ranks (at most 10⁶ parameters of rank at
 * most 32), the closing count, and that nothing follows it, and names the problem in its IOException.</p>
 */
public final class ParameterFile {
    private static final byte[] MAGIC = "DUALGRAD".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private ParameterFile() {}

    /**
     * Writes the tensors to a file in this format, replacing any file of that name.
     *
     * @param file the file to write; its directory must exist
     * @param params the tensors by name, written in the map's iteration order
     * @throws IOException if the file cannot be written (including a name longer than 65,535 bytes of modified
     *     UTF-8, which writeUTF refuses)
     */
    public static void write(Path file, Map<String, Tensor> params) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp); DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(params.size());
            long count = 0;
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                out.writeUTF(e.getKey());
                int[] s = e.getValue().shape();
                out.writeInt(s.length);
                for (int d : s) out.writeInt(d);
                for (double v : Tensors.buffer(e.getValue())) out.writeDouble(v);
                count += e.getValue().size();
            }
            out.writeLong(count);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @param file the file to read
     * @return the tensors by name, in the file's order
     * @throws IOException if the file cannot be read, is not a dualgrad parameter file, has another format
     *     version, is truncated, or is corrupt (implausible counts, a closing count that does not match, or
     *     bytes after the end); the message says which
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException(file + " is not a dualgrad parameter file (bad magic bytes)");
            int version = in.readInt();
            if (version != VERSION) throw new IOException(file + ": format version " + version + " is not supported (this build reads " + VERSION + ")");
            int n = in.readInt();
            if (n < 0 || n > 1_000_000) throw new IOException(file + ": implausible parameter count " + n + " (corrupt file?)");
            Map<String, Tensor> m = new LinkedHashMap<>();
            long count = 0;
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int r = in.readInt();
                if (r < 0 || r > 32) throw new IOException(file + ": parameter " + name + " has implausible rank " + r + " (corrupt file?)");
                int[] s = new int[r];
                long size = 1;
                for (int d = 0; d < r; d++) {
                    s[d] = in.readInt();
                    if (s[d] < 0) throw new IOException(file + ": parameter " + name + " has a negative dimension (corrupt file?)");
                    size *= s[d];
                }
                if (size > Integer.MAX_VALUE) throw new IOException(file + ": parameter " + name + " is too large (corrupt file?)");
                double[] v = new double[(int) size];
                for (int k = 0; k < v.length; k++) v[k] = in.readDouble();
                m.put(name, Tensor.of(v, s));
                count += size;
            }
            if (in.readLong() != count) throw new IOException(file + ": the closing count does not match the data (corrupt file?)");
            if (in.read() != -1) throw new IOException(file + ": unexpected bytes after the end of the data (corrupt file?)");
            return m;
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: it ends before the data it announces", e);
        }
    }
}
