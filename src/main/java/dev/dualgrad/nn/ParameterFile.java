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
 * The parameter file format, big-endian (Java's DataOutputStream):
 * <pre>
 *   8 bytes   magic "DUALGRAD"
 *   int       format version (1)
 *   int       number of parameters P
 *   P times:  UTF name (2-byte length + modified UTF-8), int rank R, R ints (the shape),
 *             then size(shape) doubles (row-major)
 *   long      the count of doubles written, as a check that the file is whole
 * </pre>
 * Writing goes to a temporary file that is then moved in place, so a crash never leaves half a file.
 */
public final class ParameterFile {
    private static final byte[] MAGIC = "DUALGRAD".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private ParameterFile() {}

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
