package dev.dualgrad.data;

import dev.dualgrad.internal.engine.Tensors;
import dev.dualgrad.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The UCI handwritten digits, shipped with the library as a resource: the test set of the UCI "Optical
 * Recognition of Handwritten Digits" data (E. Alpaydin and C. Kaynak, 1998; CC BY 4.0), 1,797 images of
 * 8×8 pixels with integer values 0..16 and labels 0..9, about 180 per class. These are the same 1,797
 * digits as scikit-learn's {@code load_digits()}.
 *
 * <pre>{@code
 * Dataset[] split = Digits.load().split(0.8, 42);   // 1,438 rows to train on, 359 to test
 * }</pre>
 */
public final class Digits {
    /** Pixels per image, 8×8: the width of a row of {@link Dataset#x()}. */
    public static final int PIXELS = 64;
    /** Number of classes, the digits 0..9. */
    public static final int CLASSES = 10;
    private static final String RESOURCE = "/dev/dualgrad/data/digits.csv.gz";

    private Digits() {}

    /**
     * Reads all 1,797 digits, in the order of the resource file. Each pixel v ∈ {0, …, 16} becomes v / 16,
     * so inputs lie in [0, 1]; row n of x is image n read row by row.
     *
     * @return x [1797, 64] and the labels 0..9
     * @throws IllegalStateException if the resource is missing from the class path or a line of it does not
     *     hold 65 fields
     * @throws NumberFormatException if a field is not a number
     * @throws UncheckedIOException if the resource cannot be read
     */
    public static Dataset load() {
        try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) throw new IllegalStateException("Digits: resource " + RESOURCE + " is missing from the classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
            List<double[]> rows = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                if (f.length != PIXELS + 1) throw new IllegalStateException("Digits: line " + n + " has " + f.length + " fields, expected 65");
                double[] px = new double[PIXELS];
                for (int i = 0; i < PIXELS; i++) px[i] = Double.parseDouble(f[i].trim()) / 16.0;
                rows.add(px);
                labels.add(Integer.parseInt(f[PIXELS].trim()));
            }
            double[] d = new double[rows.size() * PIXELS];
            int[] l = new int[rows.size()];
            for (int i = 0; i < l.length; i++) {
                System.arraycopy(rows.get(i), 0, d, i * PIXELS, PIXELS);
                l[i] = labels.get(i);
            }
            return new Dataset(Tensors.adopt(d, l.length, PIXELS), l);
        } catch (IOException e) {
            throw new UncheckedIOException("Digits: cannot read " + RESOURCE, e);
        }
    }
}
