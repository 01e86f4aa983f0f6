package com.orgkeys.domain.twofactor;

import com.orgkeys.domain.shared.Secrets;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recovery codes: {@link #COUNT} random codes shaped {@code xxxxx-xxxxx} from the lower-case base32 alphabet
 * (50 bits each), shown once and stored as the SHA-256 of their normalized form; each works once.
 */
public final class RecoveryCodes {
    public static final int COUNT = 10;
    private static final String ALPHABET = Base32.ALPHABET.toLowerCase(Locale.ROOT);
    private static final Pattern NORMALIZED = Pattern.compile("[a-z2-7]{10}");
    private static final SecureRandom random = new SecureRandom();

    private RecoveryCodes() {
    }

    /** {@link #COUNT} new codes, as shown to the user. */
    public static List<String> generate() {
        List<String> codes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            StringBuilder code = new StringBuilder(11);
            for (int c = 0; c < 10; c++) {
                if (c == 5) code.append('-');
                code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /**
     * The code as typed, without spaces and the dash and in lower case; empty when it cannot be a recovery code
     * (anything longer than 40 characters is refused before it is looked at).
     */
    public static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > 40) return Optional.empty();
        String normalized = typed.replace("-", "").replace(" ", "").strip().toLowerCase(Locale.ROOT);
        return NORMALIZED.matcher(normalized).matches() ? Optional.of(normalized) : Optional.empty();
    }

    /** The stored form of a code (normalized first); empty for anything that is not a recovery code. */
    public static Optional<String> hash(String typed) {
        return normalize(typed).map(Secrets::sha256);
    }
}
