package io.txwatch.event;

/** Quoting input in error messages without letting the input decide how long the message gets. */
public final class Texts {

    private static final int LONGEST_QUOTE = 40;

    private Texts() {
    }

    /** {@code text}, or its first 40 characters and an ellipsis with the full length. */
    public static String shown(String text) {
        if (text.length() <= LONGEST_QUOTE) {
            return text;
        }
        return text.substring(0, LONGEST_QUOTE) + "… (" + text.length() + " characters)";
    }
}
