package com.orgkeys.persistence.account;

import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.persistence.database.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class JdbcUserRepository implements UserRepository {
    private static final String COLUMNS = "id, email, name, password_hash, created_at, email_verified_at";

    private final Jdbc jdbc;

    public JdbcUserRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(User user) {
        try {
            jdbc.update("""
                    INSERT INTO users (id, email, name, password_hash, created_at, email_verified_at)
                    VALUES (?, ?, ?, ?, ?, ?)""",
                    user.id().value(), user.email().value(), user.name(), user.passwordHash(), user.createdAt(),
                    user.emailVerifiedAt().orElse(null));
        } catch (ConflictException e) {
            throw new ConflictException("Email is already registered.");
        }
    }

    @Override
    public Optional<User> findById(UserId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM users WHERE id = ?", JdbcUserRepository::user, id.value());
    }

    @Override
    public Optional<User> findByEmail(Email email) {
        // lower() on both sides so that the unique index on lower(email) serves the lookup
        return jdbc.one("SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower(?)",
                JdbcUserRepository::user, email.value());
    }

    @Override
    public boolean updatePasswordHash(UserId id, String passwordHash) {
        return jdbc.update("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, id.value()) == 1;
    }

    @Override
    public boolean updateName(UserId id, String name) {
        return jdbc.update("UPDATE users SET name = ? WHERE id = ?", name, id.value()) == 1;
    }

    @Override
    public boolean markEmailVerified(UserId id, Email email, Instant at) {
        return jdbc.update("UPDATE users SET email_verified_at = ? WHERE id = ? AND email = ? AND email_verified_at IS NULL",
                at, id.value(), email.value()) == 1;
    }

    @Override
    public boolean changeEmail(UserId id, Email from, Email to, Instant verifiedAt) {
        try {
            return jdbc.update("UPDATE users SET email = ?, email_verified_at = ? WHERE id = ? AND email = ?",
                    to.value(), verifiedAt, id.value(), from.value()) == 1;
        } catch (ConflictException e) {
            // the unique index on lower(email): another account has the address (its insert won a race)
            throw new ConflictException("That email belongs to another account.");
        }
    }

    private static User user(ResultSet row) throws SQLException {
        return new User(new UserId(Jdbc.uuid(row, "id")), new Email(row.getString("email")), row.getString("name"),
                row.getString("password_hash"), Jdbc.instant(row, "created_at"),
                Optional.ofNullable(Jdbc.instant(row, "email_verified_at")));
    }
}
