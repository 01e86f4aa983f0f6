package com.orgkeys.application.invitation.service;

import com.orgkeys.application.account.port.out.SessionRepository;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.application.account.service.VerifiedEmails;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.invitation.port.in.ManageInvitationsUseCase;
import com.orgkeys.application.invitation.port.out.InvitationRepository;
import com.orgkeys.application.mail.port.out.InvitationMail;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.membership.service.Grants;
import com.orgkeys.application.membership.service.Roles;
import com.orgkeys.application.organization.port.out.OrganizationRepository;
import com.orgkeys.domain.shared.Secrets;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.application.webhook.service.WebhookData;
import com.orgkeys.application.webhook.service.WebhookEvents;
import com.orgkeys.domain.organization.OrganizationMetadata;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.caller.UserCaller;
import com.orgkeys.domain.invitation.Invitation;
import com.orgkeys.domain.invitation.InvitationId;
import com.orgkeys.domain.membership.Grantor;
import com.orgkeys.domain.membership.Membership;
import com.orgkeys.domain.membership.Permission;
import com.orgkeys.domain.membership.Role;
import com.orgkeys.domain.organization.Organization;
import com.orgkeys.domain.organization.OrganizationId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.FieldError;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.NotFoundException;
import com.orgkeys.domain.shared.UnauthenticatedException;

import static com.orgkeys.domain.shared.Validation.collect;
import static com.orgkeys.domain.shared.Validation.throwIfAny;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class InvitationService implements ManageInvitationsUseCase {
    /** Far above a real token (43 characters); a longer one is not looked up at all. */
    private static final int MAX_TOKEN_LENGTH = 200;
    private final InvitationRepository invitations;
    private final MembershipRepository memberships;
    private final OrganizationRepository organizations;
    private final UserRepository users;
    private final SessionRepository sessions;
    private final Roles roles;
    private final Grants grants;
    private final MailOutbox mails;
    private final Audit audit;
    private final TransactionRunner tx;
    private final Clock clock;
    private final URI publicOrigin;
    private final WebhookEvents webhooks;

    public InvitationService(InvitationRepository invitations, MembershipRepository memberships,
                             OrganizationRepository organizations, UserRepository users, SessionRepository sessions,
                             Roles roles, Grants grants, MailOutbox mails, Audit audit, TransactionRunner tx, Clock clock, URI publicOrigin) {
        this(invitations, memberships, organizations, users, sessions, roles, grants, mails, audit, tx, clock,
                publicOrigin, WebhookEvents.NONE);
    }

    /** @param webhooks told of invitations created, accepted (and the membership) and revoked, in their transaction */
    public InvitationService(InvitationRepository invitations, MembershipRepository memberships,
                             OrganizationRepository organizations, UserRepository users, SessionRepository sessions,
                             Roles roles, Grants grants, MailOutbox mails, Audit audit, TransactionRunner tx, Clock clock,
                             URI publicOrigin, WebhookEvents webhooks) {
        this.webhooks = java.util.Objects.requireNonNull(webhooks, "webhooks");
        this.invitations = invitations;
        this.memberships = memberships;
        this.organizations = organizations;
        this.users = users;
        this.sessions = sessions;
        this.roles = roles;
        this.grants = grants;
        this.mails = mails;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.publicOrigin = publicOrigin;
    }

    @Override
    public CreatedInvitation createInvitation(Caller caller, CreateInvitationCommand command) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_MANAGE);
        List<FieldError> errors = new ArrayList<>();
        Email invited = collect(errors, () -> Email.parse(command.email()));
        Role invitedRole = collect(errors, () -> roles.require(org, "role", command.role()));
        throwIfAny(errors);
        String token = Secrets.newToken();
        Instant now = clock.instant();
        if (!(caller instanceof UserCaller inviter)) {
            throw new com.orgkeys.domain.shared.ForbiddenException("Only a signed-in user can invite.");
        }
        Invitation invitation = new Invitation(InvitationId.random(), org, invited, invitedRole.key(),
                Secrets.sha256(token), inviter.userId(), now, now.plus(Invitation.VALIDITY),
                Optional.empty(), Optional.empty());
        String url = acceptUrl(token);
        tx.inTransaction(() -> {
            Grantor grantor = grants.lockAndRequire(caller, org, Permission.MEMBERSHIPS_MANAGE);
            Role role = roles.find(org, invitedRole.key())
                    .orElseThrow(() -> new InvalidInputException("role", "no role " + invitedRole.key() + " in this organization"));
            grantor.requireCanGive(role.key(), role.permissions());
            Organization found = organizations.findById(org).orElseThrow(() -> new NotFoundException("No organization."));
            Optional<User> existing = users.findByEmail(invited);
            if (existing.isPresent() && memberships.find(org, existing.get().id()).isPresent()) {
                throw new ConflictException(invited + " is already a member.");
            }
            if (invitations.findPendingForEmail(org, invited, now).isPresent()) {
                throw new ConflictException(invited + " already has a pending invitation; revoke it to send a new one.");
            }
            User inviterUser = users.findById(inviter.userId())
                    .orElseThrow(() -> new UnauthenticatedException("Sign in first."));
            invitations.insert(invitation);
            audit.record(caller, org, "invitation.created", invitation.id().toString(),
                    "email=" + invited + " role=" + invitedRole.key());
            webhooks.record(Optional.of(org), "organizationInvitation.created",
                    WebhookData.invitation(invitation, invitation.createdAt()));
            // in this transaction: the mail exists if and only if the invitation does
            mails.enqueue(new InvitationMail(invited, found.name(), inviterUser.name(), role.name(), url,
                    invitation.expiresAt()));
        });
        return new CreatedInvitation(invitation, url);
    }

    @Override
    public String acceptUrl(String token) {
        return publicOrigin + "/invitations/accept?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    @Override
    public List<Invitation> listPendingInvitations(Caller caller) {
        return invitations.listPending(caller.require(Permission.MEMBERSHIPS_MANAGE), clock.instant());
    }

    @Override
    public void revokeInvitation(Caller caller, InvitationId id) {
        OrganizationId org = caller.require(Permission.MEMBERSHIPS_MANAGE);
        tx.inTransaction(() -> {
            grants.lockAndRequire(caller, org, Permission.MEMBERSHIPS_MANAGE);
            Invitation invitation = invitations.find(org, id).orElseThrow(() -> new NotFoundException("No invitation " + id + "."));
            if (invitation.revokedAt().isPresent()) return;
            if (invitation.acceptedAt().isPresent()) throw new ConflictException("This invitation was already accepted.");
            Invitation revoked = new Invitation(invitation.id(), org, invitation.email(), invitation.role(),
                    invitation.tokenHash(), invitation.invitedBy(), invitation.createdAt(), invitation.expiresAt(),
                    Optional.empty(), Optional.of(clock.instant()));
            invitations.update(revoked);
            audit.record(caller, org, "invitation.revoked", id.toString(), "email=" + invitation.email());
            webhooks.record(Optional.of(org), "organizationInvitation.revoked",
                    WebhookData.invitation(revoked, revoked.revokedAt().orElseThrow()));
        });
    }

    @Override
    public InvitationPreview previewInvitation(String token) {
        Invitation invitation = byToken(token);
        Instant now = clock.instant();
        if (invitation.revokedAt().isPresent()) return closed(InvitationState.REVOKED);
        if (invitation.acceptedAt().isPresent()) return closed(InvitationState.ACCEPTED);
        if (!invitation.isPendingAt(now)) return closed(InvitationState.EXPIRED);
        Organization organization = organizations.findById(invitation.organizationId())
                .orElseThrow(() -> new NotFoundException("This invitation link is not valid."));
        String inviter = users.findById(invitation.invitedBy()).map(User::name).orElse("A former member");
        String roleName = roles.find(invitation.organizationId(), invitation.role()).map(Role::name)
                .orElse(invitation.role().value());
        return new InvitationPreview(InvitationState.PENDING, organization.name(), inviter, roleName,
                invitation.email(), invitation.expiresAt());
    }

    private static InvitationPreview closed(InvitationState state) {
        return new InvitationPreview(state, null, null, null, null, null);
    }

    private Invitation byToken(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw new NotFoundException("This invitation link is not valid.");
        }
        return invitations.findByTokenHash(Secrets.sha256(token.strip()))
                .orElseThrow(() -> new NotFoundException("This invitation link is not valid."));
    }

    @Override
    public void declineInvitation(UserCaller caller, String token) {
        User user = users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
        tx.inTransaction(() -> {
            Invitation found = byToken(token);
            organizations.lock(found.organizationId()); // against an accept of the same link at the same time
            Invitation invitation = invitations.findByTokenHash(found.tokenHash()).orElseThrow();
            invitations.update(invitation.decline(user.email(), clock.instant()));
            audit.record(caller, invitation.organizationId(), "invitation.declined", invitation.id().toString(),
                    "email=" + user.email());
        });
    }

    @Override
    public Membership acceptInvitation(UserCaller caller, String token) {
        if (token == null || token.isBlank()) throw new InvalidInputException("token", "is required");
        User user = users.findById(caller.userId()).orElseThrow(() -> new UnauthenticatedException("Sign in first."));
        // before the token is looked at: an address nobody has shown to be theirs joins nothing
        VerifiedEmails.require(user);
        return tx.inTransaction(() -> {
            Invitation invitation = invitations.findByTokenHash(Secrets.sha256(token.strip()))
                    .orElseThrow(() -> new NotFoundException("This invitation link is not valid."));
            organizations.lock(invitation.organizationId()); // two accepts of one link: the second sees it used
            invitation = invitations.findByTokenHash(invitation.tokenHash()).orElseThrow();
            Instant now = clock.instant();
            Invitation accepted = invitation.accept(user.email(), now);
            if (memberships.find(invitation.organizationId(), user.id()).isPresent()) {
                throw new ConflictException("You are already a member of this organization.");
            }
            Role role = roles.find(invitation.organizationId(), invitation.role())
                    .orElseThrow(() -> new ConflictException("The invited role no longer exists; ask for a new invitation."));
            // The role may have been edited, or the inviter demoted or removed, since the invitation was sent:
            // it gives the role as it is now, and only while its inviter could still give that.
            Grantor inviter = grants.read(invitation.organizationId(), invitation.invitedBy()); // locked above
            if (!inviter.holds(Permission.MEMBERSHIPS_MANAGE) || !inviter.canGive(role.key(), role.permissions())) {
                throw new ConflictException("The person who invited you can no longer give the role " + role.key()
                        + "; ask for a new invitation.");
            }
            Membership membership = new Membership(invitation.organizationId(), user.id(), role.key(), now);
            invitations.update(accepted);
            memberships.insert(membership);
            sessions.setActiveOrganization(caller.sessionId(), Optional.of(invitation.organizationId()));
            UserCaller inOrganization = new UserCaller(caller.userId(), caller.sessionId(),
                    Optional.of(invitation.organizationId()), Optional.of(role.key()), role.permissions(),
                    caller.clientAddress());
            audit.record(inOrganization, invitation.organizationId(), "invitation.accepted",
                    invitation.id().toString(), "email=" + user.email() + " role=" + role.key());
            if (webhooks != WebhookEvents.NONE) {
                OrganizationId org = invitation.organizationId();
                webhooks.record(Optional.of(org), "organizationInvitation.accepted", WebhookData.invitation(accepted, now));
                Organization organization = organizations.findById(org).orElseThrow();
                OrganizationMetadata metadata = organizations.metadata(org).orElse(OrganizationMetadata.EMPTY);
                memberships.findAll(org, java.util.Set.of(user.id())).forEach(member -> webhooks.record(Optional.of(org),
                        "organizationMembership.created", WebhookData.membership(member, organization, metadata,
                                role.permissions())));
            }
            return membership;
        });
    }
}
