package dev.anonymoususers.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;

/**
 * What one device guest adds to PostgreSQL: its rows in each table with the bytes of their data (from a real guest
 * just signed up, its session included), and the bytes on disk with indexes (the growth of the tables while
 * {@link BulkGuests} adds many guests, divided by their number). Written to {@code footprint.json}.
 */
final class GuestFootprint {

    /** Each table a guest has rows in, and how its rows of one user are found. */
    private static final Map<String, String> ROWS_OF_USER = new LinkedHashMap<>();

    static {
        ROWS_OF_USER.put("user_entity", "id = ?");
        ROWS_OF_USER.put("user_attribute", "user_id = ?");
        ROWS_OF_USER.put("credential", "user_id = ?");
        ROWS_OF_USER.put("user_role_mapping", "user_id = ?");
        ROWS_OF_USER.put("user_group_membership", "user_id = ?");
        ROWS_OF_USER.put("anon_device_key", "user_id = ?");
        ROWS_OF_USER.put("anon_guest", "user_id = ?");
        ROWS_OF_USER.put("offline_user_session", "user_id = ?");
        ROWS_OF_USER.put("offline_client_session", "user_session_id in (select user_session_id from offline_user_session where user_id = ?)");
    }

    private final ObjectNode json = AdminApi.JSON.createObjectNode();
    private final Map<String, Long> sizesBefore = new LinkedHashMap<>();

    /** The rows and data bytes of the guest {@code userId}, and the tables' sizes now, before a bulk copy. */
    GuestFootprint(Connection db, String userId) throws SQLException {
        ObjectNode tables = json.putObject("rows_of_one_guest");
        long rows = 0;
        long bytes = 0;
        for (Map.Entry<String, String> table : ROWS_OF_USER.entrySet()) {
            try (PreparedStatement query = db.prepareStatement("select count(*), coalesce(sum(pg_column_size(t.*)), 0) from "
                    + table.getKey() + " t where " + table.getValue())) {
                query.setString(1, userId);
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    tables.putObject(table.getKey()).put("rows", result.getLong(1)).put("data_bytes", result.getLong(2));
                    rows += result.getLong(1);
                    bytes += result.getLong(2);
                }
            }
            sizesBefore.put(table.getKey(), diskBytes(db, table.getKey()));
        }
        json.put("rows", rows);
        json.put("data_bytes", bytes);
    }

    /** After {@code guests} guests without sessions were added: the bytes on disk each one added, indexes included. */
    void afterBulkCopy(Connection db, int guests) throws SQLException {
        long grown = 0;
        for (String table : ROWS_OF_USER.keySet()) {
            grown += diskBytes(db, table) - sizesBefore.get(table);
        }
        json.put("disk_bytes_per_guest_without_session", Math.round((double) grown / guests));
        json.put("bulk_guests", guests);
    }

    void write(Path output) throws Exception {
        Files.createDirectories(output);
        Files.writeString(output.resolve("footprint.json"), AdminApi.JSON.writeValueAsString(json));
        System.out.println("One guest in PostgreSQL: " + json);
    }

    private static long diskBytes(Connection db, String table) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("select pg_total_relation_size(?::regclass)")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
