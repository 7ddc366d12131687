package dev.anonymoususers;

import dev.anonymoususers.storage.GuestRegistry;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Creates guest accounts: real, enabled users with no email, name or credential, marked anonymous.
 * Shared by every path that creates guests, so each creates them the same way and reports the same event.
 */
public final class GuestAccounts {

    /** Value of the {@code register_method} event detail for guests. */
    public static final String REGISTER_METHOD = "anonymous";

    /** Event detail that says a registered user is a guest. */
    public static final String ANONYMOUS_DETAIL = "anonymous";

    private static final String USERNAME_PREFIX = "guest-";

    private GuestAccounts() {
    }

    /**
     * Creates a guest within the realm's limits and reports it as a {@code REGISTER} event, so event listeners and
     * workflows see it.
     *
     * @param event the event builder of the request; it is cloned, not changed, and its details go along
     * @throws GuestLimitReached when a limit of the realm's settings leaves no room for a new guest; nothing is created
     */
    public static UserModel create(KeycloakSession session, RealmModel realm, EventBuilder event) throws GuestLimitReached {
        GuestLimits.admit(session, realm, AnonymousUsersConfig.of(realm));
        // Default roles as for any new user; no default required actions: a guest is never stopped by a form.
        UserModel guest = session.users().addUser(realm, KeycloakModelUtils.generateId(), newUsername(), true, false);
        guest.setEnabled(true);
        AnonymousUsers.markAnonymous(guest);
        new GuestRegistry(session, realm).registerNew(guest);
        GuestMetrics.guestCreated(realm);
        GuestGroups.of(session, realm).forEach(guest::joinGroup);

        event.clone()
                .event(EventType.REGISTER)
                .user(guest)
                .detail(Details.USERNAME, guest.getUsername())
                .detail(Details.REGISTER_METHOD, REGISTER_METHOD)
                .detail(ANONYMOUS_DETAIL, Boolean.TRUE.toString())
                .success();
        return guest;
    }

    private static String newUsername() {
        return USERNAME_PREFIX + KeycloakModelUtils.generateId();
    }
}
