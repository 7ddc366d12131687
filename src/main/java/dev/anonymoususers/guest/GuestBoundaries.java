package dev.anonymoususers.guest;

import java.util.Set;

import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.KeycloaksOwnClients;
import org.keycloak.models.Constants;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Where a guest may go once it is signed in, whichever step signed it in (a guest request, a device assertion, or
 * the browser's session through Keycloak's cookie step):
 *
 * <ul>
 *   <li>only into the realm's own OpenID Connect apps: never SAML, never Keycloak's own applications;</li>
 *   <li>a browser that a device assertion signed in keeps the guest only by promoting it;</li>
 *   <li>only application-initiated actions that give it no credential, email or username: a guest gets those
 *       through promotion alone.</li>
 * </ul>
 */
final class GuestBoundaries {

    /** Event error of a guest refused an app or an action. Part of the public contract. */
    static final String ERROR_ACTION_NOT_ALLOWED = "anonymous_action_not_allowed";

    /**
     * The application-initiated actions a guest may run: the promotion, and Keycloak's actions that add no credential
     * and change no email or username. Every other one, Keycloak's or another extension's, answers
     * {@code kc_action_status=error}.
     */
    static final Set<String> ACTIONS_FOR_GUESTS = Set.of(AnonymousUsers.PROMOTE_ACTION, "delete_account",
            "TERMS_AND_CONDITIONS", "update_user_locale");

    /** Why a guest is refused here. */
    enum Refusal {
        NOT_OPENID_CONNECT("Guests sign in only with OpenID Connect"),
        KEYCLOAKS_OWN_CLIENT(null),
        DEVICE_PROMOTION_NOT_COMPLETED("The promotion started with a device assertion did not complete; "
                + "the browser keeps no session of the guest");

        private final String description;

        Refusal(String description) {
            this.description = description;
        }

        String description(AuthenticationSessionModel authSession) {
            return description != null ? description : KeycloaksOwnClients.refusal(authSession.getClient().getClientId());
        }
    }

    private GuestBoundaries() {
    }

    /**
     * Why this request's app may have no guest at all — SAML, or one of Keycloak's own applications — or null: asked
     * before a guest is made (the guest step) and after any guest signs in (this required action's trigger).
     */
    static Refusal clientRefusal(AuthenticationSessionModel authSession) {
        if (!OIDCLoginProtocol.LOGIN_PROTOCOL.equals(authSession.getProtocol())) {
            return Refusal.NOT_OPENID_CONNECT;
        }
        if (KeycloaksOwnClients.contains(authSession.getRealm(), authSession.getClient().getClientId())) {
            return Refusal.KEYCLOAKS_OWN_CLIENT;
        }
        return null;
    }

    /** Why this guest may not finish this sign-in, or null where it may. */
    static Refusal refusal(AuthenticationSessionModel authSession, UserModel guest) {
        Refusal forClient = clientRefusal(authSession);
        if (forClient != null) {
            return forClient;
        }
        // While the promotion is pending, kc_action is still there; once it has ended, a guest that is still a guest
        // was not promoted (cancelled, refused), and the browser of whoever followed the link must not keep it.
        if (authSession.getAuthNote(AnonymousUsers.DEVICE_PROMOTION_NOTE) != null && AnonymousUsers.isAnonymous(guest)
                && authSession.getClientNote(Constants.KC_ACTION) == null) {
            return Refusal.DEVICE_PROMOTION_NOT_COMPLETED;
        }
        return null;
    }

    static boolean isActionForGuests(String action) {
        return ACTIONS_FOR_GUESTS.contains(action);
    }
}
