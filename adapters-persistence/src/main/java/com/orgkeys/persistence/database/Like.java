package com.orgkeys.persistence.database;

/** Patterns for {@code ILIKE ? ESCAPE '\'}. */
public final class Like {
    private Like() {
    }

    /** Matches values containing {@code text} literally: its \, % and _ are escaped. */
    public static String containing(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
