package com.orgkeys.domain.shared;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** Validating several fields and reporting every problem at once, rather than the first one only. */
public final class Validation {
    private Validation() {
    }

    /** Runs {@code validation}; on failure adds its field errors to {@code errors} and returns null. */
    public static <T> T collect(List<FieldError> errors, Supplier<T> validation) {
        try {
            return validation.get();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    /** {@code check} applied to {@code value}; on failure adds its field errors to {@code errors} and returns null. */
    public static <T, R> R collect(List<FieldError> errors, T value, Function<T, R> check) {
        return collect(errors, () -> check.apply(value));
    }

    /** Throws one {@link InvalidInputException} naming every collected problem, if there are any. */
    public static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
    }
}
