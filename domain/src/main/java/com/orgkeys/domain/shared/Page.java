package com.orgkeys.domain.shared;

import java.util.List;
import java.util.function.Function;

/** One page of a list plus the size of the whole list. */
public record Page<T>(List<T> data, long totalCount) {
    public Page {
        data = List.copyOf(data);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(data.stream().map(mapper).toList(), totalCount);
    }

    /** Cuts a page out of a complete, already ordered list (for in-memory stores). */
    public static <T> Page<T> of(List<T> all, PageRequest request) {
        int from = Math.min(all.size(), request.offset());
        int to = Math.min(all.size(), from + request.pageSize());
        return new Page<>(all.subList(from, to), all.size());
    }
}
