package dev.anonymoususers.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of Keycloak's database (PostgreSQL) where a guest leaves rows, and what they hold: for the cluster
 * suite's footprint test and the benchmark's {@code footprint.json}, which must count the same tables.
 */
public final class GuestTables {

    /** A guest's rows in one table, and the bytes of their data (without indexes). */
    public record Rows(String table, long rows, long dataBytes) {
    }

    private GuestTables() {
    }

    /**
     * The rows, table by table, of the users that {@code users} selects: an SQL list of user ids with one
     * {@code ?} — such as {@code (?)} for one user — bound to {@code parameter}.
     */
    public static List<Rows> rowsOf(Connection db, String users, String parameter) throws SQLException {
        List<Rows> found = new ArrayList<>();
        for (Map.Entry<String, String> table : whereRowsBelongTo(users).entrySet()) {
            try (PreparedStatement query = db.prepareStatement("select count(*), coalesce(sum(pg_column_size(t.*)), 0) from "
                    + table.getKey() + " t where " + table.getValue())) {
                query.setString(1, parameter);
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    found.add(new Rows(table.getKey(), result.getLong(1), result.getLong(2)));
                }
            }
        }
        return found;
    }

    /** The size on disk of all these tables, with their indexes. */
    public static long diskBytes(Connection db) throws SQLException {
        long bytes = 0;
        for (String table : whereRowsBelongTo("(?)").keySet()) {
            try (PreparedStatement query = db.prepareStatement("select pg_total_relation_size(?::regclass)")) {
                query.setString(1, table);
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    bytes += result.getLong(1);
                }
            }
        }
        return bytes;
    }

    /** Each table a guest has rows in, and the condition that finds the rows of {@code users}. */
    private static Map<String, String> whereRowsBelongTo(String users) {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("user_entity", "t.id in " + users);
        for (String table : List.of("user_attribute", "credential", "user_role_mapping", "user_group_membership",
                "user_required_action", "anon_device_key", "anon_guest", "offline_user_session")) {
            tables.put(table, "t.user_id in " + users);
        }
        tables.put("offline_client_session", "t.user_session_id in (select s.user_session_id from offline_user_session s"
                + " where s.user_id in " + users + ")");
        return tables;
    }
}
