package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient.Tokens;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.Test;

/** A web guest becomes a regular user through kc_action=promote-anonymous: same sub, email and password. */
class PromotionIT extends PromotionRealm {

    @Test
    void guestSeesTheSignUpPageWithTheFieldsOfTheRealmsRegistration() {
        Guest guest = guest();

        Authorization page = startPromotion(guest.browser());

        assertThat(page.reachedApp()).as("a page, not a redirect").isFalse();
        assertThat(page.page()).as("the browser tab says what the page is").contains("<title>Create your account</title>");
        assertThat(page.page()).contains("id=\"" + FORM + "\"")
                .contains("name=\"email\"").contains("name=\"username\"").contains("name=\"firstName\"")
                .contains("name=\"lastName\"").contains("name=\"password\"").contains("name=\"password-confirm\"")
                .contains("name=\"cancel-aia\"").contains("Create your account");
    }

    @Smoke
    @Test
    void guestBecomesARegularUserWithTheSameSub() {
        Guest guest = guest();
        String name = unique("grace");

        Authorization done = guest.browser().submit(startPromotion(guest.browser()), FORM, signUp(name));

        assertThat(done.reachedApp()).as(String.valueOf(done.page())).isTrue();
        assertThat(done.parameter("kc_action_status")).isEqualTo("success");
        JsonNode claims = guest.browser().exchange(done).idTokenClaims();
        assertThat(claims.get("sub").asText()).isEqualTo(guest.sub());
        assertThat(claims.get("is_anonymous").asBoolean()).isFalse();
        assertThat(claims.get("email").asText()).isEqualTo(name + "@example.com");
        assertThat(claims.get("preferred_username").asText()).isEqualTo(name);

        assertThat(admin.isGuest(realm, guest.sub())).isFalse();
        assertThat(admin.user(realm, guest.sub()).get("firstName").asText()).isEqualTo("Grace");
    }

    @Smoke
    @Test
    void newPasswordSignsInToTheSameSubInAnotherBrowser() {
        Guest guest = guest();
        String name = unique("ada");
        guest.browser().submit(startPromotion(guest.browser()), FORM, signUp(name));

        OidcClient otherBrowser = browser();
        Authorization signedIn = otherBrowser.signInWithPassword(name + "@example.com", PASSWORD);

        assertThat(signedIn.reachedApp()).as(String.valueOf(signedIn.page())).isTrue();
        assertThat(otherBrowser.exchange(signedIn).idTokenClaims().get("sub").asText()).isEqualTo(guest.sub());
    }

    @Smoke
    @Test
    void theGuestsNextRefreshAlreadySaysItIsNoLongerAnonymous() {
        Guest guest = guest();
        String name = unique("linus");
        guest.browser().submit(startPromotion(guest.browser()), FORM, signUp(name));

        Tokens refreshed = guest.browser().refresh(guest.tokens());

        assertThat(refreshed.idTokenClaims().get("is_anonymous").asBoolean()).isFalse();
        assertThat(refreshed.accessTokenClaims().get("email").asText()).isEqualTo(name + "@example.com");
    }

    @Test
    void successIsACustomRequiredActionEventWithTheMethod() {
        Guest guest = guest();
        String name = unique("event");
        guest.browser().submit(startPromotion(guest.browser()), FORM, signUp(name));

        JsonNode event = eventOf("CUSTOM_REQUIRED_ACTION", guest.sub());

        assertThat(event.path("details").path("custom_required_action").asText()).isEqualTo("promote-anonymous");
        assertThat(event.path("details").path("promote_method").asText()).isEqualTo("password");
        assertThat(event.path("details").path("email").asText()).isEqualTo(name + "@example.com");
    }

    @Test
    void cancelReturnsCancelledAndLeavesTheGuestAsItWas() {
        Guest guest = guest();

        Authorization done = guest.browser().submit(startPromotion(guest.browser()), FORM, Map.of("cancel-aia", "true"));

        assertThat(done.parameter("kc_action_status")).isEqualTo("cancelled");
        assertThat(guest.browser().exchange(done).idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
        assertThat(admin.isGuest(realm, guest.sub())).isTrue();
    }

    @Test
    void regularUserWhoStartsItGetsSuccessNoPageAndNothingChanges() {
        OidcClient browser = browser();
        browser.exchange(browser.signInWithPassword("alice", "alice-password"));
        JsonNode before = admin.get("/admin/realms/" + realm + "/users?username=alice&exact=true").get(0);

        Authorization done = startPromotion(browser);

        assertThat(done.reachedApp()).as(String.valueOf(done.page())).isTrue();
        assertThat(done.parameter("kc_action")).isEqualTo("promote-anonymous");
        assertThat(done.parameter("kc_action_status")).as("what the app asked for holds: a regular user").isEqualTo("success");
        assertThat(browser.exchange(done).idTokenClaims().get("is_anonymous").asBoolean()).isFalse();
        assertThat(admin.get("/admin/realms/" + realm + "/users?username=alice&exact=true").get(0)).isEqualTo(before);
        assertThat(eventOf("CUSTOM_REQUIRED_ACTION", before.get("id").asText()).path("details").path("reason").asText())
                .isEqualTo("already a regular user");
    }
}
