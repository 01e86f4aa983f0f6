package com.orgkeys.persistence.database;

import java.util.List;

/** Case-insensitive substring search through the trigram indexes ({@code ILIKE ? ESCAPE '\'}). */
public final class Like {
    private Like() {
    }

    /**
     * Joins the columns a search covers, as the trigram indexes of V11 do: a newline, which a search text cannot
     * contain, so that no match spans two columns.
     */
    public static String searchable(String... columns) {
        return "(" + String.join(" || E'\\n' || ", columns) + ")";
    }

    /**
     * The condition "{@code searchable} contains {@code text}, case-insensitively", adding its two parameters to
     * {@code params}. The trigram index answers the ILIKE; there, every character of the text but letters and digits
     * is a one-character wildcard, because pg_trgm turns a space or a dash next to a word into trigrams of word
     * boundaries ("or ", " ga"), which nearly every row has: "Acme Games" reads a third of the index pages as
     * "Acme_Games" (with a word of three letters or digits; otherwise nothing but boundaries would be left to look up).
     * The strpos, which no index answers, then keeps exactly the rows that contain the text.
     */
    public static String contains(String searchable, String text, List<Object> params) {
        if (text.indexOf('\n') >= 0) throw new IllegalArgumentException("a search text is a single line");
        params.add(hasTrigram(text) ? "%" + wordsOnly(text) + "%" : containing(text));
        params.add(text);
        return "(" + searchable + " ILIKE ? ESCAPE '\\' AND strpos(lower(" + searchable + "), lower(?)) > 0)";
    }

    /** {@code text} with each code point but a letter or digit replaced by {@code _} (one character, as LIKE counts). */
    static String wordsOnly(String text) {
        StringBuilder pattern = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c)) pattern.appendCodePoint(c);
            else pattern.append('_');
        });
        return pattern.toString();
    }

    private static boolean hasTrigram(String text) {
        int run = 0;
        for (int c : text.codePoints().toArray()) {
            run = Character.isLetterOrDigit(c) ? run + 1 : 0;
            if (run >= 3) return true;
        }
        return false;
    }

    /** Matches values containing {@code text} literally: its \, % and _ are escaped; one line only (see searchable). */
    public static String containing(String text) {
        if (text.indexOf('\n') >= 0) throw new IllegalArgumentException("a search text is a single line");
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
