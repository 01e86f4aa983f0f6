package com.orgkeys.application.apikey.service;

import com.orgkeys.application.apikey.port.in.ManageApiKeysUseCase;
import com.orgkeys.application.apikey.port.in.ReadApiKeyUsageUseCase;
import com.orgkeys.application.apikey.port.out.ApiKeyUsageRepository;
import com.orgkeys.application.audit.port.out.AuditLog;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.audit.AuditEvent;
import com.orgkeys.domain.apikey.ApiKey;
import com.orgkeys.domain.apikey.ApiKeyId;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.shared.InvalidInputException;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

public final class ApiKeyUsageService implements ReadApiKeyUsageUseCase {
    private final ManageApiKeysUseCase keys;
    private final ApiKeyUsageRepository usage;
    private final AuditLog auditLog;
    private final TransactionRunner tx;
    private final Clock clock;

    public ApiKeyUsageService(ManageApiKeysUseCase keys, ApiKeyUsageRepository usage, AuditLog auditLog,
                              TransactionRunner tx, Clock clock) {
        this.keys = keys;
        this.usage = usage;
        this.auditLog = auditLog;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public List<AuditEvent> getApiKeyHistory(Caller caller, ApiKeyId id) {
        ApiKey key = keys.getApiKey(caller, id).key(); // the permission and organization check
        return tx.inTransaction(() -> auditLog.aboutTarget(key.organizationId(), "api_key.", id.toString(), MAX_HISTORY));
    }

    @Override
    public KeyUsage getApiKeyUsage(Caller caller, ApiKeyId id, int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new InvalidInputException("days", "must be 1–" + MAX_DAYS);
        }
        // reading the key checks the caller's permission and organization (404 for a key of another one)
        ApiKey key = keys.getApiKey(caller, id).key();
        LocalDate to = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(days - 1);
        record Stored(List<DailyUsage> days, java.util.Optional<String> address) {
        }
        Stored stored = tx.inTransaction(() -> new Stored(usage.days(key.organizationId(), id, from),
                usage.lastUsedAddress(key.organizationId(), id)));
        Map<LocalDate, DailyUsage> byDay = stored.days().stream()
                .collect(Collectors.toMap(DailyUsage::day, Function.identity(), DailyUsage::plus));
        List<DailyUsage> dense = new ArrayList<>(days);
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            dense.add(byDay.getOrDefault(day, DailyUsage.none(day)));
        }
        return new KeyUsage(id, from, to, key.lastUsedAt(), stored.address(), List.copyOf(dense));
    }
}
