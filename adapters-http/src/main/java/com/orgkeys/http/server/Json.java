package com.orgkeys.http.server;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;

/** The one shared {@link ObjectMapper}: strict on input (no guessing what a client meant), ISO instants out. */
public final class Json {
    /**
     * Tokens (names, values, brackets) in one JSON document. The largest real body (a key or role with every
     * permission) has a few dozen; without a limit a mebibyte of {@code [1,1,…]} is half a million list elements
     * for a handler to walk.
     */
    public static final long MAX_TOKENS = 10_000;

    private Json() {
    }

    public static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)          // deeply nested input fails fast instead of recursing
                        .maxStringLength(1_048_576)
                        .maxNumberLength(64)
                        .maxTokenCount(MAX_TOKENS)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // buffers shared across threads: the thread-local default recycles nothing on virtual threads
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build();
        JsonMapper mapper = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("refuse-nul").addDeserializer(String.class, new NulRefusingStringDeserializer()))
                // [null] in a list is never what a client meant: refused (InvalidNullException, with the path),
                // so no handler or service has to guard each element
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // A number or boolean where text is expected is a client bug, not something to convert silently.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Jackson trims text before reading a number from it and binds an empty result as null: "" or "\u0000" for
        // secondsUntilExpiration would make a key that never expires. Text where a number or boolean is expected fails.
        for (LogicalType scalar : new LogicalType[]{LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(scalar)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(false);
        }
        return mapper;
    }

    /**
     * A value refused while binding for what it contains, not for its type; {@link HttpCall#body} answers 422 with
     * the field's path and this message.
     */
    public static final class RefusedValueException extends MismatchedInputException {
        RefusedValueException(JsonParser parser, String message) {
            super(parser, message);
        }
    }

    /**
     * Every string bound from JSON: U+0000 is refused. No text of this API may hold it, and PostgreSQL cannot store
     * it in text columns; refusing it here covers every field of every body, present and future, in one place.
     * (Other control characters are the domain's call: descriptions may hold newlines.)
     */
    static final class NulRefusingStringDeserializer extends StdScalarDeserializer<String> {
        NulRefusingStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && value.indexOf('\u0000') >= 0) {
                throw new RefusedValueException(parser, "must not contain the NUL character (U+0000)");
            }
            return value;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }

        @Override
        public Object getEmptyValue(DeserializationContext context) {
            return "";
        }
    }
}
