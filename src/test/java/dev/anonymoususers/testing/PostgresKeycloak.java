package dev.anonymoususers.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of the Keycloak distribution built for PostgreSQL, on a database made fresh for it: what the cluster
 * suite's two nodes and the benchmark's servers start from. The database role needs CREATEDB; .ci/run makes it.
 */
public final class PostgresKeycloak {

    private final Path home;
    private final String dbUrl;
    private final String username;
    private final String password;

    private PostgresKeycloak(Path home, String dbUrl, String username, String password) {
        this.home = home;
        this.dbUrl = dbUrl;
        this.username = username;
        this.password = password;
    }

    /**
     * Drops and creates the database of {@code dbUrl}, puts exactly {@code providers} into the distribution's
     * providers folder and builds it for PostgreSQL with metrics.
     */
    public static PostgresKeycloak build(Path home, String dbUrl, String username, String password, List<Path> providers)
            throws IOException, InterruptedException, SQLException {
        PostgresKeycloak keycloak = new PostgresKeycloak(home, dbUrl, username, password);
        keycloak.freshDatabase();
        keycloak.rebuild(providers);
        return keycloak;
    }

    private void replaceProviders(List<Path> providers) throws IOException {
        Path folder = home.resolve("providers");
        try (var existing = Files.list(folder)) {
            for (Path jar : existing.filter(path -> path.toString().endsWith(".jar")).toList()) {
                Files.delete(jar);
            }
        }
        for (Path provider : providers) {
            Files.copy(provider, folder.resolve(provider.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Puts exactly {@code providers} into the providers folder and builds again; the database stays as it is. */
    public void rebuild(List<Path> providers) throws IOException, InterruptedException {
        replaceProviders(providers);
        run(home.resolve("build.log"), List.of("build", "--db=postgres", "--metrics-enabled=true"));
    }

    /**
     * Starts a node listening on {@code address}: {@code port} for HTTP, {@code management} for metrics and
     * health, behind {@code frontendUrl}; the caller waits for it with {@link KeycloakServer#awaitReady()}.
     */
    public KeycloakServer start(String name, String address, int port, int management, String frontendUrl,
            boolean bootstrapAdmin, List<String> options) throws IOException {
        Path log = home.resolve("node-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--db-url=" + dbUrl,
                "--db-username=" + username,
                "--db-password=" + password,
                "--http-enabled=true",
                "--http-host=" + address,
                "--http-port=" + port,
                "--http-management-port=" + management,
                "--hostname=" + frontendUrl,
                "--hostname-backchannel-dynamic=true",
                "--proxy-headers=xforwarded",
                "--cache-embedded-network-bind-address=" + address));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Each node its own temporary files, as if each had its own installation.
        Path tmp = Files.createDirectories(home.resolve("data").resolve("tmp-" + name));
        String javaOptions = "-Djava.io.tmpdir=" + tmp + " -Djgroups.bind.address=" + address;
        if (Boolean.getBoolean("bench.profile")) {
            // A flight recording of the whole run, for finding where the time goes (jfr print, JDK Mission Control).
            javaOptions += " -XX:StartFlightRecording=settings=profile,filename=" + home.resolve("node-" + name + ".jfr");
        }
        builder.environment().put("JAVA_OPTS_APPEND", javaOptions);
        if (bootstrapAdmin) {
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
        }
        return new KeycloakServer(builder.start(), "http://" + address + ":" + port, "http://" + address + ":" + management, log)
                .withFrontendUrl(frontendUrl);
    }

    /** A connection to the database, as Keycloak's user. */
    public Connection database() throws SQLException {
        return DriverManager.getConnection(dbUrl, username, password);
    }

    private void freshDatabase() throws SQLException {
        String name = dbUrl.substring(dbUrl.lastIndexOf('/') + 1);
        String server = dbUrl.substring(0, dbUrl.lastIndexOf('/') + 1) + "postgres";
        try (Connection connection = DriverManager.getConnection(server, username, password);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SQLException("Keycloak on PostgreSQL needs the database server of " + dbUrl + " with the role "
                    + username + " (CREATEDB); .ci/run sets it up", e);
        }
    }

    private void run(Path log, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/kc.sh").toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("kc.sh " + String.join(" ", arguments) + " failed; see " + log);
        }
    }
}
