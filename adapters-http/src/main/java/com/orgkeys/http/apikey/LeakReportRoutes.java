package com.orgkeys.http.apikey;

import com.orgkeys.application.apikey.port.in.ReportLeakedApiKeyUseCase;
import com.orgkeys.application.apikey.port.in.ReportLeakedApiKeyUseCase.ReportLeakCommand;
import com.orgkeys.http.server.Access;
import com.orgkeys.http.server.HttpCall;
import com.orgkeys.http.server.Router;

/**
 * {@code POST /api/api-keys/leaked}: anyone who holds a key's secret reports it found in public, without
 * credentials (a session cookie or a Bearer header sent along is ignored). One answer for every secret.
 */
public final class LeakReportRoutes {
    public static final String PATH = "/api/api-keys/leaked";
    /** The one answer to every report that passes the input check and the throttle. */
    public static final String RECEIVED = "Report received. If the secret belongs to an API key that still works, "
            + "the key is revoked and its organization's admins are told.";

    record LeakReportRequest(String secret, String url) {
        @Override
        public String toString() {
            return "LeakReportRequest[url=" + url + "]";
        }
    }

    record MessageJson(String message) {
    }

    private final ReportLeakedApiKeyUseCase reports;

    public LeakReportRoutes(ReportLeakedApiKeyUseCase reports) {
        this.reports = reports;
    }

    public void register(Router router) {
        router.post(PATH, Access.PUBLIC, this::report);
    }

    private void report(HttpCall call) {
        LeakReportRequest body = call.body(LeakReportRequest.class);
        reports.reportLeak(new ReportLeakCommand(body.secret(), body.url(), call.clientAddress().getHostAddress()));
        call.json(202, new MessageJson(RECEIVED));
    }
}
