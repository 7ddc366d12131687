package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.Smoke;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;

/** Every supported Keycloak release says at startup, in one line, what it offers of the extension and where to switch it on. */
@WithKeycloak
class ServerCapabilitiesIT {

    @Smoke
    @Test
    void startupPointsToTheSettingsInTheConsoleOfAServerWithoutFeatures(KeycloakServer server) {
        assertThat(startupLine(server)).contains("guests, device keys and promotion are available")
                .contains("Authentication > Required actions > Anonymous users: guest sign-up (all settings under ⚙) > ⚙")
                .contains("no feature flag needed")
                .contains("/admin/realms/{realm}/anonymous-users")
                .doesNotContain("Exception");
    }

    private static String startupLine(KeycloakServer server) {
        return server.log().lines()
                .filter(entry -> entry.contains("Anonymous users on Keycloak"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No startup line of the extension in the server log"));
    }
}
