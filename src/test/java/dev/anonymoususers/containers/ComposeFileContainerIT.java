package dev.anonymoususers.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.anonymoususers.testing.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docker/compose.yaml as a user runs it: built and brought up (Keycloak with the JAR, PostgreSQL, the demo realm),
 * a web guest and a device key sign in through it, and it is torn down with its volumes, leaving nothing behind.
 * The base image is {@code keycloak.image}; PostgreSQL's comes from {@code POSTGRES_IMAGE} as the file says.
 */
@ExtendWith(DockerEngine.class)
class ComposeFileContainerIT {

    static final String PROJECT = "anonymous-users-compose-it";
    static final Duration UP_WITHIN = Duration.ofMinutes(4);

    static int port;
    static DemoRealmClient app;

    @BeforeAll
    static void up() throws Exception {
        port = KeycloakServer.freePort();
        compose(Duration.ofMinutes(8), "up", "--detach", "--build");
        String realm = "http://localhost:" + port + "/realms/" + DemoRealmClient.REALM + "/.well-known/openid-configuration";
        long deadline = System.nanoTime() + UP_WITHIN.toNanos();
        while (!answers(realm)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Keycloak of the compose file did not answer within " + UP_WITHIN + ":\n"
                        + compose(Duration.ofMinutes(1), "logs", "--tail", "60"));
            }
            Thread.sleep(2000);
        }
        app = new DemoRealmClient("http://localhost:" + port);
    }

    @AfterAll
    static void downWithVolumes() throws Exception {
        compose(Duration.ofMinutes(3), "down", "--volumes", "--remove-orphans", "--rmi", "local");
        String label = "label=com.docker.compose.project=" + PROJECT;
        assertThat(docker("ps", "--all", "--quiet", "--filter", label)).as("containers left").isBlank();
        assertThat(docker("volume", "ls", "--quiet", "--filter", label)).as("volumes left").isBlank();
        assertThat(docker("network", "ls", "--quiet", "--filter", label)).as("networks left").isBlank();
    }

    @Test
    void aWebGuestSignsInThroughTheComposeFile() throws Exception {
        JWTClaimsSet idToken = app.browser().signInAsGuest();

        assertThat(idToken.getBooleanClaim("is_anonymous")).isTrue();
    }

    @Test
    void aDeviceKeySignsTheSameGuestInTwiceThroughTheComposeFile() throws Exception {
        assertThat(app.deviceGuestSignedInTwice()).isNotBlank();
    }

    static boolean answers(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the compose file (Debian's docker-compose, or the docker compose plugin) and answers its output. */
    static String compose(Duration timeout, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(onPath("docker-compose") ? List.of("docker-compose") : List.of("docker", "compose"));
        command.addAll(List.of("--file", Path.of("docker/compose.yaml").toAbsolutePath().toString(), "--project-name", PROJECT));
        command.addAll(List.of(arguments));
        return run(timeout, command);
    }

    static String docker(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        return run(Duration.ofMinutes(1), command);
    }

    static String run(Duration timeout, List<String> command) throws Exception {
        Path output = Files.createTempFile("compose", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("KEYCLOAK_IMAGE", System.getProperty("keycloak.image"));
        builder.environment().put("KEYCLOAK_PORT", Integer.toString(port));
        builder.environment().put("DOCKER_BUILDKIT", "0"); // the classic builder uses local base images without asking a registry
        Process process = builder.start();
        boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        if (!ended || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + (ended ? " failed" : " did not end within " + timeout) + ":\n" + text);
        }
        return text;
    }

    static boolean onPath(String program) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }
}
