package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.OidcClient.Authorization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every bad sign-up gets the realm's own message under its field, keeps what was typed (never the passwords), emits
 * an error event with the reason, and leaves the guest exactly as it was.
 */
class PromotionBadInputIT extends PromotionRealm {

    @BeforeAll
    void passwordPolicy() {
        admin.send("PUT", "/admin/realms/" + realm, AdminApi.JSON.createObjectNode().put("passwordPolicy", "length(12)"));
    }

    /** Submits {@code form} as a fresh guest and checks the refusal; returns the page. */
    String refused(Map<String, String> form, String field, String message, String eventError) {
        Guest guest = guest();
        int users = admin.countUsers(realm);

        Authorization page = guest.browser().submit(startPromotion(guest.browser()), FORM, form);

        assertThat(page.reachedApp()).as("the page again, not the app").isFalse();
        assertThat(page.page()).contains("id=\"" + FORM + "\"");
        assertThat(fieldError(page.page(), field)).as("message under " + field).contains(message);
        if (!form.get("password").isEmpty()) {
            assertThat(page.page()).as("passwords are never sent back").doesNotContain("value=\"" + form.get("password") + "\"");
        }
        assertThat(admin.isGuest(realm, guest.sub())).isTrue();
        assertThat(admin.user(realm, guest.sub()).has("email")).isFalse();
        assertThat(admin.countUsers(realm)).isEqualTo(users);
        var event = eventOf("CUSTOM_REQUIRED_ACTION_ERROR", guest.sub());
        assertThat(event.get("error").asText()).isEqualTo(eventError);
        assertThat(event.path("details").path("custom_required_action").asText()).isEqualTo("promote-anonymous");
        assertThat(event.path("details").path("reason").asText()).contains(field);
        return page.page();
    }

    static Map<String, String> with(String name, String field, String value) {
        Map<String, String> form = signUp(name);
        form.put(field, value);
        return form;
    }

    @Test
    void passwordTooWeakForTheRealmsPolicy() {
        Map<String, String> form = with(unique("weak"), "password", "short-1");
        form.put("password-confirm", "short-1");
        refused(form, "password", "Invalid password: minimum length 12.", "password_rejected");
    }

    @Test
    void passwordConfirmationThatDoesNotMatch() {
        refused(with(unique("mismatch"), "password-confirm", "another-long-password"), "password-confirm",
                "Password confirmation doesn't match.", "password_confirm_error");
    }

    @Test
    void missingPassword() {
        Map<String, String> form = with(unique("nopassword"), "password", "");
        form.put("password-confirm", "");
        refused(form, "password", "Please specify password.", "password_missing");
    }

    @Test
    void invalidEmailKeepsWhatWasTyped() {
        String name = unique("bademail");
        String page = refused(with(name, "email", "not-an-email"), "email", "Invalid email address.", "invalid_registration");

        assertThat(page).contains("value=\"not-an-email\"").contains("value=\"" + name + "\"").contains("value=\"Hopper\"");
    }

    @Test
    void missingRequiredAttribute() {
        refused(with(unique("nofirstname"), "firstName", ""), "firstName", "Please specify this field.", "invalid_registration");
    }

    @Test
    void overLongValue() {
        refused(with(unique("long"), "lastName", "x".repeat(300)), "lastName", "Maximal length is 255.", "invalid_registration");
    }

    @Test
    void htmlOrScriptInAFieldIsRefusedAndNeverRendered() {
        String page = refused(with(unique("script"), "firstName", "<script>alert(1)</script>"), "firstName",
                "invalid character", "invalid_registration");

        assertThat(page).doesNotContain("<script>alert(1)</script>");
    }

    @Test
    void emailOfAnotherAccount() {
        refused(with(unique("taken"), "email", "alice@example.com"), "email", "Email already exists.", "email_in_use");
    }

    @Test
    void usernameOfAnotherAccount() {
        refused(with(unique("taken"), "username", "alice"), "username", "Username already exists.", "username_in_use");
    }

    @Test
    void aCorrectedSubmitAfterARefusedOneSucceeds() {
        Guest guest = guest();
        String name = unique("second-try");
        Authorization refused = guest.browser().submit(startPromotion(guest.browser()), FORM, with(name, "email", "nope"));

        Authorization done = guest.browser().submit(refused, FORM, signUp(name));

        assertThat(done.parameter("kc_action_status")).isEqualTo("success");
        assertThat(guest.browser().exchange(done).idTokenClaims().get("sub").asText()).isEqualTo(guest.sub());
    }
}
