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
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
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
        when(authSession.getProtocol()).thenReturn("openid-connect");
        ClientModel app = mock(ClientModel.class);
        when(app.getClientId()).thenReturn("web-app");
        when(authSession.getClient()).thenReturn(app);
        RealmModel realm = mock(RealmModel.class);
        when(realm.getName()).thenReturn("shop");
        when(authSession.getRealm()).thenReturn(realm);
    }

    @Test
    void guestIsSparedTheFormsOtherActionsQueued() {
        when(user.getFirstAttribute("anonymous")).thenReturn("true");

        action.evaluateTriggers(context);

        verify(authSession).removeRequiredAction("VERIFY_PROFILE");
        verify(user).removeRequiredAction("UPDATE_PROFILE");
        verify(authSession, never()).addRequiredAction(anyString());
    }

    @Test
    void actionTheAppAskedForWithKcActionStays() {
        when(user.getFirstAttribute("anonymous")).thenReturn("true");
        when(authSession.getRequiredActions()).thenReturn(Set.of("VERIFY_PROFILE", "promote-anonymous"));
        when(authSession.getClientNote(Constants.KC_ACTION)).thenReturn("promote-anonymous");

        action.evaluateTriggers(context);

        verify(authSession, never()).removeRequiredAction("promote-anonymous");
        verify(authSession).removeRequiredAction("VERIFY_PROFILE");
        verify(user).removeRequiredAction("UPDATE_PROFILE");
    }

    @Test
    void guestOfASamlSignInIsRefusedTheSignIn() {
        when(user.getFirstAttribute("anonymous")).thenReturn("true");
        when(authSession.getProtocol()).thenReturn("saml");

        action.evaluateTriggers(context);

        verify(authSession).addRequiredAction(NoFormsForGuests.ID);
    }

    @Test
    void regularUserKeepsEveryAction() {
        when(user.getFirstAttribute("anonymous")).thenReturn(null);

        action.evaluateTriggers(context);

        verify(authSession, never()).removeRequiredAction(anyString());
        verify(user, never()).removeRequiredAction(anyString());
    }
}
