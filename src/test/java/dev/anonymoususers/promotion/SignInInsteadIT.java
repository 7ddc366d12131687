package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient.Tokens;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.Test;

/**
 * The email is taken: the page offers "Sign in to that account instead"; the visitor signs in to the existing
 * account with its own password, the app gets that account and, in the ID token of that sign-in, the guest's sub.
 */
class SignInInsteadIT extends PromotionRealm {

    String aliceId() {
        return admin.get("/admin/realms/" + realm + "/users?username=alice&exact=true").get(0).get("id").asText();
    }

    Map<String, String> aliceEmail() {
        Map<String, String> form = signUp(unique("visitor"));
        form.put("email", "alice@example.com");
        return form;
    }

    @Test
    void takenEmailOffersToSignInInstead() {
        Guest guest = guest();

        Authorization refused = guest.browser().submit(startPromotion(guest.browser()), FORM, aliceEmail());

        assertThat(fieldError(refused.page(), "email")).isEqualTo("Email already exists.");
        assertThat(refused.page()).contains("id=\"kc-sign-in-instead-button\"").contains("Sign in to that account instead");
    }

    @Test
    void otherRefusalsOfferNoSignIn() {
        Guest guest = guest();
        Map<String, String> form = signUp(unique("visitor"));
        form.put("password-confirm", "something-else-1");

        Authorization refused = guest.browser().submit(startPromotion(guest.browser()), FORM, form);

        assertThat(refused.page()).doesNotContain("kc-sign-in-instead-button");
    }

    @Smoke
    @Test
    void visitorSignsInToTheExistingAccountAndTheAppLearnsTheGuest() {
        Guest guest = guest();
        Authorization refused = guest.browser().submit(startPromotion(guest.browser()), FORM, aliceEmail());
        assertThat(refused.page()).contains("<input type=\"hidden\" name=\"email\" value=\"alice@example.com\"/>");

        Authorization loginPage = guest.browser().submit(refused, "kc-sign-in-instead",
                Map.of("email", "alice@example.com", "username", "", "sign-in-instead", "true"));
        assertThat(loginPage.page()).as("the realm's login form").contains("id=\"kc-form-login\"")
                .contains("value=\"alice@example.com\"").doesNotContain("continue-as-guest.js");
        Authorization done = guest.browser().submit(loginPage, "kc-form-login",
                Map.of("username", "alice@example.com", "password", "alice-password"));

        assertThat(done.reachedApp()).as(String.valueOf(done.page())).isTrue();
        assertThat(done.parameter("kc_action")).as("keycloak-js's onActionUpdate hears it").isEqualTo("promote-anonymous");
        assertThat(done.parameter("kc_action_status")).isEqualTo("success");
        Tokens tokens = guest.browser().exchange(done);
        JsonNode claims = tokens.idTokenClaims();
        assertThat(claims.get("sub").asText()).isEqualTo(aliceId());
        assertThat(claims.get("anonymous_sub").asText()).isEqualTo(guest.sub());
        assertThat(claims.get("is_anonymous").asBoolean()).isFalse();
        assertThat(tokens.accessTokenClaims().has("anonymous_sub")).as("ID token only").isFalse();
        assertThat(guest.browser().refresh(tokens).idTokenClaims().has("anonymous_sub")).as("that sign-in only").isFalse();

        JsonNode event = eventOf("CUSTOM_REQUIRED_ACTION", aliceId());
        assertThat(event.path("details").path("custom_required_action").asText()).isEqualTo("promote-anonymous");
        assertThat(event.path("details").path("anonymous_sub").asText()).isEqualTo(guest.sub());
        assertThat(admin.isGuest(realm, guest.sub())).as("the guest is left as it was").isTrue();
        assertThat(admin.user(realm, guest.sub()).has("email")).isFalse();
    }

    @Test
    void laterSignInsOfTheSameAccountCarryNoGuest() {
        Guest guest = guest();
        Authorization refused = guest.browser().submit(startPromotion(guest.browser()), FORM, aliceEmail());
        Authorization loginPage = guest.browser().submit(refused, "kc-sign-in-instead",
                Map.of("email", "alice@example.com", "sign-in-instead", "true"));
        guest.browser().exchange(guest.browser().submit(loginPage, "kc-form-login",
                Map.of("username", "alice@example.com", "password", "alice-password")));

        Authorization again = guest.browser().authorize(Map.of());

        assertThat(again.reachedApp()).as("single sign-on").isTrue();
        assertThat(guest.browser().exchange(again).idTokenClaims().has("anonymous_sub")).isFalse();
    }

    /**
     * Attack (found by trying): a sign-in instead whose code exchange issued no ID token (scope without openid) left
     * its note behind, and the app's next SSO sign-in of the account carried the guest's sub. The note ends with the
     * first code exchange of that sign-in, whatever it issues.
     */
    @Test
    void signInInsteadWithoutAnIdTokenLeavesNoGuestForTheNextSignIn() {
        Guest guest = guest();
        Authorization refused = guest.browser().submit(guest.browser().authorize(Map.of("kc_action", "promote-anonymous",
                "scope", "profile")), FORM, aliceEmail());
        Authorization loginPage = guest.browser().submit(refused, "kc-sign-in-instead",
                Map.of("email", "alice@example.com", "sign-in-instead", "true"));
        Tokens withoutIdToken = guest.browser().exchange(guest.browser().submit(loginPage, "kc-form-login",
                Map.of("username", "alice@example.com", "password", "alice-password")));
        assertThat(withoutIdToken.response().has("id_token")).isFalse();

        Authorization again = guest.browser().authorize(Map.of());

        assertThat(again.reachedApp()).as("single sign-on").isTrue();
        JsonNode claims = guest.browser().exchange(again).idTokenClaims();
        assertThat(claims.get("sub").asText()).isEqualTo(aliceId());
        assertThat(claims.has("anonymous_sub")).isFalse();
    }
}
