package dev.anonymoususers.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.PostgresKeycloak;

/**
 * The two servers of a benchmark run, both Keycloak built for PostgreSQL, each on its own fresh database: one with
 * the extension's JAR (127.0.0.1), one without it (127.0.0.2), the second only for the password grant with and
 * without the extension. Realms: {@code bench} (anonymous users on, no guest limits: the load comes from many
 * addresses) and {@code floor} (passwords hashed with pbkdf2-sha256 at 1 iteration).
 */
final class BenchmarkServers implements AutoCloseable {

    static final String REALM = "bench";
    static final String FLOOR_REALM = "floor";
    /** Returning devices: keys whose guests exist before the first measurement. */
    static final int RETURNING_DEVICES = 256;

    private final PostgresKeycloak withExtensionDatabase;
    final KeycloakServer withExtension;
    /** Null where only the server with the extension runs. */
    final KeycloakServer withoutExtension;
    final List<KeyPair> returningDevices = new ArrayList<>();

    private BenchmarkServers(PostgresKeycloak withExtensionDatabase, KeycloakServer withExtension, KeycloakServer withoutExtension) {
        this.withExtensionDatabase = withExtensionDatabase;
        this.withExtension = withExtension;
        this.withoutExtension = withoutExtension;
    }

    /** Both servers, each on its own fresh database. */
    static BenchmarkServers start() throws Exception {
        return start(true, "");
    }

    /**
     * The server with the extension, on a fresh database whose name ends in {@code databaseSuffix}, and the
     * server without it if {@code withoutExtensionToo}.
     */
    static BenchmarkServers start(boolean withoutExtensionToo, String databaseSuffix) throws Exception {
        String dbUrl = required("bench.db.url") + databaseSuffix;
        String user = required("bench.db.username");
        String password = required("bench.db.password");
        int[] ports = KeycloakServer.freePorts(4);
        PostgresKeycloak with = PostgresKeycloak.build(Path.of(required("bench.home.with")), dbUrl, user, password,
                List.of(Path.of(required("extension.jar"))));
        // Each of the returning devices signs in far more often than a device does: a bound no device reaches keeps
        // the per-key count's cost in the measure without refusing any of them.
        KeycloakServer a = with.start("with-extension", "127.0.0.1", ports[0], ports[1], "http://127.0.0.1:" + ports[0], true,
                List.of("--spi-realm-restapi-extension--anonymous--jti-per-key-per-minute=1000000"));
        KeycloakServer b = null;
        if (withoutExtensionToo) {
            PostgresKeycloak without = PostgresKeycloak.build(Path.of(required("bench.home.without")), dbUrl + "_without_extension",
                    user, password, List.of());
            b = without.start("without-extension", "127.0.0.2", ports[2], ports[3], "http://127.0.0.2:" + ports[2], true, List.of());
        }
        BenchmarkServers servers = new BenchmarkServers(with, a, b);
        Runtime.getRuntime().addShutdownHook(new Thread(servers::close));
        a.awaitReady();
        if (b != null) {
            b.awaitReady();
        }
        servers.importRealms();
        return servers;
    }

    /** A connection to the database of the server with the extension. */
    java.sql.Connection database() throws java.sql.SQLException {
        return withExtensionDatabase.database();
    }

    private void importRealms() throws IOException {
        AdminApi withAdmin = new AdminApi(withExtension);
        withAdmin.importRealm(realm("/bench-realm.json"));
        withAdmin.importRealm(realm("/floor-realm.json"));
        if (withoutExtension != null) {
            ObjectNode plain = realm("/bench-realm.json");
            plain.remove("requiredActions"); // the server without the JAR knows no such action
            new AdminApi(withoutExtension).importRealm(plain);
        }

        DeviceKeyClient device = new DeviceKeyClient(withExtension, REALM, "web-app");
        for (int i = 0; i < RETURNING_DEVICES; i++) {
            KeyPair key = DeviceAssertions.ecP256();
            DeviceKeyClient.Answer answer = device.from(Addresses.next()).signIn(DeviceAssertions.signedBy(key).ownId().build());
            if (!answer.ok()) {
                throw new IllegalStateException("A returning device could not sign up: " + answer.body());
            }
            returningDevices.add(key);
        }
    }

    private static ObjectNode realm(String resource) throws IOException {
        try (InputStream in = BenchmarkServers.class.getResourceAsStream(resource)) {
            return (ObjectNode) AdminApi.JSON.readTree(in);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the benchmark with mvn verify -Pbenchmark");
        }
        return value;
    }

    /**
     * Lets only the server that {@code operation} is measured on run, the other paused: the two share two cores,
     * and the with/without comparison must not measure one server's background work against the other.
     */
    void onlyServerOf(Operation operation) {
        if (withoutExtension == null) {
            return;
        }
        boolean without = operation.onServerWithoutExtension();
        (without ? withExtension : withoutExtension).pause();
        (without ? withoutExtension : withExtension).resume();
    }

    @Override
    public void close() {
        withExtension.resume();
        withExtension.close();
        if (withoutExtension != null) {
            withoutExtension.resume();
            withoutExtension.close();
        }
    }
}
