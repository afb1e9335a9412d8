package dev.dualgrad.transforms;

/** How {@code jacobian} computes: one forward pass per chunk of input directions, or one reverse sweep per chunk of output directions. */
public enum JacobianMode {
    /** Pick from the sizes: forward when the input is no larger than the output. */
    AUTO,
    /** Columns J·e_j, k at a time. */
    FORWARD,
    /** Rows e_iᵀJ, c at a time, from one recorded tape. */
    REVERSE
}
