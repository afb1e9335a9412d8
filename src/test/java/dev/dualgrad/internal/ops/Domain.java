package dev.dualgrad.internal.ops;

/** Where an op's input values may be drawn so that the op is defined and smooth there (away from its kinks). */
public enum Domain {
    /** Any real number; generated in [−2, 2]. */
    REAL(-2, 2),
    /** x > 0; generated in [0.2, 3]. */
    POSITIVE(0.2, 3),
    /** 0 < x < 1; generated in [0.05, 0.95]. */
    UNIT_INTERVAL(0.05, 0.95),
    /** Bounded away from 0: |x| in [0.5, 2]. */
    NONZERO(-2, 2),
    /** Real and pairwise distinct within the tensor (spacing ≥ 0.1), for ops with ties (max). */
    DISTINCT(-2, 2),
    /** −1 < x < 1 (asin, acos, atanh, tan); generated in [−0.9, 0.9]. */
    OPEN_UNIT(-0.9, 0.9),
    /** x > 1 (acosh); generated in [1.1, 3]. */
    ABOVE_ONE(1.1, 3),
    /** −1 < x < 0, between two poles of lgamma and digamma; generated in [−0.9, −0.1]. */
    NEGATIVE_UNIT(-0.9, -0.1);

    public final double lo, hi;

    Domain(double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
    }

    /** True when v may be used as an input value for this domain. */
    public boolean admits(double v) {
        if (this == NONZERO) return Math.abs(v) >= 0.5 && Math.abs(v) <= 2;
        return v >= lo && v <= hi;
    }
}
