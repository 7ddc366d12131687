package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.DpopProofs;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A native app's guest has no browser session: the app opens the system browser with
 * {@code login_hint=anonymous:<assertion>} (action promote) and {@code kc_action=promote-anonymous}, and the
 * device's guest is signed in and promoted in one trip. Its device keys stop signing anyone in.
 */
class DevicePromotionIT extends PromotionRealm {

    DeviceKeyClient app;

    @BeforeAll
    void nativeApp() {
        app = new DeviceKeyClient(server, realm, "web-app");
    }

    String assertion(KeyPair key, String action) {
        return DeviceAssertions.signedBy(key).challenge(app.challenge()).action(action).build();
    }

    Authorization systemBrowser(OidcClient browser, KeyPair key, String action, boolean promote) {
        return promote
                ? browser.authorize(Map.of("login_hint", "anonymous:" + assertion(key, action), "kc_action", "promote-anonymous"))
                : browser.authorize(Map.of("login_hint", "anonymous:" + assertion(key, action)));
    }

    @Smoke
    @Test
    void deviceGuestIsSignedInAndPromotedInOneTripAndItsKeyStopsWorking() {
        KeyPair key = DeviceAssertions.ecP256();
        String sub = app.signIn(assertion(key, "auth")).sub();
        OidcClient browser = browser();

        Authorization page = systemBrowser(browser, key, "promote", true);
        Authorization done = browser.submit(page, FORM, signUp(unique("device")));

        assertThat(done.parameter("kc_action_status")).as(String.valueOf(done.page())).isEqualTo("success");
        JsonNode claims = browser.exchange(done).idTokenClaims();
        assertThat(claims.get("sub").asText()).isEqualTo(sub);
        assertThat(claims.get("is_anonymous").asBoolean()).isFalse();
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + sub + "/credentials"))
                .extracting(credential -> credential.get("type").asText()).containsExactly("password");
        DeviceKeyClient.Answer again = app.signIn(assertion(key, "auth"));
        assertThat(again.error()).isEqualTo("invalid_grant");
        assertThat(again.errorDescription()).contains("revoked");
    }

    /**
     * A guest whose tokens are bound to its device key promotes in the system browser with {@code dpop_jkt} (the
     * code can be exchanged only with a proof by that key): the account's tokens are bound to the device key too,
     * though the account holds no device key any more, and the guest's bound refresh token ended with the promotion.
     */
    @Test
    void aBoundGuestPromotesWithDpopJktAndKeepsItsTokensBoundToTheDeviceKey() {
        KeyPair key = DeviceAssertions.ecP256();
        DeviceKeyClient.Answer bound = app.signIn(assertion(key, "auth"), DpopProofs.proof(key, "POST", app.tokenUrl(), null));
        String guestRefresh = bound.body().get("refresh_token").asText();
        OidcClient browser = browser();

        Authorization page = browser.authorize(Map.of("login_hint", "anonymous:" + assertion(key, "promote"),
                "kc_action", "promote-anonymous", "dpop_jkt", DeviceAssertions.thumbprint(key)));
        Authorization done = browser.submit(page, FORM, signUp(unique("bound")));
        assertThat(done.parameter("kc_action_status")).as(String.valueOf(done.page())).isEqualTo("success");

        var withProof = browser.tryExchange(done.code(), DpopProofs.proof(key, "POST", browser.tokenEndpointUrl(), null));

        assertThat(withProof.statusCode()).as(withProof.body()).isEqualTo(200);
        JsonNode tokens = AdminApi.read(withProof.body());
        assertThat(tokens.get("token_type").asText()).isEqualTo("DPoP");
        assertThat(OidcClient.Tokens.claims(tokens.get("access_token").asText()).path("cnf").path("jkt").asText())
                .isEqualTo(DeviceAssertions.thumbprint(key));
        assertThat(OidcClient.Tokens.claims(tokens.get("id_token").asText()).get("is_anonymous").asBoolean()).isFalse();
        DeviceKeyClient.Answer guestRefreshAfter = app.token(Map.of("grant_type", "refresh_token", "refresh_token", guestRefresh),
                DpopProofs.proof(key, "POST", app.tokenUrl(), null));
        assertThat(guestRefreshAfter.status()).as("the guest's session ended with the promotion").isEqualTo(400);
    }

    @Test
    void promoteAssertionWithoutTheActionIsRefused() {
        KeyPair key = DeviceAssertions.ecP256();
        String sub = app.signIn(assertion(key, "auth")).sub();

        Authorization answer = systemBrowser(browser(), key, "promote", false);

        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).contains("accepted in the browser only to promote its guest");
        assertThat(admin.isGuest(realm, sub)).isTrue();
    }

    @Test
    void signInAssertionCannotStartAPromotion() {
        KeyPair key = DeviceAssertions.ecP256();
        String sub = app.signIn(assertion(key, "auth")).sub();

        Authorization answer = systemBrowser(browser(), key, "auth", true);

        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).contains("sign the assertion with the action promote");
        assertThat(admin.isGuest(realm, sub)).isTrue();
    }

    @Test
    void promoteAssertionOfANewKeyCreatesNobody() {
        int users = admin.countUsers(realm);

        Authorization answer = systemBrowser(browser(), DeviceAssertions.ecP256(), "promote", true);

        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).contains("No guest is registered for this device key");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }
}
