package dev.dualgrad.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One row of a data set as a cluster holds it: its global index (which fixes its block, whatever the
 * partition), its features and its class label.
 *
 * @param index the row's global index, ≥ 0, unique in the data set
 * @param x the features, row-major
 * @param label the class label
 */
public record LabeledRow(long index, double[] x, int label) implements Serializable {
    /**
     * Checks the parts.
     *
     * @param index the row's global index
     * @param x the features
     * @param label the class label
     * @throws IllegalArgumentException when index is negative
     * @throws NullPointerException when x is null
     */
    public LabeledRow {
        if (index < 0) throw new IllegalArgumentException("LabeledRow: index must be ≥ 0, got " + index);
        Objects.requireNonNull(x, "x");
    }
}
