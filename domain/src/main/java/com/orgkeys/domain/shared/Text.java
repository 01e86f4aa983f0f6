package com.orgkeys.domain.shared;

/** Checks shared by the text fields of the model. */
public final class Text {
    private Text() {
    }

    /** Strips, then requires 1–{@code max} characters without control characters (NUL, newlines, …). */
    public static String singleLine(String field, String value, int max) {
        if (value == null) throw new InvalidInputException(field, "is required");
        String stripped = value.strip();
        if (stripped.isEmpty() || stripped.codePointCount(0, stripped.length()) > max) {
            throw new InvalidInputException(field, "must be 1–" + max + " characters");
        }
        requireCleanText(field, stripped, false);
        return stripped;
    }

    /** Optional longer text (descriptions): null or blank becomes "", newlines allowed, other controls not. */
    public static String multiLine(String field, String value, int max) {
        if (value == null) return "";
        String stripped = value.strip();
        if (stripped.codePointCount(0, stripped.length()) > max) {
            throw new InvalidInputException(field, "must be at most " + max + " characters");
        }
        requireCleanText(field, stripped, true);
        return stripped;
    }

    /**
     * Text a client sends without choosing it (a User-Agent header), kept for display only: cleaned rather than
     * refused. Control characters (NUL, newlines, C1) and lone surrogates are dropped, which PostgreSQL could not
     * store or a log would misread; at most {@code max} code points are kept; null becomes "".
     */
    public static String cleaned(String value, int max) {
        if (value == null) return "";
        StringBuilder kept = new StringBuilder(Math.min(value.length(), max));
        int count = 0;
        for (int i = 0; i < value.length() && count < max; ) {
            int codePoint = value.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.SURROGATE) continue;
            kept.appendCodePoint(codePoint);
            count++;
        }
        return kept.toString().strip();
    }

    private static void requireCleanText(String field, String value, boolean newlinesAllowed) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean newline = c == '\n' || c == '\r' || c == '\t';
            if ((Character.isISOControl(c) && !(newlinesAllowed && newline))) {
                throw new InvalidInputException(field, "must not contain control characters");
            }
            if (Character.isHighSurrogate(c) && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
                throw new InvalidInputException(field, "must be valid Unicode text");
            }
        }
    }
}
