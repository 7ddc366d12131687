package dev.anonymoususers.wiring;

import java.util.Set;

import dev.anonymoususers.AnonymousUsers;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * Makes the guest mark ({@value AnonymousUsers#ATTRIBUTE}) part of the realm's user profile: admins see it,
 * read-only, on every user in the admin console and the admin REST API, whatever the realm's policy for unmanaged
 * attributes; users themselves can neither see nor change it (account console, account REST API). Only the
 * extension sets and removes it, through the user model.
 */
final class GuestMarkInUserProfile {

    static final String DISPLAY_NAME = "Guest (anonymous user)";

    private GuestMarkInUserProfile() {
    }

    /** Takes the attribute out of the realm's user profile (the users keep their values). Answers whether it was there. */
    static boolean remove(KeycloakSession session, RealmModel realm) {
        RealmModel before = session.getContext().getRealm();
        session.getContext().setRealm(realm);
        try {
            UserProfileProvider profiles = session.getProvider(UserProfileProvider.class);
            UPConfig config = profiles.getConfiguration();
            if (!config.removeAttribute(AnonymousUsers.ATTRIBUTE)) {
                return false;
            }
            profiles.setConfiguration(config);
            return true;
        } finally {
            session.getContext().setRealm(before);
        }
    }

    /** Adds the attribute to the realm's user profile, unless an admin already declared it. */
    static void install(KeycloakSession session, RealmModel realm) {
        RealmModel before = session.getContext().getRealm();
        session.getContext().setRealm(realm); // the user profile provider works on the context's realm
        try {
            UserProfileProvider profiles = session.getProvider(UserProfileProvider.class);
            UPConfig config = profiles.getConfiguration();
            if (config.getAttribute(AnonymousUsers.ATTRIBUTE) != null) {
                return;
            }
            UPAttribute mark = new UPAttribute(AnonymousUsers.ATTRIBUTE, new UPAttributePermissions(Set.of("admin"), Set.of()));
            mark.setDisplayName(DISPLAY_NAME);
            profiles.setConfiguration(config.addOrReplaceAttribute(mark));
        } finally {
            session.getContext().setRealm(before);
        }
    }
}
