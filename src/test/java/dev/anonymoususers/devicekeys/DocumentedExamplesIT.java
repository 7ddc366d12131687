package dev.anonymoususers.devicekeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Commands;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.StandInServer;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/device-keys.md, run as an app developer runs them: twice, and the same guest comes back. The
 * JavaScript one is the client library's (clients/js/examples/sign-in.mjs); PackedClientLibraryIT runs it installed.
 */
@WithKeycloak
class DocumentedExamplesIT {

    static final Path EXAMPLES = Path.of(System.getProperty("examples.dir"));
    static final Path JAVASCRIPT_EXAMPLE = Path.of(System.getProperty("clients.dir"), "examples", "sign-in.mjs");

    @Test
    void javaExampleSignsTheSameGuestInOnItsSecondRun(KeycloakServer server, AdminApi admin, @TempDir Path work) throws Exception {
        String realm = realmFor(admin);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                EXAMPLES.resolve("DeviceKeyExample.java").toString(), server.baseUrl(), realm, "web-app", work.resolve("key").toString());

        String first = run(command, work);
        String second = run(command, work);

        assertThat(first).matches("sub=[0-9a-f-]{36} is_anonymous=true token_type=DPoP");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void javaScriptExampleSignsTheSameGuestInOnItsSecondRun(KeycloakServer server, AdminApi admin, @TempDir Path work) throws Exception {
        String realm = realmFor(admin);
        List<String> command = nodeExample(server, realm, work);

        String first = run(command, work);
        String second = run(command, work);

        assertThat(first).matches("sub=[0-9a-f-]{36} is_anonymous=true token_type=DPoP");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void javaScriptExampleFallsBackToAChallengeAndTheServersTimeWhenTheDeviceClockIsOff(KeycloakServer server, AdminApi admin,
            @TempDir Path work)
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

        assertThat(again).as("the same guest, its tokens bound though the clock is off").isEqualTo(first);
        assertThat(admin.get("/admin/realms/" + realm + "/events?type=LOGIN_ERROR").toString())
                .as("the proof dated by the device was refused first").contains("DPoP proof is not active");
    }

    @Test
    void javaScriptExampleSaysWhatKeycloakAnsweredToAWrongBasePath(KeycloakServer server, AdminApi admin, @TempDir Path work)
            throws Exception {
        String realm = realmFor(admin);

        String said = runFailing(nodeExample(server.baseUrl() + "/auth", realm, work), work); // the base path before Keycloak 17

        assertThat(said).contains("not-found: " + server.baseUrl() + "/auth/realms/" + realm
                + "/protocol/openid-connect/token answered 404 (nothing there: check url (no /auth since Keycloak 17) and realm):"
                + " Unable to find matching target resource method");
    }

    @Test
    void javaScriptExampleSaysWhatCameBackWhenTheAnswerIsNotJson(@TempDir Path work) throws Exception {
        String said;
        String url;
        // What Keycloak 26.7 answers while it is still starting, replayed by a stand-in.
        try (StandInServer starting = new StandInServer(503, "text/plain", "Bootstrap in progress. Retry in 1 seconds.")) {
            url = starting.url();
            said = runFailing(nodeExample(url, "demo", work), work);
        }

        assertThat(said).isEqualTo("unexpected-answer: " + url + "/realms/demo/protocol/openid-connect/token answered 503"
                + " without JSON: Bootstrap in progress. Retry in 1 seconds.");
    }

    private static List<String> nodeExample(KeycloakServer server, String realm, Path work) {
        return nodeExample(server.baseUrl(), realm, work);
    }

    private static List<String> nodeExample(String url, String realm, Path work) {
        return List.of("node", JAVASCRIPT_EXAMPLE.toString(), url, realm, "web-app", work.resolve("key.json").toString());
    }

    private static String realmFor(AdminApi admin) {
        return admin.importGuestsRealm("http://127.0.0.1/callback", true);
    }

    /** Runs the example expecting it to fail, and answers all it printed. */
    private static String runFailing(List<String> command, Path work) throws IOException, InterruptedException {
        Commands.Ended ended = Commands.execute(command, work);
        assertThat(ended.exitValue()).as(ended.output()).isNotZero();
        return ended.output();
    }

    /** Runs the example expecting it to succeed, and answers the last line it printed. */
    private static String run(List<String> command, Path work) throws IOException, InterruptedException {
        return Commands.lastLine(command, work);
    }
}
