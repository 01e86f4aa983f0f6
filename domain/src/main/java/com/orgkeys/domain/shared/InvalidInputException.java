package com.orgkeys.domain.shared;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Input that is well-formed but breaks a rule; names every offending field. */
public final class InvalidInputException extends DomainException {
    /** More problems than this help nobody, and would let one request make a large answer: the rest are dropped. */
    public static final int MAX_ERRORS = 20;

    private final List<FieldError> errors;

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public InvalidInputException(List<FieldError> errors) {
        this(new Kept(errors));
    }

    private InvalidInputException(Kept kept) {
        super(kept.errors().stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
        this.errors = kept.errors();
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The distinct errors, in order, at most {@link #MAX_ERRORS}: a thousand times the same problem is one. */
    private record Kept(List<FieldError> errors) {
        Kept {
            if (errors.isEmpty()) throw new IllegalArgumentException("at least one field error");
            Set<FieldError> distinct = new LinkedHashSet<>();
            for (FieldError error : errors) {
                if (distinct.size() == MAX_ERRORS) break;
                distinct.add(error);
            }
            errors = List.copyOf(distinct);
        }
    }
}
