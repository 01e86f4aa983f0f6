package com.orgkeys.domain.webhook;

import com.orgkeys.domain.shared.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where an endpoint receives events: an absolute http(s) URL with a host, without credentials or fragment, at most
 * 2048 characters. Whether plain http and private addresses are allowed is the delivery's policy, not the URL's.
 */
public record WebhookUrl(URI value) {
    public static final int MAX_LENGTH = 2048;

    public WebhookUrl {
        if (value == null) throw new InvalidInputException("url", "is required");
        String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
        if (!value.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new InvalidInputException("url", "must be an https URL");
        }
        if (value.getHost() == null || value.getHost().isEmpty()) throw new InvalidInputException("url", "must name a host");
        if (value.getRawUserInfo() != null) throw new InvalidInputException("url", "must not carry a user or password");
        if (value.getRawFragment() != null) throw new InvalidInputException("url", "must not have a fragment");
        if (value.toString().length() > MAX_LENGTH) throw new InvalidInputException("url", "must be at most 2048 characters");
    }

    public static WebhookUrl parse(String text) {
        if (text == null || text.isBlank()) throw new InvalidInputException("url", "is required");
        if (text.length() > MAX_LENGTH) throw new InvalidInputException("url", "must be at most 2048 characters");
        if (text.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new InvalidInputException("url", "must not contain spaces or control characters");
        }
        try {
            return new WebhookUrl(new URI(text));
        } catch (URISyntaxException e) {
            throw new InvalidInputException("url", "is not a URL");
        }
    }

    public boolean isHttps() {
        return "https".equalsIgnoreCase(value.getScheme());
    }

    /** The host without IPv6 brackets. */
    public String host() {
        String host = value.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * The URL as scheme://host[:port]/path, for the audit log, mail and server logs: a query string may carry a
     * receiver's token, so it is left out (the full URL is shown only to those who manage the endpoint).
     */
    public String withoutQuery() {
        String authority = value.getRawAuthority();
        String path = value.getRawPath() == null ? "" : value.getRawPath();
        return value.getScheme().toLowerCase(Locale.ROOT) + "://" + authority + path;
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
