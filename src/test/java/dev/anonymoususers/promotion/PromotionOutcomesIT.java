package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.Test;

/**
 * What the app hears from a promotion request that finds no guest in the browser: never a new guest, and a status
 * (a regular user's request: {@code PromotionIT}).
 */
class PromotionOutcomesIT extends PromotionRealm {

    @Smoke
    @Test
    void aPromotionRequestWithoutTheGuestsSessionCreatesNobodyAndTellsTheApp() {
        int users = admin.countUsers(realm);
        OidcClient browserWhoseSessionEnded = browser();

        Authorization answer = startPromotion(browserWhoseSessionEnded);

        assertThat(answer.reachedApp()).as("no login page with Continue as guest: %s", answer.page()).isTrue();
        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).startsWith("No guest is signed in in this browser to promote");
        assertThat(answer.parameter("kc_action")).isEqualTo("promote-anonymous");
        assertThat(answer.parameter("kc_action_status")).isEqualTo("error");
        assertThat(answer.code()).isNull();
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void aPromotionRequestThatAlsoAsksForAGuestMakesNoNewGuestEither() {
        int users = admin.countUsers(realm);

        Authorization answer = browser().authorize(Map.of("kc_action", "promote-anonymous", "login_hint", "anonymous"));

        assertThat(answer.parameter("kc_action_status")).isEqualTo("error");
        assertThat(answer.errorDescription()).startsWith("No guest is signed in in this browser to promote");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }
}
