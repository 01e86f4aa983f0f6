package com.orgkeys.application.testing;

import com.orgkeys.application.shared.port.out.MetadataJson;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Compact JSON as the adapters' Jackson writes it (for the sizes the metadata rules measure), without Jackson. */
public final class FakeMetadataJson implements MetadataJson {
    public static final FakeMetadataJson INSTANCE = new FakeMetadataJson();

    @Override
    public String write(Map<String, Object> values) {
        return value(values);
    }

    private static String value(Object value) {
        if (value == null) return "null";
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> string(String.valueOf(e.getKey())) + ":" + value(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (value instanceof List<?> list) return list.stream().map(FakeMetadataJson::value).collect(Collectors.joining(",", "[", "]"));
        if (value instanceof String text) return string(text);
        return String.valueOf(value);
    }

    private static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
