package dev.anonymoususers.guest;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

class NoFormsForGuestsTest {

    final NoFormsForGuests action = new NoFormsForGuests();
    final RequiredActionContext context = mock(RequiredActionContext.class);
    final AuthenticationSessionModel authSession = mock(AuthenticationSessionModel.class);
    final UserModel user = mock(UserModel.class);

    @BeforeEach
    void signInWithQueuedActions() {
        when(context.getUser()).thenReturn(user);
        when(context.getAuthenticationSession()).thenReturn(authSession);
        when(authSession.getRequiredActions()).thenReturn(Set.of("VERIFY_PROFILE"));
        when(user.getRequiredActionsStream()).thenReturn(Stream.of("UPDATE_PROFILE"));
    }

    @Test
    void guestIsSparedTheFormsOtherActionsQueued() {
        when(user.getFirstAttribute("anonymous")).thenReturn("true");

        action.evaluateTriggers(context);

        verify(authSession).removeRequiredAction("VERIFY_PROFILE");
        verify(user).removeRequiredAction("UPDATE_PROFILE");
    }

    @Test
    void actionTheAppAskedForWithKcActionStays() {
        when(user.getFirstAttribute("anonymous")).thenReturn("true");
        when(authSession.getClientNote(Constants.KC_ACTION)).thenReturn("VERIFY_PROFILE");

        action.evaluateTriggers(context);

        verify(authSession, never()).removeRequiredAction("VERIFY_PROFILE");
        verify(user).removeRequiredAction("UPDATE_PROFILE");
    }

    @Test
    void regularUserKeepsEveryAction() {
        when(user.getFirstAttribute("anonymous")).thenReturn(null);

        action.evaluateTriggers(context);

        verify(authSession, never()).removeRequiredAction(anyString());
        verify(user, never()).removeRequiredAction(anyString());
    }
}
