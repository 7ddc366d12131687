package dev.anonymoususers.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Two Keycloak nodes of the real distribution, built for PostgreSQL, sharing one database and forming one cache
 * cluster with Keycloak's default {@code jdbc-ping} stack. Node A listens on 127.0.0.1, node B on 127.0.0.2, on the
 * same HTTP port, both behind the same {@code --hostname} (http://localhost:port, which is node A), so tokens of
 * either node are valid on the other. Management ports differ; each node's cluster transport binds to its own
 * address.
 */
public final class KeycloakCluster implements AutoCloseable {

    private static final Duration VIEW_TIMEOUT = Duration.ofMinutes(2);

    private final KeycloakServer a;
    private final KeycloakServer b;
    private final PostgresKeycloak keycloak;

    private KeycloakCluster(KeycloakServer a, KeycloakServer b, PostgresKeycloak keycloak) {
        this.a = a;
        this.b = b;
        this.keycloak = keycloak;
    }

    public KeycloakServer a() {
        return a;
    }

    public KeycloakServer b() {
        return b;
    }

    /** The admin REST API, through node A. */
    public AdminApi admin() {
        return new AdminApi(a);
    }

    /** A connection to the cluster's database, as its Keycloak user. */
    public Connection database() throws SQLException {
        return keycloak.database();
    }

    public static KeycloakCluster start() throws IOException, InterruptedException, SQLException {
        String dbUrl = required("cluster.db.url");
        PostgresKeycloak keycloak = PostgresKeycloak.build(Path.of(required("keycloak.home")), dbUrl,
                required("cluster.db.username"), required("cluster.db.password"),
                List.of(Path.of(required("extension.jar")), Path.of(required("test.clock.jar"))));
        int[] ports = KeycloakServer.freePorts(3); // the shared HTTP port, and each node's management port
        String frontendUrl = "http://localhost:" + ports[0];
        List<String> options = List.of(
                "--spi-anonymous-users-clean-up--default--batch-size=3",
                // The shortest schedule, so a test sees the clean-up run on its own.
                "--spi-anonymous-users-clean-up--default--interval-minutes=1",
                "--log-level=INFO,dev.anonymoususers.util.OncePerCluster:debug");
        KeycloakServer a = keycloak.start("a", "127.0.0.1", ports[0], ports[1], frontendUrl, true, options);
        a.awaitReady();
        KeycloakServer b = keycloak.start("b", "127.0.0.2", ports[0], ports[2], frontendUrl, false, options);
        b.awaitReady();
        KeycloakCluster cluster = new KeycloakCluster(a, b, keycloak);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        cluster.awaitOneViewOfTwo();
        return cluster;
    }

    /** Waits until both nodes' logs show the same cluster view with two members: the caches are really shared. */
    private void awaitOneViewOfTwo() throws InterruptedException {
        Instant deadline = Instant.now().plus(VIEW_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (seesTwo(a) && seesTwo(b)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("The two nodes did not form one cluster within " + VIEW_TIMEOUT + "; see "
                + a.log() + " and " + b.log());
    }

    /** Whether a node's log has a cluster view of two members (Infinispan's ISPN000094). */
    public static boolean seesTwo(KeycloakServer node) {
        return node.log().lines().anyMatch(line -> line.contains("ISPN000094") && line.contains("(2)"));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the cluster suite with Maven (mvn verify)");
        }
        return value;
    }

    @Override
    public void close() {
        b.close();
        a.close();
    }
}
