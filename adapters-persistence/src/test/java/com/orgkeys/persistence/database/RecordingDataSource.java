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
