package dev.anonymoususers.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many inactive guests in seconds, for measuring the clean-up: every row one real device guest has, copied in
 * SQL {@code count} times with new ids, a new username, thumbprint and email constraint, and a last sign-in long
 * past. Creating 100,000 guests through the token endpoint would take the better part of an hour here.
 */
final class BulkGuests {

    /** The tables a device guest has rows in, and their rows of one user. */
    private static final List<String> TABLES = List.of("user_entity", "user_attribute", "credential", "user_role_mapping",
            "anon_device_key", "anon_guest");

    private BulkGuests() {
    }

    /** Copies the guest {@code templateId} {@code count} times, each last seen {@code inactiveFor} ago. */
    static void copy(Connection db, String templateId, int count, Duration inactiveFor) throws SQLException {
        long lastSeen = System.currentTimeMillis() - inactiveFor.toMillis();
        db.setAutoCommit(false);
        for (String table : TABLES) {
            List<String> columns = columns(db, table);
            List<String> values = new ArrayList<>();
            for (String column : columns) {
                values.add(switch (column) {
                    case "id" -> table.equals("user_entity") ? newUserId() : "md5('" + table + "-' || t.id || '-' || i)::uuid::text";
                    case "user_id" -> newUserId();
                    case "username" -> "'guest-bulk-' || i";
                    case "email_constraint" -> "md5('email-constraint-' || i)::uuid::text";
                    case "thumbprint" -> "encode(sha256(('bulk-key-' || i)::bytea), 'hex')";
                    case "created", "created_timestamp", "created_date", "last_sign_in" -> Long.toString(lastSeen);
                    default -> "t." + column;
                });
            }
            String key = table.equals("user_entity") ? "id" : "user_id";
            try (PreparedStatement insert = db.prepareStatement("insert into " + table + " (" + String.join(", ", columns)
                    + ") select " + String.join(", ", values) + " from " + table + " t, generate_series(1, ?) i where t." + key + " = ?")) {
                insert.setInt(1, count);
                insert.setString(2, templateId);
                insert.executeUpdate();
            }
        }
        db.commit();
        try (Statement analyze = db.createStatement()) {
            db.setAutoCommit(true);
            analyze.execute("analyze");
        }
    }

    private static String newUserId() {
        return "md5('user-' || i)::uuid::text";
    }

    private static List<String> columns(Connection db, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("select column_name from information_schema.columns"
                + " where table_schema = current_schema() and table_name = ? order by ordinal_position")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    columns.add(result.getString(1));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("No table " + table + " in the database");
        }
        return columns;
    }
}
