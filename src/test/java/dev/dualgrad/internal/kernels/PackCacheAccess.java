package dev.dualgrad.internal.kernels;

/** The packed-weight cache's size and reset, for the benchmarks outside this package (PeakMemory). */
public final class PackCacheAccess {
    private PackCacheAccess() {}

    /** @return the bytes of packed panels the cache holds now */
    public static long bytesHeld() {
        return PackCache.bytesHeld();
    }

    /** Empties the cache. */
    public static void clear() {
        PackCache.clear();
    }
}
