package com.orgkeys.application.shared.port.out;

import java.util.Map;

/**
 * Writes a metadata tree as compact JSON (the adapters' JSON library): the form {@link com.orgkeys.domain.metadata.Metadata}
 * stores and measures. Users' metadata now, organizations' later.
 */
@FunctionalInterface
public interface MetadataJson {
    String write(Map<String, Object> values);
}
