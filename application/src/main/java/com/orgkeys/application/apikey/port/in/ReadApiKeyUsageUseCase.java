package com.orgkeys.application.apikey.port.in;

import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.caller.Caller;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A key's requests per day by outcome, when and where it was last used, and its status history (needs
 * {@code org:sys_api_keys:read}, as reading the key does).
 */
public interface ReadApiKeyUsageUseCase {
    int MAX_DAYS = 90;
    /** Events a history shows at most: the newest. */
    int MAX_HISTORY = 100;

    /**
     * The key's own audit events (created, edited, disabled, enabled, revoked, and whatever else is done to it),
     * newest first, at most {@value #MAX_HISTORY}; events deleted by the audit retention are gone from it too.
     */
    List<AuditEvent> getApiKeyHistory(Caller caller, ApiKeyId id);

    /**
     * @param days how many days, today (UTC) included: 1–{@value #MAX_DAYS}
     */
    KeyUsage getApiKeyUsage(Caller caller, ApiKeyId id, int days);

    /**
     * {@code days}: one entry per day from {@code from} to {@code to} (today), oldest first, days without requests
     * as zeros. The counts lag by one flush interval (a few seconds) at most.
     */
    record KeyUsage(ApiKeyId id, LocalDate from, LocalDate to, Optional<Instant> lastUsedAt,
                    Optional<String> lastUsedAddress, List<DailyUsage> days) {
        public DailyUsage totals() {
            return days.stream().reduce(DailyUsage.none(from), DailyUsage::plus);
        }
    }
}
