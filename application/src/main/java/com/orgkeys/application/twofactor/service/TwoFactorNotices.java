package com.orgkeys.application.twofactor.service;

import com.orgkeys.application.apikey.service.OwnedApiKeys;
import com.orgkeys.application.audit.service.Audit;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail;
import com.orgkeys.application.mail.port.out.TwoFactorChangedMail.Change;
import com.orgkeys.application.mail.service.MailOutbox;
import com.orgkeys.application.membership.port.out.MembershipRepository;
import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.account.User;

import java.time.Instant;

/**
 * Tells of a change to a user's two-factor sign-in: a mail to the user, and an audit event ({@code user.two_factor.*},
 * actor the user) in every organization they belong to, so that its admins see it. Call inside the change's
 * transaction.
 */
public final class TwoFactorNotices {
    private final MembershipRepository memberships;
    private final MailOutbox mails;
    private final Audit audit;

    /** The user's own API keys, which an organization's two-factor requirement holds back as their sessions; null: none. */
    private final OwnedApiKeys ownedKeys;
    private final TransactionRunner tx;

    public TwoFactorNotices(MembershipRepository memberships, MailOutbox mails, Audit audit) {
        this(memberships, mails, audit, null, null);
    }

    public TwoFactorNotices(MembershipRepository memberships, MailOutbox mails, Audit audit,
                            OwnedApiKeys ownedKeys, TransactionRunner tx) {
        if (ownedKeys != null && tx == null) throw new IllegalArgumentException("forgetting keys waits for the commit");
        this.ownedKeys = ownedKeys;
        this.tx = tx;
        this.memberships = memberships;
        this.mails = mails;
        this.audit = audit;
    }

    /** The audit action of {@code change}, e.g. {@code user.two_factor.enabled}. */
    public static String action(Change change) {
        return "user.two_factor." + change.value();
    }

    public void changed(User user, Change change, String details, String clientAddress, Instant now) {
        memberships.listForUser(user.id()).forEach(o -> audit.recordForUser(user.id(), o.organization().id(),
                action(change), user.id().toString(), details, clientAddress));
        mails.enqueue(new TwoFactorChangedMail(user.email(), user.name(), change, now));
        // every change of the user's factors (an app, a passkey, either removed) may hold back their keys or free
        // them: every node forgets them when this commits (the feed), this one as soon as it has committed
        if (ownedKeys != null) {
            var forget = ownedKeys.ownerFactorsChanged(user.id());
            tx.afterCommit(() -> ownedKeys.forgetHere(forget));
        }
    }
}
