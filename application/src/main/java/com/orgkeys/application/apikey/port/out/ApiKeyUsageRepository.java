package com.orgkeys.application.apikey.port.out;

import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.organization.OrganizationId;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per key and day (UTC), how many requests ended in each outcome, and the address of the day's latest successful
 * request (so that "where was it last used from" costs no write to the key's row).
 */
public interface ApiKeyUsageRepository {
    /** One key's counts of one day, to add to what is stored; {@code lastAddress} replaces the stored one if present. */
    record KeyDayCounts(ApiKeyId keyId, DailyUsage counts, Optional<String> lastAddress) {
        public KeyDayCounts {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(counts, "counts");
            Objects.requireNonNull(lastAddress, "lastAddress");
        }
    }

    /**
     * Adds each entry's counts to the stored ones of its key and day (a row is made when there is none), so that
     * nodes that each add their own make exact totals. Counts of a key that no longer exists are dropped.
     */
    void add(List<KeyDayCounts> counts);

    /** The key's stored days from {@code from} on (inclusive), oldest first; days without a row are left out. */
    List<DailyUsage> days(OrganizationId organizationId, ApiKeyId id, LocalDate from);

    /** The address of the key's latest recorded successful request, from its latest day that has one. */
    Optional<String> lastUsedAddress(OrganizationId organizationId, ApiKeyId id);

    /** Deletes at most {@code limit} rows of days before {@code day}; returns how many. */
    int deleteBefore(LocalDate day, int limit);
}
