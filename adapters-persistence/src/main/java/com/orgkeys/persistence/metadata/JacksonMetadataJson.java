package com.orgkeys.persistence.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orgkeys.application.shared.port.out.MetadataJson;
import com.orgkeys.domain.metadata.Metadata;

import java.io.UncheckedIOException;
import java.util.Map;

/** Metadata to and from JSON with Jackson: compact text to store in jsonb, and the stored jsonb read back. */
public final class JacksonMetadataJson implements MetadataJson {
    public static final JacksonMetadataJson INSTANCE = new JacksonMetadataJson();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String write(Map<String, Object> values) {
        try {
            return mapper.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stored object: jsonb's text (which adds spaces) read back and written compactly again, so that the size
     * limit counts the same bytes it counted when the object was stored.
     */
    public Metadata read(String jsonb) {
        try {
            return Metadata.of("metadata", mapper.readValue(jsonb, OBJECT), this::write);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
