package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;

class PromoteAnonymousUserActionTest {

    final PromoteAnonymousUserAction action = new PromoteAnonymousUserAction();

    @Test
    void aGuestWhoSignedInDaysAgoIsNeverAskedToSignInAgain() {
        // Keycloak asks again when authTime + maxAuthAge < now; the sum must neither fall behind now nor overflow.
        int thirtyDaysAgo = Time.currentTime() - 30 * 24 * 3600;

        long deadline = (long) thirtyDaysAgo + action.getMaxAuthAge(null);

        assertThat(deadline).isGreaterThanOrEqualTo(Time.currentTime()).isLessThanOrEqualTo(Integer.MAX_VALUE);
        assertThat(thirtyDaysAgo + action.getMaxAuthAge(null)).isGreaterThanOrEqualTo(Time.currentTime());
    }
}
