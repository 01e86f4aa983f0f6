package com.orgkeys.persistence.account;

import com.orgkeys.domain.account.UserProfile;
import com.orgkeys.application.account.port.out.UserRepository;
import com.orgkeys.domain.account.Email;
import com.orgkeys.domain.account.User;
import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.account.UserMetadata;
import com.orgkeys.persistence.database.Jdbc;
import com.orgkeys.persistence.database.Like;
import com.orgkeys.persistence.metadata.JacksonMetadataJson;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    /** A profile's columns: the user's, their metadata, and their sessions' latest sign-in and activity. */
    private static final String PROFILE_COLUMNS = COLUMNS + """
            , public_metadata::text AS public_metadata, private_metadata::text AS private_metadata,
            unsafe_metadata::text AS unsafe_metadata,
            (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = users.id) AS last_sign_in_at,
            (SELECT max(s.last_active_at) FROM sessions s WHERE s.user_id = users.id) AS last_active_at""";
    private static final String SEARCHABLE = Like.searchable("email", "name");

    @Override
    public Optional<UserProfile> profile(UserId id) {
        return jdbc.one("SELECT " + PROFILE_COLUMNS + " FROM users WHERE id = ?", JdbcUserRepository::profile, id.value());
    }

    /** A search's plan depends on its pattern (Jdbc.plannedForValues). */
    private Jdbc jdbcFor(Filter filter) {
        return filter.text().isPresent() ? jdbc.plannedForValues() : jdbc;
    }

    private static String where(Filter filter, List<Object> params) {
        List<String> conditions = new ArrayList<>(List.of("TRUE"));
        if (!filter.emails().isEmpty()) {
            // lower() as the unique index has it, so that the index answers
            conditions.add("lower(email) = ANY (?)");
            params.add(filter.emails().stream().map(Email::value).toList());
        }
        filter.text().ifPresent(text -> conditions.add(Like.contains(SEARCHABLE, text, params)));
        return String.join(" AND ", conditions);
    }

    @Override
    public List<UserProfile> list(Filter filter, int limit, int offset) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        String column = switch (filter.order()) {
            case CREATED_AT -> "created_at";
            case EMAIL -> "email";
            case NAME -> "name";
        };
        String direction = filter.descending() ? " DESC" : " ASC";
        params.add(limit);
        params.add(offset);
        return jdbcFor(filter).list("SELECT " + PROFILE_COLUMNS + " FROM users WHERE " + where + " ORDER BY " + column
                + direction + ", id" + direction + " LIMIT ? OFFSET ?", JdbcUserRepository::profile, params.toArray());
    }

    @Override
    public long count(Filter filter, int cap) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        params.add(cap);
        // capped, as the other lists' counts: a count past the cap is not worth a full scan
        return jdbcFor(filter).count("SELECT count(*) FROM (SELECT 1 FROM users WHERE " + where + " LIMIT ?) capped",
                params.toArray());
    }

    @Override
    public Optional<UserMetadata> lockMetadata(UserId id) {
        return jdbc.one("""
                SELECT public_metadata::text AS public_metadata, private_metadata::text AS private_metadata,
                       unsafe_metadata::text AS unsafe_metadata
                  FROM users WHERE id = ? FOR UPDATE""", JdbcUserRepository::metadata, id.value());
    }

    @Override
    public boolean updateMetadata(UserId id, UserMetadata metadata) {
        return jdbc.update("""
                UPDATE users SET public_metadata = ?::jsonb, private_metadata = ?::jsonb, unsafe_metadata = ?::jsonb
                 WHERE id = ?""", metadata.publicMetadata().json(), metadata.privateMetadata().json(),
                metadata.unsafeMetadata().json(), id.value()) == 1;
    }

    @Override
    public boolean delete(UserId id) {
        return jdbc.update("DELETE FROM users WHERE id = ?", id.value()) == 1;
    }

    private static UserMetadata metadata(ResultSet row) throws SQLException {
        JacksonMetadataJson json = JacksonMetadataJson.INSTANCE;
        return new UserMetadata(json.read(row.getString("public_metadata")), json.read(row.getString("private_metadata")),
                json.read(row.getString("unsafe_metadata")));
    }

    private static UserProfile profile(ResultSet row) throws SQLException {
        return new UserProfile(user(row), metadata(row), Optional.ofNullable(Jdbc.instant(row, "last_sign_in_at")),
                Optional.ofNullable(Jdbc.instant(row, "last_active_at")));
    }
}
