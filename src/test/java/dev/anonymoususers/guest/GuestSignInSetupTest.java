package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.keycloak.models.AuthenticationExecutionModel;
import org.junit.jupiter.api.Test;

class GuestSignInSetupTest {

    @Test
    void guestStepGoesBetweenTheCookieStepAndTheNextOne() {
        // Keycloak's default browser flow: cookie 10, kerberos 20, identity provider redirector 25, organization 26, forms 30.
        int priority = GuestSignInSetup.priorityAfterCookie(List.of(
                step("auth-cookie", 10), step("auth-spnego", 20), step("identity-provider-redirector", 25)));

        assertThat(priority).isGreaterThan(10).isLessThan(20);
    }

    @Test
    void guestStepGoesAfterACookieStepThatIsLast() {
        assertThat(GuestSignInSetup.priorityAfterCookie(List.of(step("auth-spnego", 5), step("auth-cookie", 10))))
                .isEqualTo(11);
    }

    @Test
    void guestStepGoesFirstInAFlowWithoutCookieStep() {
        assertThat(GuestSignInSetup.priorityAfterCookie(List.of(step("auth-spnego", 20), step("forms", 30))))
                .isLessThan(20);
    }

    @Test
    void guestStepGetsAPriorityInAnEmptyFlow() {
        assertThat(GuestSignInSetup.priorityAfterCookie(List.of())).isEqualTo(10);
    }

    @Test
    void noOtherStepIsRenumberedWhenThereIsNoGap() {
        int priority = GuestSignInSetup.priorityAfterCookie(List.of(step("auth-cookie", 10), step("auth-spnego", 11)));

        assertThat(priority).isEqualTo(11);
    }

    private static AuthenticationExecutionModel step(String authenticator, int priority) {
        AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
        execution.setAuthenticator(authenticator);
        execution.setPriority(priority);
        return execution;
    }
}
