package com.orgkeys.bootstrap.api;

import java.util.Set;

/**
 * Every API route that needs a verified email (issue 21), as "METHOD /pattern": a user who signed up with an address
 * they cannot read gets 403 {@code urn:orgkeys:problem:email-not-verified} there. The tests of that refusal
 * (AuthorizationMatrixTest, OpenApiDocumentTest) iterate this list, and the matrix fails for a route missing here.
 */
public final class VerifiedEmailRoutes {
    public static final String PROBLEM_TYPE = "urn:orgkeys:problem:email-not-verified";

    public static final Set<String> ROUTES = Set.of("POST /api/invitations/accept", "POST /api/api-keys",
            "PATCH /api/api-keys/{id}", "POST /api/api-keys/{id}/rotate");

    private VerifiedEmailRoutes() {
    }
}
