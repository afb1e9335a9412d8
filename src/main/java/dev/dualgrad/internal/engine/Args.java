package dev.dualgrad.internal.engine;

/**
 * Checks of public arguments at the boundary, so that a null fails where it was passed, with the
 * parameter's name ("jvp: v is null"), not deep inside with the JDK's message about some local variable.
 */
public final class Args {
    private Args() {}

    /**
     * @return {@code value}
     * @throws NullPointerException "{@code op}: {@code name} is null" when it is null
     */
    public static <T> T nonNull(T value, String op, String name) {
        if (value == null) throw new NullPointerException(op + ": " + name + " is null");
        return value;
    }

    /**
     * The array and each of its entries must be non-null.
     *
     * @throws NullPointerException "{@code op}: {@code name} is null" or "{@code op}: {@code name}[i] is null"
     */
    public static <T> T[] nonNullEntries(T[] values, String op, String name) {
        nonNull(values, op, name);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) throw new NullPointerException(op + ": " + name + "[" + i + "] is null");
        }
        return values;
    }
}
