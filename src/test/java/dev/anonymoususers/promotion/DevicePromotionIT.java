package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.OidcClient.Authorization;
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
