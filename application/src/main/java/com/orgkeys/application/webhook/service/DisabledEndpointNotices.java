package com.orgkeys.application.webhook.service;

import com.orgkeys.application.mail.port.out.WebhookEndpointDisabledMail;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.membership.port.out.RoleRepository;
import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.membership.RoleKey;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;
import com.orgkeys.domain.webhook.WebhookEndpoint;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Tells an organization's webhook managers (the members whose role holds {@code org:sys_webhooks:manage}: the
 * admins and any such custom role) by mail that an endpoint was disabled after failing for five days. Called in the
 * disabling transaction, so that the mails (through the outbox) exist if and only if it was disabled, once.
 * Instance-level endpoints have nobody to mail: the server log says it.
 */
public final class DisabledEndpointNotices {
    private static final int MEMBERS_PAGE = PageRequest.MAX_PAGE_SIZE;

    private final OrganizationRepository organizations;
    private final MembershipRepository memberships;
    private final RoleRepository roles;
    private final MailOutbox mails;

    public DisabledEndpointNotices(OrganizationRepository organizations, MembershipRepository memberships,
                                   RoleRepository roles, MailOutbox mails) {
        this.organizations = organizations;
        this.memberships = memberships;
        this.roles = roles;
        this.mails = mails;
    }

    public void endpointDisabled(WebhookEndpoint endpoint, Instant failingSince, Instant disabledAt) {
        if (endpoint.organization().isEmpty()) return;
        Optional<Organization> organization = organizations.findById(endpoint.organization().get());
        if (organization.isEmpty()) return; // deleted meanwhile, with its endpoints
        Set<RoleKey> managing = new LinkedHashSet<>();
        for (Role role : Role.BUILT_IN) if (role.permissions().contains(Permission.WEBHOOKS_MANAGE)) managing.add(role.key());
        for (Role role : roles.list(organization.get().id())) {
            if (role.permissions().contains(Permission.WEBHOOKS_MANAGE)) managing.add(role.key());
        }
        for (int page = 1; ; page++) {
            Page<Member> members = memberships.page(organization.get().id(), managing, new PageRequest(page, MEMBERS_PAGE));
            for (Member member : members.data()) {
                mails.enqueue(new WebhookEndpointDisabledMail(member.email(), member.name(), organization.get().name(),
                        endpoint.id().toString(), endpoint.url().withoutQuery(), failingSince, disabledAt));
            }
            if (members.data().size() < MEMBERS_PAGE) break;
        }
    }
}
