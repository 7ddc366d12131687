package dev.anonymoususers.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.GuestTables;

/**
 * What one device guest adds to PostgreSQL: its rows in each of {@link GuestTables} with the bytes of their data
 * (from a real guest just signed up, its session included), and the bytes on disk with indexes (the growth of the
 * tables while {@link BulkGuests} adds many guests, divided by their number). Written to {@code footprint.json}.
 */
final class GuestFootprint {

    private final ObjectNode json = AdminApi.JSON.createObjectNode();
    private final long diskBytesBefore;

    /** The rows and data bytes of the guest {@code userId}, and the tables' size now, before a bulk copy. */
    GuestFootprint(Connection db, String userId) throws SQLException {
        ObjectNode tables = json.putObject("rows_of_one_guest");
        long rows = 0;
        long bytes = 0;
        for (GuestTables.Rows table : GuestTables.rowsOf(db, "(?)", userId)) {
            tables.putObject(table.table()).put("rows", table.rows()).put("data_bytes", table.dataBytes());
            rows += table.rows();
            bytes += table.dataBytes();
        }
        json.put("rows", rows);
        json.put("data_bytes", bytes);
        diskBytesBefore = GuestTables.diskBytes(db);
    }

    /** After {@code guests} guests without sessions were added: the bytes on disk each one added, indexes included. */
    void afterBulkCopy(Connection db, int guests) throws SQLException {
        json.put("disk_bytes_per_guest_without_session", Math.round((double) (GuestTables.diskBytes(db) - diskBytesBefore) / guests));
        json.put("bulk_guests", guests);
    }

    void write(Path output) throws Exception {
        Files.createDirectories(output);
        Files.writeString(output.resolve("footprint.json"), AdminApi.JSON.writeValueAsString(json));
        System.out.println("One guest in PostgreSQL: " + json);
    }
}
