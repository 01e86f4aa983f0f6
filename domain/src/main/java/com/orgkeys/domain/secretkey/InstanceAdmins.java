package com.orgkeys.domain.secretkey;

import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;

import java.util.Set;

/**
 * The instance's administrators (ADMIN_EMAILS), who manage backend secret keys from the dashboard. A listed address
 * counts only once its owner has verified it: signing up first with an administrator's address gives nothing.
 */
public record InstanceAdmins(Set<Email> emails) {
    public InstanceAdmins {
        emails = Set.copyOf(emails);
    }

    public static InstanceAdmins none() {
        return new InstanceAdmins(Set.of());
    }

    public boolean admits(User user) {
        return user.emailVerified() && emails.contains(user.email());
    }
}
