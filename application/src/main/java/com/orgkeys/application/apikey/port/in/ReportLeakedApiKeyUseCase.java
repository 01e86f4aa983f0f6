package com.orgkeys.application.apikey.port.in;

/**
 * A leak report: someone found an API key's secret in public (a commit, a paste, a log) and hands it in, without
 * signing in, as secret scanners do (GitHub's secret scanning partner program, GitGuardian). Holding the secret is
 * the proof: the key is revoked with reason {@code leaked}, its organization's admins are mailed, the report is
 * audited. The caller learns nothing: every report that is well-formed text gets the same answer, whether the
 * secret is a working key's, an already revoked one's, or nobody's.
 */
public interface ReportLeakedApiKeyUseCase {
    /** The reason a reported key is revoked with. */
    String REASON = "leaked";

    /**
     * @param secret        the secret as found; at most {@link #MAX_SECRET_LENGTH} characters of text
     * @param url           where it was found: an absolute http(s) URL, or null
     * @param clientAddress the reporter's address, for the throttle and the audit event
     */
    record ReportLeakCommand(String secret, String url, String clientAddress) {
        /** Generous for an {@code ok_} secret (52 characters) with room for whatever a scanner captured around it. */
        public static final int MAX_SECRET_LENGTH = 200;

        @Override
        public String toString() {
            return "ReportLeakCommand[url=" + url + ", clientAddress=" + clientAddress + "]";
        }
    }

    /**
     * Revokes the key whose secret this is, if there is one and it is not revoked yet; otherwise does nothing and
     * answers the same.
     *
     * @throws com.orgkeys.domain.shared.InvalidInputException a missing secret, one that is not text (control
     *                                                         characters, too long), or an invalid url: checked
     *                                                         before anything is looked up, so it tells nothing
     * @throws com.orgkeys.domain.shared.RateLimitedException  too many reports from the caller's network, or from
     *                                                         everywhere
     */
    void reportLeak(ReportLeakCommand command);
}
