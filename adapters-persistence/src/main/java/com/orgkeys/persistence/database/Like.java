package com.orgkeys.persistence.database;

/** Patterns for {@code ILIKE ? ESCAPE '\'}. */
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

    /** Matches values containing {@code text} literally: its \, % and _ are escaped; one line only (see searchable). */
    public static String containing(String text) {
        if (text.indexOf('\n') >= 0) throw new IllegalArgumentException("a search text is a single line");
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
