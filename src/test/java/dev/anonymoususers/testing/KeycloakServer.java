package dev.anonymoususers.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Keycloak distribution with the freshly built extension in {@code providers/}, started once per test
 * run on free loopback ports and stopped when the run ends, whether tests pass or fail.
 *
 * <p>Failsafe passes {@code keycloak.home} (the distribution, unpacked by Maven) and {@code extension.jar}.
 */
public final class KeycloakServer implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    private static final Duration STARTUP = Duration.ofMinutes(4);

    private final Process process;
    private final String baseUrl;
    private final Path log;
    private final String managementUrl;
    /** The URL Keycloak puts into links and redirects ({@code --hostname}), where it is not this node's own. */
    private String frontendUrl;

    KeycloakServer(Process process, String baseUrl, String managementUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.managementUrl = managementUrl;
        this.log = log;
    }

    /** The server of this run, started by the first test that asks for it. */
    public static KeycloakServer get(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KeycloakServer.class, key -> start(), KeycloakServer.class);
    }

    /** What the server wrote to its log so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * {@code url} on this very node: a cluster node's pages and redirects point to the cluster's shared hostname,
     * and a test that talks to one node follows them to that node, as a load balancer with sticky sessions would.
     */
    public String onThisNode(String url) {
        return frontendUrl != null && url.startsWith(frontendUrl) ? baseUrl + url.substring(frontendUrl.length()) : url;
    }

    KeycloakServer withFrontendUrl(String frontendUrl) {
        this.frontendUrl = frontendUrl;
        return this;
    }

    /** Keycloak's management interface: {@code /metrics} (metrics are on), {@code /health}. */
    public String managementUrl() {
        return managementUrl;
    }

    /**
     * Moves the server's clock {@code offset} ahead (Keycloak's time offset), for tests that let days pass; give
     * {@link Duration#ZERO} to set it back. Tests that move it set it back in {@code finally}.
     */
    public void moveClock(Duration offset) {
        HttpResponse<String> response = Http.send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
                        URI.create(realmUrl("master") + "/test-clock?offsetSeconds=" + offset.toSeconds()))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (response.statusCode() != 204) {
            throw new AssertionError("Could not move the clock: " + response.statusCode() + " " + response.body());
        }
    }

    /** The Prometheus metrics of the server, as text. */
    public String metrics() {
        HttpResponse<String> response = Http.send(HttpClient.newHttpClient(),
                HttpRequest.newBuilder(URI.create(managementUrl + "/metrics")).build());
        if (response.statusCode() != 200) {
            throw new AssertionError("No metrics: " + response.statusCode());
        }
        return response.body();
    }

    /** The value of a counter of {@code realm} with the tags given, from the metrics; 0 where it was never counted. */
    public double counter(String realm, String name, String... tags) {
        return metrics().lines()
                .filter(line -> line.startsWith(name + "{") && line.contains("realm=\"" + realm + "\""))
                .filter(line -> java.util.Arrays.stream(tags).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }

    /** Entries in Keycloak's single-use object store (its actionTokens cache) on this node, from the metrics. */
    public double singleUseStoreEntries() {
        return metrics().lines()
                .filter(line -> line.startsWith("vendor_statistics_approximate_entries{") && line.contains("cache=\"actionTokens\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No actionTokens entries in the metrics"));
    }

    /**
     * The same server under the name {@code localhost}, for browsers that need a host name rather than an address
     * (WebAuthn refuses IP addresses). The server runs without a fixed hostname, so it answers under either name.
     */
    public String localhostUrl() {
        return baseUrl.replace("127.0.0.1", "localhost");
    }

    public String realmUrl(String realm) {
        return baseUrl + "/realms/" + realm;
    }

    static KeycloakServer start() {
        try {
            Path home = Path.of(required("keycloak.home"));
            Path jar = Path.of(required("extension.jar"));
            Files.copy(jar, home.resolve("providers").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            Path clock = Path.of(required("test.clock.jar"));
            Files.copy(clock, home.resolve("providers").resolve(clock.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            deleteRecursively(home.resolve("data")); // a clean database each run
            copyTestThemes(home.resolve("themes"));

            int[] ports = freePorts(2);
            int port = ports[0];
            int managementPort = ports[1];
            Path log = home.resolve("test-server.log");
            List<String> command = new java.util.ArrayList<>(List.of(
                    home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    "--http-management-port=" + managementPort,
                    // Tests stand for visitors at other addresses with X-Forwarded-For, as behind a reverse proxy.
                    "--proxy-headers=xforwarded",
                    // Small clean-up batches, so a test sees several with a few guests.
                    "--spi-anonymous-users-clean-up--default--batch-size=3",
                    "--metrics-enabled=true"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            Process process = builder.start();
            KeycloakServer server = new KeycloakServer(process, "http://127.0.0.1:" + port,
                    "http://127.0.0.1:" + managementPort, log);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start Keycloak", e);
        }
    }

    public void awaitReady() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited during start-up; see " + log + "\n" + tail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(realmUrl("master"))).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofSeconds(1));
        }
        close();
        throw new IllegalStateException("Keycloak did not start within " + STARTUP + "; see " + log + "\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Ends the server as a crash would: SIGKILL to kc.sh and its JVM, no shutdown, no goodbye to the cluster. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
    }

    /**
     * Freezes the server (SIGSTOP to kc.sh and its JVM), so that it takes no CPU while another server on the same
     * cores is measured; {@link #resume()} lets it go on.
     */
    public void pause() {
        signal("STOP");
    }

    /** Lets a paused server go on (SIGCONT); harmless on a running one. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        List<String> command = new java.util.ArrayList<>(List.of("kill", "-" + name, Long.toString(process.pid())));
        process.descendants().forEach(child -> command.add(Long.toString(child.pid())));
        try {
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Themes that extend Keycloak's, as an admin would install them. */
    private static void copyTestThemes(Path themes) throws IOException {
        String source = System.getProperty("test.themes");
        if (source == null) {
            return;
        }
        Path from = Path.of(source);
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path to = themes.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(path, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the integration tests with Maven (mvn verify)");
        }
        return value;
    }

    public static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /**
     * {@code count} distinct free ports: the sockets are held open together while the system picks them, so it
     * cannot hand out one port twice (a server's HTTP and management ports once came out the same).
     */
    public static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
