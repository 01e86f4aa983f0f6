package com.orgkeys.persistence.database;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A data source that records every query a repository runs (its SQL and parameter bindings), so that a test can
 * EXPLAIN exactly those statements.
 */
final class RecordingDataSource {
    /** One query as it ran: its SQL and the setter calls that bound its parameters. */
    record Query(String sql, List<Call> bindings) {
        /** The plan of this query, run with EXPLAIN ANALYZE on {@code connection}, one line per node. */
        List<String> plan(Connection connection) throws SQLException {
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)) {
                for (Call call : bindings) call.apply(explain);
                List<String> lines = new ArrayList<>();
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) lines.add(rows.getString(1));
                }
                return lines;
            }
        }

        /**
         * The plan PostgreSQL keeps for the statement once it has run often (a generic plan: the parameters unknown),
         * as pgjdbc's server-side prepared statements get it after a few executions.
         */
        List<String> genericPlan(Connection connection) throws SQLException {
            StringBuilder numbered = new StringBuilder();
            int n = 0;
            for (char c : sql.toCharArray()) {
                if (c == '?') numbered.append('$').append(++n);
                else numbered.append(c);
            }
            // PREPARE types the parameters from the statement; forced generic, EXECUTE shows that plan whatever it is given
            try (var statement = connection.createStatement()) {
                statement.execute("PREPARE generic_plan_probe AS " + numbered);
                try {
                    statement.execute("SET plan_cache_mode = force_generic_plan");
                    List<String> lines = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery("EXPLAIN (COSTS OFF) EXECUTE generic_plan_probe("
                            + String.join(", ", java.util.Collections.nCopies(n, "NULL")) + ")")) {
                        while (rows.next()) lines.add(rows.getString(1));
                    }
                    return lines;
                } finally {
                    statement.execute("DEALLOCATE generic_plan_probe");
                    statement.execute("RESET plan_cache_mode");
                }
            }
        }
    }

    record Call(Method method, Object[] args) {
        void apply(PreparedStatement statement) throws SQLException {
            try {
                method.invoke(statement, args);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) throw sql;
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private final List<Query> queries = new ArrayList<>();

    /** {@code target}'s connections, recording their prepared queries. */
    DataSource wrap(DataSource target) {
        return proxy(DataSource.class, target, (method, args, result) -> method.getName().equals("getConnection")
                ? proxy(Connection.class, (Connection) result, (m, a, r) -> m.getName().equals("prepareStatement")
                        ? statement((String) a[0], (PreparedStatement) r) : r)
                : result);
    }

    synchronized List<Query> take() {
        List<Query> taken = List.copyOf(queries);
        queries.clear();
        return taken;
    }

    private PreparedStatement statement(String sql, PreparedStatement target) {
        List<Call> bindings = new ArrayList<>();
        return proxy(PreparedStatement.class, target, (method, args, result) -> {
            if (method.getName().startsWith("set") && args != null && args.length >= 2) bindings.add(new Call(method, args));
            if (method.getName().equals("executeQuery")) {
                synchronized (this) {
                    queries.add(new Query(sql, List.copyOf(bindings)));
                }
            }
            return result;
        });
    }

    private interface After {
        Object apply(Method method, Object[] args, Object result) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, After after) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.apply(method, args, result);
        });
    }
}
