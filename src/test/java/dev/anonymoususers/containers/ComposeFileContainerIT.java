package dev.anonymoususers.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.anonymoususers.testing.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docker/compose.yaml as a user runs it: built and brought up (Keycloak with the JAR, PostgreSQL, the demo realm),
 * a web guest and a device key sign in through it, and it is torn down with its volumes, leaving nothing behind.
 * The base image is {@code keycloak.image}; PostgreSQL's is {@code POSTGRES_IMAGE}, as the file says.
 */
@ExtendWith(DockerEngine.class)
class ComposeFileContainerIT {

    static final String PROJECT = "anonymous-users-compose-it";
    static final Duration UP_WITHIN = Duration.ofMinutes(4);

    static final String KEYCLOAK_IMAGE = System.getProperty("keycloak.image");
    static final String POSTGRES_IMAGE = System.getenv().getOrDefault("POSTGRES_IMAGE", "postgres:17");

    static int port;
    static DemoRealmClient app;

    @BeforeAll
    static void up() throws Exception {
        DockerCli.image(KEYCLOAK_IMAGE);
        DockerCli.image(POSTGRES_IMAGE);
        port = KeycloakServer.freePort();
        compose(Duration.ofMinutes(8), "up", "--detach", "--build");
        String realm = "http://localhost:" + port + "/realms/" + DemoRealmClient.REALM + "/.well-known/openid-configuration";
        long deadline = System.nanoTime() + UP_WITHIN.toNanos();
        while (!DockerCli.answersOk(URI.create(realm))) {
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
        DockerCli.removeBuildStage();
        String label = "label=com.docker.compose.project=" + PROJECT;
        assertThat(DockerCli.docker(Duration.ofMinutes(1), "ps", "--all", "--quiet", "--filter", label)).as("containers left").isBlank();
        assertThat(DockerCli.docker(Duration.ofMinutes(1), "volume", "ls", "--quiet", "--filter", label)).as("volumes left").isBlank();
        assertThat(DockerCli.docker(Duration.ofMinutes(1), "network", "ls", "--quiet", "--filter", label)).as("networks left").isBlank();
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

    /** Runs the compose file with the port and images of this run, and answers its output. */
    static String compose(Duration timeout, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(DockerCli.compose());
        command.addAll(List.of("--file", Path.of("docker/compose.yaml").toAbsolutePath().toString(), "--project-name", PROJECT));
        command.addAll(List.of(arguments));
        return DockerCli.run(timeout, Map.of("KEYCLOAK_IMAGE", KEYCLOAK_IMAGE, "POSTGRES_IMAGE", POSTGRES_IMAGE,
                "KEYCLOAK_PORT", Integer.toString(port)), command);
    }
}
