package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.Map;

import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.RealmPerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** guestClients: only the apps an admin names create guests, on every path; guests that exist keep signing in. */
class GuestClientsIT extends RealmPerTest {

    @BeforeEach
    void realmWhereOnlyOtherAppMayCreateGuests() {
        admin.addPublicClient(realm, "other-app", REDIRECT_URI);
    }

    void onlyOtherAppMayCreateGuests() {
        assertThat(admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"guestClients\": [\"other-app\"]}",
                admin.adminToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void browserGuestRequestOfAnotherAppIsRefusedAndCreatesNobody() {
        onlyOtherAppMayCreateGuests();
        int users = admin.countUsers(realm);

        Authorization answer = new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest();

        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).contains("The client web-app may not create guests");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
        assertThat(admin.events(realm, "LOGIN_ERROR").get(0).get("error").asText()).isEqualTo("anonymous_client_not_allowed");
    }

    @Test
    void anAllowedAppStillCreatesGuests() {
        onlyOtherAppMayCreateGuests();
        OidcClient otherApp = new OidcClient(server, realm, "other-app", REDIRECT_URI);

        assertThat(otherApp.exchange(otherApp.authorizeAsGuest()).idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
    }

    @Test
    void newDeviceKeyOfAnotherAppIsRefusedAndCreatesNobody() {
        onlyOtherAppMayCreateGuests();
        DeviceKeyClient app = new DeviceKeyClient(server, realm, "web-app");
        int users = admin.countUsers(realm);

        DeviceKeyClient.Answer answer = app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(app.challenge()).build());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("unauthorized_client");
        assertThat(answer.errorDescription()).contains("may not create guests");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void deviceGuestsThatExistKeepSigningIn() {
        DeviceKeyClient app = new DeviceKeyClient(server, realm, "web-app");
        KeyPair key = DeviceAssertions.ecP256();
        String sub = app.signIn(DeviceAssertions.signedBy(key).challenge(app.challenge()).build()).sub();
        onlyOtherAppMayCreateGuests();

        DeviceKeyClient.Answer again = app.signIn(DeviceAssertions.signedBy(key).challenge(app.challenge()).build());

        assertThat(again.ok()).as(again.body().toString()).isTrue();
        assertThat(again.sub()).isEqualTo(sub);
    }

    @Test
    void loginPageOffersNoGuestToAnAppThatMayNotCreateOne() {
        onlyOtherAppMayCreateGuests();

        String webAppPage = new OidcClient(server, realm, "web-app", REDIRECT_URI).authorize(Map.of()).page();
        String otherAppPage = new OidcClient(server, realm, "other-app", REDIRECT_URI).authorize(Map.of()).page();

        assertThat(webAppPage).contains("kc-form-login").doesNotContain("continue-as-guest.js");
        assertThat(otherAppPage).contains("continue-as-guest.js");
    }
}
