package com.orgkeys.persistence.database;

import com.orgkeys.application.shared.port.out.TransactionRunner;
import com.orgkeys.domain.shared.ConflictException;
import com.orgkeys.domain.shared.InvalidInputException;
import com.orgkeys.domain.shared.UnavailableException;

import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The only way repositories touch JDBC: short statements with positional parameters, run on the
 * connection of the current transaction when there is one. Also the {@link TransactionRunner} adapter.
 */
public final class Jdbc implements TransactionRunner {
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(Jdbc.class);

    private final DataSource dataSource;
    private final ThreadLocal<Connection> transaction;
    /** What the calling thread's transaction runs once committed ({@link #afterCommit}). */
    private final ThreadLocal<List<Runnable>> afterCommit;
    /** Whether each statement is planned for its values ({@link #plannedForValues}). */
    private final boolean planForValues;
    private final Jdbc plannedForValues;

    public Jdbc(DataSource dataSource) {
        this(dataSource, new ThreadLocal<>(), new ThreadLocal<>(), false);
    }

    private Jdbc(DataSource dataSource, ThreadLocal<Connection> transaction, ThreadLocal<List<Runnable>> afterCommit,
                 boolean planForValues) {
        this.dataSource = dataSource;
        this.transaction = transaction;
        this.afterCommit = afterCommit;
        this.planForValues = planForValues;
        this.plannedForValues = planForValues ? this : new Jdbc(dataSource, transaction, afterCommit, true);
    }

    /**
     * This Jdbc (its transactions too), its statements planned for their values on every call: for those whose best
     * plan depends on them, a search's pattern above all. The driver prepares a statement on the server after five
     * calls, and PostgreSQL may then keep one generic plan for every value: after a few rare searches on a
     * connection, every search on it read the trigram index's matches for all the rows and sorted them (a page of
     * "a" among a million keys: 3 s, against 0.1 ms to run the statement planned for "a"). A statement run through
     * this view must not also run through the plain Jdbc: the driver may reuse the one it prepared on the server.
     */
    public Jdbc plannedForValues() {
        return plannedForValues;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (transaction.get() != null) return work.get(); // join the outer transaction
        T result;
        List<Runnable> committedActions = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            transaction.set(connection);
            afterCommit.set(committedActions);
            boolean committed = false;
            try {
                result = work.get();
                connection.commit();
                committed = true;
            } finally {
                transaction.remove();
                afterCommit.remove();
                if (!committed) rollbackQuietly(connection);
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        runAll(committedActions);
        return result;
    }

    @Override
    public void afterCommit(Runnable action) {
        List<Runnable> pending = afterCommit.get();
        if (pending == null) action.run();
        else pending.add(action);
    }

    /** The change is committed whatever an action does: one that fails is logged, and the others still run. */
    private static void runAll(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.error("an action after a commit failed", e);
            }
        }
    }

    @Override
    public boolean insideTransaction() {
        return transaction.get() != null;
    }

    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(connection -> {
            try (PreparedStatement statement = prepare(connection, sql, params);
                 ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) result.add(mapper.map(rows));
                return result;
            }
        });
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = list(sql, mapper, params);
        if (rows.size() > 1) throw new IllegalStateException("expected at most one row, got " + rows.size());
        return rows.stream().findFirst();
    }

    public long count(String sql, Object... params) {
        return one(sql, row -> row.getLong(1), params).orElse(0L);
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the number of rows it touched. */
    public int update(String sql, Object... params) {
        return withConnection(connection -> {
            try (PreparedStatement statement = prepare(connection, sql, params)) {
                return statement.executeUpdate();
            }
        });
    }

    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        Connection current = transaction.get();
        try {
            if (current != null) return work.run(current);
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        // never a server-side prepared statement: each call is parsed and planned anew, with its values
        if (planForValues) statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        for (int i = 0; i < params.length; i++) bind(connection, statement, i + 1, params[i]);
        return statement;
    }

    private static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        switch (value) {
            case null -> statement.setNull(index, Types.NULL);
            case Instant instant -> statement.setTimestamp(index, Timestamp.from(instant));
            case UUID uuid -> statement.setObject(index, uuid);
            case Collection<?> values -> statement.setArray(index,
                    connection.createArrayOf("text", values.stream().map(String::valueOf).toArray()));
            case Enum<?> e -> statement.setString(index, e.name());
            default -> statement.setObject(index, value);
        }
    }

    /** Column helpers for mappers. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    public static UUID uuid(ResultSet row, String column) throws SQLException {
        return row.getObject(column, UUID.class);
    }

    public static List<String> strings(ResultSet row, String column) throws SQLException {
        java.sql.Array array = row.getArray(column);
        if (array == null) return List.of();
        return List.of((String[]) array.getArray());
    }

    private static RuntimeException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // HikariCP's timeout with no failed connection behind it: every connection was in use (not a network fault)
        if (e instanceof SQLTransientConnectionException && e.getCause() == null && state.isEmpty()) {
            return new UnavailableException("the database is busy: every connection stayed in use too long", e);
        }
        if (e instanceof SQLTransientConnectionException || state.startsWith("08") || state.equals("57P01")
                || state.equals("57P03")) {
            return new UnavailableException("the database is not reachable", e);
        }
        if (state.equals("23505")) return new ConflictException("already exists");
        if (state.equals("23503")) {
            // A row it refers to was deleted since the use case checked (e.g. an agent written while its
            // organization is deleted): the state changed under the request, as with a serialization failure.
            return new ConflictException("Something this refers to was deleted meanwhile; reload and try again.");
        }
        if (state.startsWith("22")) {
            // Data exception (a NUL byte, a too long value, a number out of range): input that validation should
            // have refused. The client still gets a 4xx; the log shows the gap to close.
            log.warn("database refused a value that validation let through: {} {}", state, e.getMessage());
            return new InvalidInputException("request", "contains a value that cannot be stored");
        }
        if (state.equals("40001") || state.equals("40P01")) {
            return new ConflictException("a concurrent change got in the way; try again");
        }
        return new IllegalStateException("database error " + state + ": " + e.getMessage(), e);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; Hikari discards it
        }
    }
}
