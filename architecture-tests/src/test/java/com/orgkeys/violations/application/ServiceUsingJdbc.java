package com.orgkeys.violations.application;

import java.sql.DriverManager;
import java.sql.SQLException;

/** Breaks "application uses only the domain and the JDK": JDBC belongs in the persistence adapter. */
public class ServiceUsingJdbc {
    public Object connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost/x");
    }
}
