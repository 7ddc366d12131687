package dev.anonymoususers;

import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The groups of the {@code guestGroups} setting: a guest joins them when it is created and leaves them when it is
 * promoted, so apps give guests fewer rights through ordinary group roles.
 */
public final class GuestGroups {

    private static final Logger LOG = Logger.getLogger(GuestGroups.class);

    private GuestGroups() {
    }

    /** The realm's guest groups that exist; a path whose group was deleted since it was saved is skipped, and said. */
    public static Stream<GroupModel> of(KeycloakSession session, RealmModel realm) {
        return AnonymousUsersConfig.of(realm).guestGroups().stream()
                .map(path -> {
                    GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
                    if (group == null) {
                        LOG.warnf("The guest group %s of realm %s no longer exists; guests do not join it", path, realm.getName());
                    }
                    return group;
                })
                .filter(group -> group != null);
    }

    /** A promoted user leaves the guest groups it is in. */
    public static void leave(KeycloakSession session, RealmModel realm, UserModel user) {
        of(session, realm).filter(user::isMemberOf).forEach(user::leaveGroup);
    }
}
