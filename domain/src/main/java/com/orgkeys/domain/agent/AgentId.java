package com.orgkeys.domain.agent;

import com.orgkeys.domain.shared.InvalidInputException;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** An agent's id, unique within its organization: chosen by the client or generated ({@code agt_…}). */
public record AgentId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom random = new SecureRandom();

    public AgentId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new InvalidInputException("id", "must be 1–64 characters of A–Z, a–z, 0–9, '_' and '-'");
        }
    }

    public static AgentId generate() {
        StringBuilder id = new StringBuilder("agt_");
        for (int i = 0; i < 22; i++) id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return new AgentId(id.toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
