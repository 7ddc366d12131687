package dev.anonymoususers.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    private final String dbUrl;

    private KeycloakCluster(KeycloakServer a, KeycloakServer b, String dbUrl) {
        this.a = a;
        this.b = b;
        this.dbUrl = dbUrl;
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
        return DriverManager.getConnection(dbUrl, System.getProperty("cluster.db.username"), System.getProperty("cluster.db.password"));
    }

    public static KeycloakCluster start() throws IOException, InterruptedException, SQLException {
        Path home = Path.of(required("keycloak.home"));
        String dbUrl = required("cluster.db.url");
        freshDatabase(dbUrl);
        for (String jar : List.of(required("extension.jar"), required("test.clock.jar"))) {
            Path from = Path.of(jar);
            Files.copy(from, home.resolve("providers").resolve(from.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        run(home, home.resolve("cluster-build.log"), List.of("build", "--db=postgres", "--metrics-enabled=true"));

        int[] ports = KeycloakServer.freePorts(3); // the shared HTTP port, and each node's management port
        int port = ports[0];
        KeycloakServer a = node(home, "a", "127.0.0.1", port, ports[1], dbUrl, true);
        a.awaitReady();
        KeycloakServer b = node(home, "b", "127.0.0.2", port, ports[2], dbUrl, false);
        b.awaitReady();
        KeycloakCluster cluster = new KeycloakCluster(a, b, dbUrl);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        cluster.awaitOneViewOfTwo();
        return cluster;
    }

    private static KeycloakServer node(Path home, String name, String address, int port, int management, String dbUrl,
            boolean bootstrapAdmin) throws IOException {
        Path log = home.resolve("cluster-node-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--db-url=" + dbUrl,
                "--db-username=" + System.getProperty("cluster.db.username"),
                "--db-password=" + System.getProperty("cluster.db.password"),
                "--http-enabled=true",
                "--http-host=" + address,
                "--http-port=" + port,
                "--http-management-port=" + management,
                "--hostname=http://localhost:" + port,
                "--hostname-backchannel-dynamic=true",
                "--proxy-headers=xforwarded",
                "--cache-embedded-network-bind-address=" + address,
                "--spi-anonymous-users-clean-up--default--batch-size=3",
                // The shortest schedule, so a test sees the clean-up run on its own.
                "--spi-anonymous-users-clean-up--default--interval-minutes=1",
                "--log-level=INFO,dev.anonymoususers.OncePerCluster:debug"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Each node its own temporary files, as if each had its own installation.
        Path tmp = Files.createDirectories(home.resolve("data").resolve("tmp-" + name));
        builder.environment().put("JAVA_OPTS_APPEND", "-Djava.io.tmpdir=" + tmp + " -Djgroups.bind.address=" + address);
        if (bootstrapAdmin) {
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
        }
        return new KeycloakServer(builder.start(), "http://" + address + ":" + port, "http://" + address + ":" + management, log)
                .withFrontendUrl("http://localhost:" + port);
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

    private static void freshDatabase(String dbUrl) throws SQLException {
        String name = dbUrl.substring(dbUrl.lastIndexOf('/') + 1);
        String server = dbUrl.substring(0, dbUrl.lastIndexOf('/') + 1) + "postgres";
        try (Connection connection = DriverManager.getConnection(server, System.getProperty("cluster.db.username"),
                System.getProperty("cluster.db.password")); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SQLException("The cluster suite needs PostgreSQL at " + dbUrl + " with the role "
                    + System.getProperty("cluster.db.username") + " (CREATEDB); .ci/run sets it up", e);
        }
    }

    private static void run(Path home, Path log, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/kc.sh").toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("kc.sh " + String.join(" ", arguments) + " failed; see " + log);
        }
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
