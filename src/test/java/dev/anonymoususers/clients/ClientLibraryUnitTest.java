package dev.anonymoususers.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Commands;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The client library's unit tests (clients/js/test, Node.js's own test runner, jose as the checker), each reported
 * as a test of its own. Its dev dependencies are installed from package-lock.json first when they are missing.
 */
class ClientLibraryUnitTest {

    static final Path LIBRARY = ClientLibrary.LIBRARY;

    @TestFactory
    Stream<DynamicTest> theLibrarysNodeTests() throws Exception {
        if (!Files.exists(LIBRARY.resolve("node_modules/.package-lock.json"))) {
            Commands.lastLine(List.of("npm", "ci", "--no-audit", "--no-fund"), LIBRARY);
        }
        List<String> command = new ArrayList<>(List.of("node", "--test",
                "--test-reporter=" + Path.of("src/test/js/node-test-reporter.mjs").toAbsolutePath().toUri(),
                "--test-reporter-destination=stdout"));
        try (Stream<Path> files = Files.list(LIBRARY.resolve("test"))) {
            files.filter(file -> file.toString().endsWith(".test.js")).sorted().forEach(file -> command.add(LIBRARY.relativize(file).toString()));
        }
        Commands.Ended ended = Commands.execute(command, LIBRARY);

        List<DynamicTest> tests = new ArrayList<>();
        ended.output().lines().filter(line -> line.startsWith("{")).map(AdminApi::read).forEach(result -> tests.add(
                DynamicTest.dynamicTest(Path.of(result.get("file").asText()).getFileName() + ": " + result.get("name").asText(),
                        () -> check(result))));
        assertThat(tests).as("Node.js ran tests:\n" + ended.output()).isNotEmpty();
        // A test file that cannot even load fails the run without a test of its own.
        tests.add(DynamicTest.dynamicTest("Node.js's test runner ended without a failure",
                () -> assertThat(ended.exitValue()).as(ended.output()).isZero()));
        return tests.stream();
    }

    /** The package's version is the one the changelog is at, and the one the install instructions name. */
    @Test
    void thePackageVersionIsTheChangelogsAndTheInstallInstructionsName() throws Exception {
        String version = AdminApi.read(Files.readString(LIBRARY.resolve("package.json"))).get("version").asText();
        String changelog = Files.readString(LIBRARY.resolve("../../CHANGELOG.md"));
        Matcher current = Pattern.compile("^## (\\S+)", Pattern.MULTILINE).matcher(changelog);

        assertThat(current.find()).isTrue();
        assertThat(version).isEqualTo(current.group(1));
        for (Path doc : List.of(LIBRARY.resolve("README.md"), LIBRARY.resolve("../../README.md"))) {
            assertThat(Files.readString(doc)).as(doc.toString()).contains("keycloak-anonymous-users-" + version + ".tgz")
                    .doesNotContainPattern("keycloak-anonymous-users-(?!" + Pattern.quote(version) + "\\.tgz)[0-9.]+\\.tgz");
        }
    }

    private static void check(JsonNode result) {
        switch (result.get("outcome").asText()) {
            case "passed" -> {
            }
            case "skipped" -> fail("skipped: no test of the library may be skipped");
            default -> fail(result.get("error").asText());
        }
    }
}
