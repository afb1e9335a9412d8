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
 * The UCI handwritten digits (E. Alpaydin and C. Kaynak, 1998; CC BY 4.0), shipped as a resource:
 * 1,797 images of 8×8 pixels in 0..16 with labels 0..9. {@link #load()} scales the pixels to [0, 1].
 */
public final class Digits {
    public static final int PIXELS = 64, CLASSES = 10;
    private static final String RESOURCE = "/dev/dualgrad/data/digits.csv.gz";

    private Digits() {}

    /** All 1,797 digits: x [1797, 64] with pixels / 16, labels 0..9. */
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
