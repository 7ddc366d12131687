package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.AtOnce;
import dev.anonymoususers.testing.OidcClient.Authorization;
import org.junit.jupiter.api.Test;

/** Double submits, two tabs, two guests after one email, and an admin acting while the page is open. */
class PromotionRacesIT extends PromotionRealm {

    /** Runs both at the same moment and returns both answers. */
    JsonNode passwords(String userId) {
        var passwords = AdminApi.JSON.createArrayNode();
        admin.get("/admin/realms/" + realm + "/users/" + userId + "/credentials").forEach(credential -> {
            if ("password".equals(credential.path("type").asText())) {
                passwords.add(credential);
            }
        });
        return passwords;
    }

    @Test
    void pageSubmittedTwiceAtOncePromotesOnceAndBothEndInSuccess() {
        for (int attempt = 1; ; attempt++) {
            Guest guest = guest();
            Authorization page = startPromotion(guest.browser());
            Map<String, String> form = signUp(unique("double"));

            AtOnce.Both<Authorization> both = AtOnce.run(() -> guest.browser().submit(page, FORM, form),
                    () -> guest.browser().submit(page, FORM, form));

            assertThat(passwords(guest.sub())).hasSize(1);
            assertThat(admin.isGuest(realm, guest.sub())).isFalse();
            assertThat(eventCount("CUSTOM_REQUIRED_ACTION_ERROR", guest.sub())).isZero();
            for (Authorization answer : both.answers()) {
                assertThat(answer.reachedApp()).as(String.valueOf(answer.page())).isTrue();
                assertThat(answer.parameter("kc_action_status")).isEqualTo("success");
            }
            if (both.overlapped()) {
                System.out.printf("The two submits were in flight together (attempt %d)%n", attempt);
                return;
            }
            assertThat(attempt).as("the two submits never overlapped").isLessThan(AtOnce.MAX_ATTEMPTS);
        }
    }

    @Test
    void secondTabSubmittedAfterTheFirstEndsInSuccessWithoutPromotingAgain() {
        Guest guest = guest();
        Authorization firstTab = startPromotion(guest.browser());
        Authorization secondTab = startPromotion(guest.browser());
        String name = unique("first-tab");
        guest.browser().submit(firstTab, FORM, signUp(name));

        Authorization second = guest.browser().submit(secondTab, FORM, signUp(unique("second-tab")));

        assertThat(second.parameter("kc_action_status")).isEqualTo("success");
        assertThat(admin.user(realm, guest.sub()).get("email").asText()).isEqualTo(name + "@example.com");
        assertThat(passwords(guest.sub())).hasSize(1);
    }

    @Test
    void twoGuestsWithTheSameEmailAtOnceOnlyOneWins() {
        for (int attempt = 1; ; attempt++) {
            if (twoGuestsRaceForOneEmail()) {
                System.out.printf("The two submits were in flight together (attempt %d)%n", attempt);
                return;
            }
            assertThat(attempt).as("the two submits never overlapped").isLessThan(AtOnce.MAX_ATTEMPTS);
        }
    }

    /** One attempt: its outcome must hold whether or not the two overlapped; answers whether they did. */
    private boolean twoGuestsRaceForOneEmail() {
        Guest first = guest();
        Guest second = guest();
        Authorization firstPage = startPromotion(first.browser());
        Authorization secondPage = startPromotion(second.browser());
        String email = unique("contested") + "@example.com";
        Map<String, String> firstForm = signUp(unique("first"));
        firstForm.put("email", email);
        Map<String, String> secondForm = signUp(unique("second"));
        secondForm.put("email", email);

        AtOnce.Both<Authorization> both = AtOnce.run(() -> first.browser().submit(firstPage, FORM, firstForm),
                () -> second.browser().submit(secondPage, FORM, secondForm));
        List<Authorization> answers = both.answers();

        List<Authorization> won = answers.stream().filter(Authorization::reachedApp).toList();
        List<Authorization> lost = answers.stream().filter(answer -> !answer.reachedApp()).toList();
        assertThat(won).hasSize(1);
        assertThat(won.get(0).parameter("kc_action_status")).isEqualTo("success");
        assertThat(lost).hasSize(1);
        assertThat(fieldError(lost.get(0).page(), "email")).isEqualTo("Email already exists.");
        assertThat(admin.get("/admin/realms/" + realm + "/users?email=" + email + "&exact=true")).hasSize(1);
        assertThat(admin.isGuest(realm, first.sub()) ^ admin.isGuest(realm, second.sub())).as("exactly one is still a guest").isTrue();
        return both.overlapped();
    }

    @Test
    void guestDisabledWhileThePageIsOpenGetsAClearErrorAndNothingChanges() {
        Guest guest = guest();
        Authorization page = startPromotion(guest.browser());
        admin.send("PUT", "/admin/realms/" + realm + "/users/" + guest.sub(),
                AdminApi.JSON.createObjectNode().put("enabled", false));

        Authorization answer = guest.browser().submit(page, FORM, signUp(unique("disabled")));

        assertThat(answer.reachedApp()).isFalse();
        assertThat(unescape(answer.page())).contains("Account is disabled");
        assertThat(admin.isGuest(realm, guest.sub())).isTrue();
        assertThat(admin.user(realm, guest.sub()).has("email")).isFalse();
    }

    @Test
    void guestDeletedWhileThePageIsOpenGetsAClearErrorAndNothingIsCreated() {
        Guest guest = guest();
        Authorization page = startPromotion(guest.browser());
        admin.send("DELETE", "/admin/realms/" + realm + "/users/" + guest.sub(), null);
        int users = admin.countUsers(realm);
        Map<String, String> form = signUp(unique("deleted"));

        Authorization answer = guest.browser().submit(page, FORM, form);

        assertThat(answer.reachedApp()).as("no success for a deleted guest").isFalse();
        assertThat(answer.status()).isGreaterThanOrEqualTo(400);
        assertThat(admin.countUsers(realm)).isEqualTo(users);
        assertThat(admin.get("/admin/realms/" + realm + "/users?email=" + form.get("email") + "&exact=true")).isEmpty();
    }

    @Test
    void existingGuestsStillPromoteAfterAnonymousUsersAreSwitchedOff() {
        Guest guest = guest();
        admin.setAnonymousUsersEnabled(realm, false);
        try {
            Authorization done = guest.browser().submit(startPromotion(guest.browser()), FORM, signUp(unique("after-off")));

            assertThat(done.parameter("kc_action_status")).isEqualTo("success");
            assertThat(admin.isGuest(realm, guest.sub())).isFalse();
        } finally {
            admin.setAnonymousUsersEnabled(realm, true);
        }
    }
}
