package dev.anonymoususers;

import java.util.stream.Stream;

import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The one definition of "anonymous": how a guest account is marked and recognised.
 *
 * <p>A guest is an ordinary Keycloak user with the attribute {@value #ATTRIBUTE} set to {@code true}. Every other
 * part of the extension asks this class; none reads the attribute itself. Admins find guests in the user list by
 * searching the attribute, and Keycloak's workflows can match it with an attribute condition.
 */
public final class AnonymousUsers {

    /** User attribute that marks a guest. Part of the public contract: workflows and admin searches use it. */
    public static final String ATTRIBUTE = "anonymous";

    /**
     * The application-initiated action ({@code kc_action}) that turns a guest into a regular user. Part of the
     * public contract. Named here because the guest step reads it too: a device promotes its guest in the same trip.
     */
    public static final String PROMOTE_ACTION = "promote-anonymous";

    /**
     * Client note naming the guest that a sign-in replaced: the promotion writes it when the visitor chooses to sign
     * in to an existing account instead, the {@code anonymous_sub} claim reads it, and the login page then offers no
     * guest. Keycloak copies client notes of the sign-in into its client session.
     */
    public static final String REPLACED_GUEST_NOTE = "anonymousUsers.replacedGuest";

    /**
     * Auth note of a browser sign-in that a device assertion started, to promote the device's guest
     * ({@code login_hint=anonymous:<assertion>} with {@code kc_action=promote-anonymous}). Anyone can put such a link in
     * front of a visitor, so that guest becomes the visitor's only by being promoted there: cancelled or failed, the
     * browser keeps no session of it. The guest step writes it; the promotion and the guest's boundaries read it.
     */
    public static final String DEVICE_PROMOTION_NOTE = "anonymousUsers.devicePromotion";

    private AnonymousUsers() {
    }

    /** Whether the app asked, in this sign-in, for the promotion ({@code kc_action=}{@value #PROMOTE_ACTION}). */
    public static boolean isPromotionRequest(AuthenticationSessionModel authSession) {
        return PROMOTE_ACTION.equals(authSession.getClientNote(Constants.KC_ACTION));
    }

    public static boolean isAnonymous(UserModel user) {
        return user != null && Boolean.parseBoolean(user.getFirstAttribute(ATTRIBUTE));
    }

    /** The guests of a realm. */
    public static Stream<UserModel> guestsOf(KeycloakSession session, RealmModel realm) {
        return session.users().searchForUserByUserAttributeStream(realm, ATTRIBUTE, Boolean.TRUE.toString());
    }

    /** Marks a freshly created account as a guest. */
    public static void markAnonymous(UserModel user) {
        user.setSingleAttribute(ATTRIBUTE, Boolean.TRUE.toString());
    }

    /** Removes the guest mark: from now on the account is a regular user. */
    public static void unmarkAnonymous(UserModel user) {
        user.removeAttribute(ATTRIBUTE);
    }
}
