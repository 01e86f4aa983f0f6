package com.orgkeys.domain.organization;

import com.orgkeys.domain.shared.InvalidInputException;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** The organization's unique, URL-friendly name: {@code [a-z0-9-]{3,48}}, no leading or trailing dash. */
public record Slug(String value) {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9](?:[a-z0-9-]{1,46})[a-z0-9]");

    public Slug {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new InvalidInputException("slug",
                    "must be 3–48 characters of a–z, 0–9 and '-', not starting or ending with '-'");
        }
    }

    /** A slug made from a display name: "Acme, Inc." → "acme-inc"; padded when too short. */
    public static Slug fromName(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 40) slug = slug.substring(0, 40).replaceAll("-+$", "");
        if (slug.length() < 3) slug = (slug.isEmpty() ? "org" : slug + "-org");
        return new Slug(slug);
    }

    /** The same slug with a suffix, to step around one that is taken. */
    public Slug withSuffix(String suffix) {
        String base = value.length() + suffix.length() + 1 > 48 ? value.substring(0, 47 - suffix.length()) : value;
        return new Slug(base.replaceAll("-+$", "") + "-" + suffix);
    }

    @Override
    public String toString() {
        return value;
    }
}
