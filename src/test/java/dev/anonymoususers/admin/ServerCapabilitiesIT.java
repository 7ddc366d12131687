package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.NeedsAdminTab;
import dev.anonymoususers.testing.Smoke;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;

/** Every supported Keycloak release says at startup, in one line, what it offers of the extension. */
@WithKeycloak
class ServerCapabilitiesIT {

    @Smoke
    @NeedsAdminTab
    @Test
    void startupSaysWhichKeycloakRunsTheExtensionAndThatTheAdminTabIsOn(KeycloakServer server) {
        assertThat(startupLine(server)).contains("guests, device keys and promotion are available")
                .contains("the admin console tab Authentication > Anonymous users is on")
                .doesNotContain("Exception");
    }

    @Test
    void withoutTheExperimentalFeatureStartupPointsToTheSettingsApi(KeycloakServer server) {
        assertThat(startupLine(server)).contains("guests, device keys and promotion are available")
                .contains("the admin console tab is off (it needs --features=declarative-ui)")
                .contains("/admin/realms/{realm}/anonymous-users");
    }

    private static String startupLine(KeycloakServer server) {
        return server.log().lines()
                .filter(entry -> entry.contains("Anonymous users on Keycloak"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No startup line of the extension in the server log"));
    }
}
