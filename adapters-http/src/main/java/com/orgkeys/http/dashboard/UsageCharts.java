package com.orgkeys.http.dashboard;

import com.orgkeys.application.apikey.port.in.ReadApiKeyUsageUseCase.KeyUsage;
import com.orgkeys.domain.apikey.DailyUsage;
import com.orgkeys.http.dashboard.PageModels.UsageBar;
import com.orgkeys.http.dashboard.PageModels.UsageChart;
import com.orgkeys.http.dashboard.PageModels.UsageDayRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A key's usage as a bar chart the server draws: no script, so it shows wherever the page does. */
final class UsageCharts {
    /** Room above the tallest bar, in view box units. */
    private static final int HEADROOM = 8;

    private UsageCharts() {
    }

    static UsageChart of(String keyName, KeyUsage usage) {
        List<DailyUsage> days = usage.days();
        long max = days.stream().mapToLong(UsageCharts::drawn).max().orElse(0);
        int slot = UsageChart.WIDTH / Math.max(1, days.size());
        int barWidth = Math.max(1, slot * 7 / 10);
        List<UsageBar> bars = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            DailyUsage day = days.get(i);
            int success = height(Math.max(0, day.success()), max);
            int refused = height(refused(day), max);
            int successY = UsageChart.HEIGHT - success;
            bars.add(new UsageBar(i * slot + (slot - barWidth) / 2, barWidth, successY, success, successY - refused,
                    refused, day.day() + ": " + Math.max(0, day.success()) + " successful, " + refused(day) + " refused"));
        }
        DailyUsage totals = usage.totals();
        String title = "Requests with “" + keyName + "” per day, " + usage.from() + " to " + usage.to() + " (UTC)";
        String description;
        if (totals.total() == 0) {
            description = "No requests in these " + days.size() + " days.";
        } else {
            DailyUsage busiest = days.stream().max(Comparator.comparingLong(UsageCharts::drawn)).orElseThrow();
            description = Math.max(0, totals.success()) + " successful and " + refused(totals) + " refused requests in "
                    + days.size() + " days; the busiest day, " + busiest.day() + ", had " + drawn(busiest) + ".";
        }
        // the table lists the newest day first: what people look for
        List<UsageDayRow> rows = new ArrayList<>(days.stream().map(d -> row(d.day().toString(), d)).toList());
        java.util.Collections.reverse(rows);
        return new UsageChart(title, description, bars, rows, max, row("Total", totals));
    }

    private static UsageDayRow row(String label, DailyUsage d) {
        return new UsageDayRow(label, Math.max(0, d.success()), d.scopeRefused(), d.rateLimited(), d.ipRefused());
    }

    private static long refused(DailyUsage d) {
        return Math.max(0, d.scopeRefused()) + Math.max(0, d.rateLimited()) + Math.max(0, d.ipRefused());
    }

    /** What a day's bar stands for; a count is below zero only for a moment (a refusal counted after its success). */
    private static long drawn(DailyUsage d) {
        return Math.max(0, d.success()) + refused(d);
    }

    private static int height(long count, long max) {
        if (count <= 0 || max <= 0) return 0;
        return (int) Math.max(1, Math.round((double) count * (UsageChart.HEIGHT - HEADROOM) / max));
    }
}
