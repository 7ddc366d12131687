package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient.Tokens;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.Smoke;
import dev.anonymoususers.testing.StandInServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack: whoever held a guest before a person took it over — a copied refresh token, a lost phone, a planted guest —
 * keeps reading the person's account. A promotion ends every session the guest had but the promoting browser's own.
 */
class PromotionEndsEarlierSessionsIT extends PromotionRealm {

    DeviceKeyClient device;

    @BeforeAll
    void nativeApp() {
        device = new DeviceKeyClient(server, realm, "web-app");
    }

    DeviceKeyClient.Answer deviceSignIn(KeyPair key, String scope) {
        return device.token(Map.of("grant_type", DeviceKeyClient.GRANT_TYPE, "scope", scope,
                "assertion", DeviceAssertions.signedBy(key).ownId().build()));
    }

    /** The native app's promotion through the system browser: a fresh browser with the device's promote assertion. */
    Authorization devicePromotionPage(OidcClient browser, KeyPair key) {
        return browser.authorize(Map.of("kc_action", "promote-anonymous", "login_hint", "anonymous:"
                + DeviceAssertions.signedBy(key).challenge(device.challenge()).action("promote").build()));
    }

    @Smoke
    @Test
    void offlineTokenAndSessionsADeviceGuestHadStopWorkingWhenItIsPromoted() {
        KeyPair key = DeviceAssertions.ecP256();
        Tokens offline = deviceSignIn(key, "openid offline_access").tokens();
        Tokens online = deviceSignIn(key, "openid").tokens();
        String sub = offline.idTokenClaims().get("sub").asText();
        OidcClient browser = browser();

        Authorization done = browser.submit(devicePromotionPage(browser, key), FORM, signUp(unique("taken-over")));

        assertThat(done.parameter("kc_action_status")).as(String.valueOf(done.page())).isEqualTo("success");
        Tokens own = browser.exchange(done);
        assertThat(browser.refresh(own).idTokenClaims().get("sub").asText()).as("the promotion's own tokens carry on").isEqualTo(sub);
        assertNoLongerRefreshes(offline.refreshToken());
        assertNoLongerRefreshes(online.refreshToken());
        assertThat(browser.tryUserinfo(online.accessToken()).statusCode()).isEqualTo(401);
        assertThat(browser.introspect(online.accessToken(), "resource-server", "resource-server-secret").get("active").asBoolean())
                .isFalse();
        // each device-key grant made a session; the one that asked for offline_access an offline session as well
        assertThat(endedSessions(sub)).isEqualTo(3);
        JsonNode logouts = admin.get("/admin/realms/" + realm + "/events?type=LOGOUT&user=" + sub);
        assertThat(logouts).hasSize(3).allSatisfy(logout ->
                assertThat(logout.path("details").path("reason").asText()).isEqualTo("guest promoted"));
    }

    @Test
    void webGuestKeepsThePromotingSessionAndLosesItsOfflineToken() {
        Guest guest = guest();
        Tokens offline = offlineToken(guest);

        Authorization done = guest.browser().submit(startPromotion(guest.browser()), FORM, signUp(unique("web")));

        assertThat(done.parameter("kc_action_status")).isEqualTo("success");
        assertNoLongerRefreshes(offline.refreshToken());
        assertThat(guest.browser().refresh(guest.tokens()).accessTokenClaims().get("is_anonymous").asBoolean())
                .as("the browser session that promoted carries on").isFalse();
        assertThat(guest.browser().authorize(Map.of("prompt", "none")).code()).isNotNull();
        assertThat(endedSessions(guest.sub())).isEqualTo(1);
    }

    @Test
    void secondSubmitFromAnotherBrowserGetsAnErrorAndNoSessionOfTheAccount() {
        KeyPair key = DeviceAssertions.ecP256();
        String sub = deviceSignIn(key, "openid").sub();
        OidcClient person = browser();
        OidcClient other = browser();
        Authorization personsPage = devicePromotionPage(person, key);
        Authorization othersPage = devicePromotionPage(other, key);

        Authorization promoted = person.submit(personsPage, FORM, signUp(unique("person")));
        Authorization twin = other.submit(othersPage, FORM, signUp(unique("other")));

        assertThat(promoted.parameter("kc_action_status")).isEqualTo("success");
        assertThat(twin.code()).as(String.valueOf(twin.page())).isNull();
        assertThat(twin.parameter("kc_action_status")).isNotEqualTo("success");
        assertThat(other.authorize(Map.of("prompt", "none")).error()).isEqualTo("login_required");
        assertThat(person.exchange(person.authorize(Map.of("prompt", "none"))).idTokenClaims().get("sub").asText()).isEqualTo(sub);
    }

    @Test
    void appsThatRegisteredForBackchannelLogoutAreTold() {
        try (StandInServer logoutEndpoint = new StandInServer(200, "text/plain", "")) {
            ObjectNode client = AdminApi.JSON.createObjectNode().put("clientId", "native-" + unique("app")).put("publicClient", true);
            client.putObject("attributes").put("backchannel.logout.url", logoutEndpoint.url() + "/logout")
                    .put("backchannel.logout.session.required", "true");
            assertThat(admin.send("POST", "/admin/realms/" + realm + "/clients", client).statusCode()).isEqualTo(201);
            KeyPair key = DeviceAssertions.ecP256();
            String sub = new DeviceKeyClient(server, realm, client.get("clientId").asText())
                    .signIn(DeviceAssertions.signedBy(key).ownId().build()).sub();
            OidcClient browser = browser();

            Authorization done = browser.submit(devicePromotionPage(browser, key), FORM, signUp(unique("told")));

            assertThat(done.parameter("kc_action_status")).isEqualTo("success");
            assertThat(logoutEndpoint.received()).hasSize(1).first().asString().startsWith("logout_token=");
            assertThat(endedSessions(sub)).isEqualTo(1);
        }
    }
}
