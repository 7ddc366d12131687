package dev.anonymoususers.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The image of docker/Dockerfile (PostgreSQL, {@code start --optimized}) when its database fails it: a wrong
 * password, PostgreSQL down. Keycloak must say why in its own words and end, within a bounded wait rather than
 * hang; and whatever the failed start made (containers, their volumes, the network) is gone afterwards.
 */
@ExtendWith(DockerEngine.class)
class DatabaseFaultsContainerIT {

    static final String IMAGE = "anonymous-users-database-faults-it";
    static final Duration KEYCLOAK_ENDS_WITHIN = Duration.ofMinutes(3);
    static final int MANAGEMENT_PORT = 9000;

    @BeforeAll
    static void buildTheImageAsTheDockerfileSays() throws Exception {
        DockerCli.docker(Duration.ofMinutes(8), "build", "--file", "docker/Dockerfile",
                "--build-arg", "KEYCLOAK_IMAGE=" + DockerCli.image(System.getProperty("keycloak.image")), "--tag", IMAGE, ".");
    }

    @AfterAll
    static void removeTheImage() throws Exception {
        DockerCli.docker(Duration.ofMinutes(1), "image", "rm", "--force", IMAGE);
        DockerCli.removeBuildStage();
    }

    @Test
    void aWrongDatabasePasswordEndsKeycloakWithPostgreSQLsRefusalAndLeavesNothing() {
        String said = whatKeycloakSaysFailingToStart("not-the-password", postgres -> { });

        assertThat(said).contains("Keycloak ended with exit code 1 before it was ready",
                "Failed to start server in (production) mode", "Failed to obtain JDBC connection",
                "password authentication failed for user \"keycloak\"");
    }

    @Test
    void postgreSQLDownEndsKeycloakSayingItCannotConnectAndLeavesNothing() {
        String said = whatKeycloakSaysFailingToStart("keycloak",
                postgres -> postgres.getDockerClient().stopContainerCmd(postgres.getContainerId()).exec());

        assertThat(said).contains("Keycloak ended with exit code 1 before it was ready",
                "Failed to start server in (production) mode", "Failed to obtain JDBC connection", "The connection attempt failed");
    }

    @Test
    void withTheRightPasswordTheSameSetUpIsReadyAndIsRemovedAfterwards() {
        ContainerScope scope;
        try (ContainerScope opened = new ContainerScope()) {
            scope = opened;
            opened.add(postgres()).start();
            GenericContainer<?> keycloak = opened.add(keycloak("keycloak"));
            keycloak.start();

            assertThat(keycloak.getLogs()).contains("Anonymous users on Keycloak").doesNotContain("Failed to start server");
        }

        assertThat(scope.leftBehind()).isEmpty();
    }

    @Test
    void whatATestStartedIsRemovedAlsoWhenTheTestFails() {
        ContainerScope[] scope = new ContainerScope[1];

        Throwable failed = catchThrowable(() -> {
            try (ContainerScope opened = new ContainerScope()) {
                scope[0] = opened;
                opened.add(postgres()).start();
                fail("a test failing while PostgreSQL runs");
            }
        });

        assertThat(failed).hasMessage("a test failing while PostgreSQL runs");
        assertThat(scope[0].leftBehind()).isEmpty();
    }

    /**
     * Starts PostgreSQL, does {@code fault} to it, then starts Keycloak with {@code databasePassword} expecting it to
     * fail, and answers the failure with what Keycloak said — once the scope is closed and proven to leave nothing.
     */
    static String whatKeycloakSaysFailingToStart(String databasePassword, Consumer<GenericContainer<?>> fault) {
        ContainerScope scope;
        Throwable failed;
        try (ContainerScope opened = new ContainerScope()) {
            scope = opened;
            GenericContainer<?> postgres = opened.add(postgres());
            postgres.start();
            fault.accept(postgres);
            failed = catchThrowable(opened.add(keycloak(databasePassword))::start);
        }
        assertThat(scope.leftBehind()).as("left behind by a failed start").isEmpty();
        assertThat(failed).as("Keycloak started although its database failed it").isInstanceOf(ContainerLaunchException.class);
        StringBuilder said = new StringBuilder();
        for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
            said.append(cause.getMessage()).append('\n');
        }
        return said.toString();
    }

    static GenericContainer<?> postgres() {
        return new GenericContainer<>(DockerCli.image(System.getenv().getOrDefault("POSTGRES_IMAGE", "postgres:17")))
                .withNetworkAliases("postgres")
                .withEnv(Map.of("POSTGRES_DB", "keycloak", "POSTGRES_USER", "keycloak", "POSTGRES_PASSWORD", "keycloak"))
                .waitingFor(Wait.forSuccessfulCommand("pg_isready -h 127.0.0.1 -U keycloak -d keycloak")
                        .withStartupTimeout(Duration.ofMinutes(2)));
    }

    /** The built image as docker/compose.yaml runs it, with the given database password. */
    static GenericContainer<?> keycloak(String databasePassword) {
        return new GenericContainer<>(IMAGE)
                .withCommand("start", "--optimized")
                .withEnv(Map.of("KC_DB_URL", "jdbc:postgresql://postgres:5432/keycloak", "KC_DB_USERNAME", "keycloak",
                        "KC_DB_PASSWORD", databasePassword, "KC_HOSTNAME", "http://localhost:8080", "KC_HTTP_ENABLED", "true"))
                .withExposedPorts(MANAGEMENT_PORT)
                .waitingFor(new ReadyOrEnded().withStartupTimeout(KEYCLOAK_ENDS_WITHIN));
    }

    /**
     * Waits until Keycloak is ready (its management interface's {@code /health/ready}, which checks the database,
     * answers 200) or its container has ended — then fails at once with what Keycloak printed — and never past the
     * startup timeout. Not "Listening on" nor {@code /health/started}: Keycloak 26.7 reports both before it has
     * reached its database. (Testcontainers' own log and HTTP waits would sit out the whole timeout after Keycloak
     * has ended.)
     */
    static final class ReadyOrEnded extends AbstractWaitStrategy {

        @Override
        protected void waitUntilReady() {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            URI ready = URI.create("http://" + waitStrategyTarget.getHost() + ":" + waitStrategyTarget.getMappedPort(MANAGEMENT_PORT)
                    + "/health/ready");
            while (!DockerCli.answersOk(ready)) {
                if (!waitStrategyTarget.isRunning()) {
                    Long exitCode = waitStrategyTarget.getCurrentContainerInfo().getState().getExitCodeLong();
                    throw new ContainerLaunchException("Keycloak ended with exit code " + exitCode + " before it was ready:\n"
                            + waitStrategyTarget.getLogs());
                }
                if (System.nanoTime() > deadline) {
                    throw new ContainerLaunchException("Keycloak was neither ready nor ended within " + startupTimeout + ":\n"
                            + waitStrategyTarget.getLogs());
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ContainerLaunchException("Interrupted waiting for Keycloak", e);
                }
            }
        }
    }
}
