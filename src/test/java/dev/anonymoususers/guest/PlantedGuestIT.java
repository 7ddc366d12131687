package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.Map;

import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient.Tokens;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.RealmWithGuests;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack (login CSRF): another site puts the visitor's browser into a guest the attacker holds, by a link with the
 * attacker's device assertion, then reads what the visitor saves there by signing in with its key. Both sides are
 * played here: the attacker's device, and the visitor's browser that opens the link.
 */
class PlantedGuestIT extends RealmWithGuests {

    static final String FORM = "kc-promote-anonymous-form";

    DeviceKeyClient attackersDevice;

    @BeforeAll
    void attackersDevice() {
        attackersDevice = new DeviceKeyClient(server, realm, "web-app");
    }

    /** The link the attacker's page sends the visitor's browser to, with an assertion signed by the attacker's key. */
    Map<String, String> link(KeyPair attackersKey, String action) {
        String assertion = DeviceAssertions.signedBy(attackersKey).challenge(attackersDevice.challenge()).action(action).build();
        return "promote".equals(action)
                ? Map.of("login_hint", "anonymous:" + assertion, "kc_action", "promote-anonymous")
                : Map.of("login_hint", "anonymous:" + assertion);
    }

    OidcClient visitorsBrowser() {
        return new OidcClient(server, realm, "web-app", REDIRECT_URI);
    }

    @Test
    void signInLinkIsRefusedAndTheVisitorsBrowserHasNoSession() {
        KeyPair attackersKey = DeviceAssertions.ecP256();
        attackersDevice.signIn(DeviceAssertions.signedBy(attackersKey).ownId().build()).sub();
        OidcClient visitor = visitorsBrowser();

        Authorization answer = visitor.authorize(link(attackersKey, "auth"));

        assertThat(answer.code()).isNull();
        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(visitor.authorize(Map.of("prompt", "none")).error()).isEqualTo("login_required");
    }

    @Smoke
    @Test
    void promotionLinkTheVisitorCancelsLeavesNoSessionOfTheAttackersGuest() {
        KeyPair attackersKey = DeviceAssertions.ecP256();
        String attackersGuest = attackersDevice.signIn(DeviceAssertions.signedBy(attackersKey).ownId().build()).sub();
        OidcClient visitor = visitorsBrowser();

        Authorization signUpPage = visitor.authorize(link(attackersKey, "promote"));
        assertThat(signUpPage.page()).as("the sign-up page").contains(FORM);
        Authorization whilePageIsOpen = visitor.authorize(Map.of("prompt", "none"));
        Authorization cancelled = visitor.submit(signUpPage, FORM, Map.of("cancel-aia", "true"));

        assertThat(whilePageIsOpen.error()).isEqualTo("login_required");
        assertThat(cancelled.reachedApp()).as(String.valueOf(cancelled.page())).isTrue();
        assertThat(cancelled.code()).isNull();
        assertThat(cancelled.error()).isEqualTo("access_denied");
        assertThat(cancelled.errorDescription()).isEqualTo("User cancelled application-initiated action.");
        assertThat(visitor.authorize(Map.of("prompt", "none")).error()).isEqualTo("login_required");
        assertThat(admin.isGuest(realm, attackersGuest)).isTrue();
        assertThat(admin.events(realm, "LOGIN_ERROR").get(0).get("error").asText()).isEqualTo("rejected_by_user");
    }

    @Test
    void visitorWhoSignsUpInAPlantedGuestTakesItAwayFromTheAttacker() {
        KeyPair attackersKey = DeviceAssertions.ecP256();
        Tokens attackers = attackersDevice.token(Map.of("grant_type", DeviceKeyClient.GRANT_TYPE,
                "scope", "openid offline_access", "assertion", DeviceAssertions.signedBy(attackersKey).ownId().build())).tokens();
        OidcClient visitor = visitorsBrowser();
        String name = "visitor-" + java.util.UUID.randomUUID().toString().substring(0, 8);

        Authorization done = visitor.submit(visitor.authorize(link(attackersKey, "promote")), FORM, Map.of(
                "username", name, "email", name + "@example.com", "firstName", "Ada", "lastName", "Lovelace",
                "password", "a-long-password-1", "password-confirm", "a-long-password-1"));

        assertThat(done.parameter("kc_action_status")).isEqualTo("success");
        assertThat(visitor.tryRefresh(attackers.refreshToken()).statusCode()).isEqualTo(400);
        DeviceKeyClient.Answer attackerAgain = attackersDevice.signIn(DeviceAssertions.signedBy(attackersKey).ownId().build());
        assertThat(attackerAgain.error()).isEqualTo("invalid_grant");
        assertThat(attackerAgain.errorDescription()).contains("revoked");
    }
}
