package dev.anonymoususers.containers;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;

/**
 * The docker and compose commands as a user types them (docker build, docker-compose up), for the tests that prove
 * docker/ works the way its files say; and the rule that no test pulls an image where no registry answers.
 */
final class DockerCli {

    private DockerCli() {
    }

    /** Runs a command to its end within {@code timeout} and answers its output; anything else fails, with that output. */
    static String run(Duration timeout, Map<String, String> environment, List<String> command) throws Exception {
        Path output = Files.createTempFile("docker", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("DOCKER_BUILDKIT", "0"); // the classic builder uses local base images without asking a registry
        Process process = builder.start();
        boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        if (!ended || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + (ended ? " failed" : " did not end within " + timeout) + ":\n" + text);
        }
        return text;
    }

    static String docker(Duration timeout, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        return run(timeout, Map.of(), command);
    }

    /** Whether the published port answers the request with 200: what the tests wait on. */
    static boolean answersOk(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Removes what building docker/Dockerfile left of its build stage (labelled there), about 0.7 GB a build. */
    static void removeBuildStage() throws Exception {
        docker(Duration.ofMinutes(2), "image", "prune", "--force", "--filter", "label=dev.anonymoususers.stage=builder");
    }

    /** Debian's docker-compose where it is installed, else the docker compose plugin: they read the same file. */
    static List<String> compose() {
        boolean debians = List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, "docker-compose")));
        return debians ? List.of("docker-compose") : List.of("docker", "compose");
    }

    /**
     * The image, when this machine has it or may pull it. A {@code localhost/} image (CI's stand-ins) is only ever
     * made here, by docker/make-local-images.sh: missing, it fails at once and says so, instead of a pull that asks a
     * registry and fails later. Other images are pulled as usual where a registry answers.
     */
    static String image(String name) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(name).exec();
            return name;
        } catch (NotFoundException missing) {
            if (name.startsWith("localhost/")) {
                throw new IllegalStateException("The image " + name + " is not on this machine and no registry has it: make it with"
                        + " docker/make-local-images.sh <keycloak-quarkus-dist zip> (.ci/run does)");
            }
            return name;
        }
    }
}
