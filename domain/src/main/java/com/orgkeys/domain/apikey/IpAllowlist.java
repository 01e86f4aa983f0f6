package com.orgkeys.domain.apikey;

import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The addresses a key may be used from: empty for anywhere. At most {@value #MAX_RANGES} ranges, kept in the
 * order given, duplicates dropped.
 */
public record IpAllowlist(List<IpRange> ranges) {
    public static final int MAX_RANGES = 100;
    public static final IpAllowlist ANYWHERE = new IpAllowlist(List.of());

    public IpAllowlist {
        Objects.requireNonNull(ranges, "ranges");
        ranges = List.copyOf(new LinkedHashSet<>(ranges));
        if (ranges.size() > MAX_RANGES) {
            throw new InvalidInputException("allowlist", "at most " + MAX_RANGES + " ranges");
        }
    }

    /** Parses every entry, reporting each bad one (field {@code allowlist[i]}) together. */
    public static IpAllowlist parse(List<String> entries) {
        Objects.requireNonNull(entries, "entries");
        if (entries.size() > MAX_RANGES) { // before parsing any: a client may send a million
            throw new InvalidInputException("allowlist", "at most " + MAX_RANGES + " ranges");
        }
        List<IpRange> ranges = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                ranges.add(IpRange.parse("allowlist[" + i + "]", entries.get(i) == null ? null : entries.get(i).strip()));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        return new IpAllowlist(ranges);
    }

    /** Whether every address this list lets through, {@code other} lets through too (this one is no wider). */
    public boolean within(IpAllowlist other) {
        if (other.isAnywhere()) return true;
        if (isAnywhere()) return false;
        return ranges.stream().allMatch(range -> other.ranges.stream().anyMatch(wider -> wider.contains(range)));
    }

    public boolean isAnywhere() {
        return ranges.isEmpty();
    }

    /** Whether the client at {@code address} (4 or 16 bytes) may use the key. */
    public boolean permits(byte[] address) {
        if (ranges.isEmpty()) return true;
        for (IpRange range : ranges) if (range.contains(address)) return true;
        return false;
    }

    /** Whether the client at {@code address} (an IP literal, as HttpCall gives it) may use the key; false for garbage. */
    public boolean permits(String address) {
        if (ranges.isEmpty()) return true;
        long ipv4 = IpRange.ipv4(address); // the common case, read without a regex or an allocation
        if (ipv4 >= 0) {
            for (IpRange range : ranges) if (range.containsIpv4(ipv4)) return true;
            return false;
        }
        IpRange client;
        try {
            client = IpRange.parse("address", address);
        } catch (InvalidInputException e) {
            return false;
        }
        for (IpRange range : ranges) if (range.contains(client)) return true;
        return false;
    }

    public List<String> texts() {
        return ranges.stream().map(IpRange::toString).toList();
    }
}
