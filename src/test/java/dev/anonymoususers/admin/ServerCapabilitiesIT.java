package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.Smoke;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;

/** Every supported Keycloak release says at startup, in one line, what it offers of the extension. */
@WithKeycloak
class ServerCapabilitiesIT {

    @Smoke
    @Test
    void startupSaysWhichKeycloakRunsTheExtensionAndThatTheAdminTabIsOn(KeycloakServer server) {
        String line = server.log().lines()
                .filter(entry -> entry.contains("Anonymous users on Keycloak"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No startup line of the extension in the server log"));

        assertThat(line).contains("guests, device keys and promotion are available")
                .contains("the admin console tab Authentication > Anonymous users is on")
                .doesNotContain("Exception");
    }
}
