package dev.anonymoususers.devicekeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/device-keys.md, run as an app developer runs them: twice, and the same guest comes back. */
@WithKeycloak
class DocumentedExamplesIT {

    static final Path EXAMPLES = Path.of(System.getProperty("examples.dir"));

    @Test
    void javaExampleSignsTheSameGuestInOnItsSecondRun(KeycloakServer server, AdminApi admin, @TempDir Path work) throws Exception {
        String realm = realmFor(admin);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                EXAMPLES.resolve("DeviceKeyExample.java").toString(), server.baseUrl(), realm, "web-app", work.resolve("key").toString());

        String first = run(command, work);
        String second = run(command, work);

        assertThat(first).matches("sub=[0-9a-f-]{36} is_anonymous=true");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void javaScriptExampleSignsTheSameGuestInOnItsSecondRun(KeycloakServer server, AdminApi admin, @TempDir Path work) throws Exception {
        String realm = realmFor(admin);
        List<String> command = nodeExample(server, realm, work);

        String first = run(command, work);
        String second = run(command, work);

        assertThat(first).matches("sub=[0-9a-f-]{36} is_anonymous=true");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void javaScriptModuleFallsBackToAChallengeWhenTheDeviceClockIsOff(KeycloakServer server, AdminApi admin, @TempDir Path work)
            throws Exception {
        String realm = realmFor(admin);
        List<String> command = nodeExample(server, realm, work);
        String first = run(command, work);
        String again;
        server.moveClock(java.time.Duration.ofMinutes(3)); // the device now seems 3 minutes behind the server
        try {
            again = run(command, work);
        } finally {
            server.moveClock(java.time.Duration.ZERO);
        }

        assertThat(again).isEqualTo(first);
        assertThat(admin.get("/admin/realms/" + realm + "/events?type=LOGIN_ERROR").toString()).contains("signs a challenge instead");
    }

    private static List<String> nodeExample(KeycloakServer server, String realm, Path work) {
        return List.of("node", EXAMPLES.resolve("device-key.mjs").toString(), server.baseUrl(), realm, "web-app",
                work.resolve("key.json").toString());
    }

    private static String realmFor(AdminApi admin) {
        return admin.importGuestsRealm("http://127.0.0.1/callback", true);
    }

    private static String run(List<String> command, Path work) throws IOException, InterruptedException {
        Path output = work.resolve("output.txt");
        Process process = new ProcessBuilder(new ArrayList<>(command)).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("The example did not finish: " + command);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8).trim();
        assertThat(process.exitValue()).as(text).isZero();
        return text.lines().reduce((first, last) -> last).orElse("");
    }
}
