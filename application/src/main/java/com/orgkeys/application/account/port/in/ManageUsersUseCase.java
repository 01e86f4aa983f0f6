package com.orgkeys.application.account.port.in;

import com.orgkeys.domain.account.UserProfile;
import com.orgkeys.domain.account.Session;
import com.orgkeys.domain.account.SessionId;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.SecretKeyCaller;

import java.util.List;
import java.util.Optional;

/**
 * Users and their sessions managed by the team's backend with a secret key (the backend API's {@code /v1/users} and
 * {@code /v1/sessions}). Only a secret key may: the caller's type says so (a secret key is the instance's operator,
 * as in Clerk; no organization permission applies). Metadata values are JSON as parsed
 * (a map for an object); anything else is refused.
 */
public interface ManageUsersUseCase {
    /** Which users, in Clerk's terms: {@code orderBy} is e.g. {@code -created_at}. */
    record ListUsersQuery(List<String> emailAddresses, Optional<String> query, Optional<String> orderBy) {
        public ListUsersQuery {
            emailAddresses = List.copyOf(emailAddresses);
        }
    }

    record CreateUserCommand(List<String> emailAddresses, Optional<String> password, Optional<String> firstName,
                             Optional<String> lastName, Optional<Object> publicMetadata,
                             Optional<Object> privateMetadata, Optional<Object> unsafeMetadata) {
        @Override
        public String toString() {
            return "CreateUserCommand[emailAddresses=" + emailAddresses + "]";
        }
    }

    /** What changes; an empty field stays. Metadata given here replaces the whole object, as Clerk's PATCH does. */
    record UpdateUserCommand(Optional<String> password, Optional<String> firstName, Optional<String> lastName,
                             Optional<Object> publicMetadata, Optional<Object> privateMetadata,
                             Optional<Object> unsafeMetadata) {
        @Override
        public String toString() {
            return "UpdateUserCommand[***]";
        }
    }

    record MetadataCommand(Optional<Object> publicMetadata, Optional<Object> privateMetadata,
                           Optional<Object> unsafeMetadata) {
    }

    /** At most {@code limit} (1–100) users after the first {@code offset}. */
    List<UserProfile> listUsers(SecretKeyCaller caller, ListUsersQuery query, int limit, int offset);

    /** How many users {@code query} matches, up to {@link com.orgkeys.domain.shared.Page#COUNT_CAP}. */
    long countUsers(SecretKeyCaller caller, ListUsersQuery query);

    UserProfile getUser(SecretKeyCaller caller, UserId id);

    /**
     * A new account with one email (normalised and unique as at sign-up; verified, as Clerk's backend-created users
     * are), the password rules of sign-up (without one, a random password nobody knows: the user sets theirs by a
     * password reset), first and last name joined into the account's one name.
     *
     * @throws com.orgkeys.domain.shared.ConflictException when the email belongs to an account
     */
    UserProfile createUser(SecretKeyCaller caller, CreateUserCommand command);

    /** A new password ends every session of the user. */
    UserProfile updateUser(SecretKeyCaller caller, UserId id, UpdateUserCommand command);

    /** Clerk's deep merge: a null value removes its key. */
    UserProfile mergeMetadata(SecretKeyCaller caller, UserId id, MetadataCommand command);

    /** Each metadata object given replaces the stored one; those not given stay. */
    UserProfile replaceMetadata(SecretKeyCaller caller, UserId id, MetadataCommand command);

    /**
     * Deletes the account with its sessions (ended on every node: each request reads its session) and memberships.
     *
     * @throws com.orgkeys.domain.shared.ConflictException when the user is the last admin of an organization that
     *         has other members
     */
    void deleteUser(SecretKeyCaller caller, UserId id);

    record SessionList(List<Session> data, long totalCount) {
    }

    SessionList listSessions(SecretKeyCaller caller, UserId userId, Optional<Session.Status> status, int limit, int offset);

    Session getSession(SecretKeyCaller caller, SessionId id);

    /** Revokes the session (already ended: answered as it is); the next request with its cookie is refused. */
    Session revokeSession(SecretKeyCaller caller, SessionId id);
}
