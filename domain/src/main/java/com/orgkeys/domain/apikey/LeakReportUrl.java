package com.orgkeys.domain.apikey;

import com.orgkeys.domain.shared.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a reporter found a leaked secret (a commit, a paste, a log): an absolute http(s) URL of at most
 * {@link #MAX_LENGTH} characters without control characters or spaces. It is shown to the organization's admins
 * and kept in the audit log, never fetched.
 */
public record LeakReportUrl(String value) {
    public static final int MAX_LENGTH = 2_000;

    public LeakReportUrl {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw invalid("must be 1–" + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // spaces too: a URL has none, and one would let the audit details be read as two fields
            if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSurrogate(c)) {
                throw invalid("must not contain control characters or spaces");
            }
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid("must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("must be an absolute http or https URL");
        }
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException("url", message);
    }
}
