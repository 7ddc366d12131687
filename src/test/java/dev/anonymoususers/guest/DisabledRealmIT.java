package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;

/** Where anonymous users are off, a guest request is refused with an OAuth error and creates nobody. */
@WithKeycloak
class DisabledRealmIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";

    @Test
    void realmWhoseSettingsWereClearedRefusesGuestRequests(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        assertThat(admin.clearAnonymousUsersSettings(realm).statusCode()).isEqualTo(204);

        assertGuestRequestRefusedAndNobodyCreated(server, admin, realm);
    }

    @Test
    void realmWithAnonymousUsersSwitchedOffRefusesGuestRequests(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        admin.setAnonymousUsersEnabled(realm, false);

        assertGuestRequestRefusedAndNobodyCreated(server, admin, realm);
    }

    @Test
    void freshRealmRefusesGuestRequests(KeycloakServer server, AdminApi admin) {
        String realm = admin.createFreshRealm("fresh");
        admin.addPublicClient(realm, "web-app", REDIRECT_URI);

        assertGuestRequestRefusedAndNobodyCreated(server, admin, realm);
    }

    @Test
    void switchingAnonymousUsersOffKeepsExistingGuestsSignedIn(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        OidcClient.Tokens tokens = browser.exchange(browser.authorizeAsGuest());

        admin.setAnonymousUsersEnabled(realm, false);

        assertThat(browser.refresh(tokens).accessTokenClaims().get("is_anonymous").asBoolean()).isTrue();
    }

    private static void assertGuestRequestRefusedAndNobodyCreated(KeycloakServer server, AdminApi admin, String realm) {
        int before = admin.countUsers(realm);

        Authorization authorization = new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest();

        assertRefused(authorization);
        assertThat(admin.countUsers(realm)).isEqualTo(before);
    }

    private static void assertRefused(Authorization authorization) {
        assertThat(authorization.reachedApp()).as("redirected back to the app; page: %s", authorization.page()).isTrue();
        assertThat(authorization.error()).isEqualTo("access_denied");
        assertThat(authorization.errorDescription()).isEqualTo("Anonymous users are disabled for this realm");
        assertThat(authorization.code()).isNull();
    }
}
