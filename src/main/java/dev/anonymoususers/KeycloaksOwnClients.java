package dev.anonymoususers;

import java.util.Set;

import org.keycloak.Config;
import org.keycloak.models.RealmModel;

/**
 * The applications Keycloak ships in every realm — the account console, the admin console, {@code admin-cli} and the
 * clients behind them — which never make a guest and never let one in, whatever the settings say.
 *
 * <p>A guest is an account without a credential; the account console would let it add one (a password, an
 * authenticator) without the sign-up page, and the admin clients have no business with guests. The list is the
 * union of Keycloak's {@code Constants.defaultClients} over every supported version, written out here because
 * older versions lack the newer names; the master realm also holds one {@code <realm>-realm} client per realm.
 */
public final class KeycloaksOwnClients {

    static final Set<String> CLIENT_IDS = Set.of("account", "account-console", "admin-cli", "security-admin-console",
            "broker", "realm-management", "admin-permissions", "_system");

    private KeycloaksOwnClients() {
    }

    /** Whether {@code clientId} is one of Keycloak's own applications in {@code realm}. */
    public static boolean contains(RealmModel realm, String clientId) {
        return clientId != null && (CLIENT_IDS.contains(clientId)
                || (isMasterRealm(realm) && clientId.endsWith("-realm")));
    }

    /** Whether {@code clientId} is one of the names Keycloak gives its own applications in every realm. */
    public static boolean isOwnName(String clientId) {
        return CLIENT_IDS.contains(clientId);
    }

    /** The realm of Keycloak's administrators, which has no guests at all. */
    public static boolean isMasterRealm(RealmModel realm) {
        return realm != null && adminRealm().equals(realm.getName());
    }

    /** The admin realm's name, fixed for the server's life: read once (a config lookup showed in sign-up profiles). */
    private static volatile String adminRealm;

    private static String adminRealm() {
        String name = adminRealm;
        if (name == null) {
            name = Config.getAdminRealm();
            adminRealm = name;
        }
        return name;
    }

    /** What an app is told when one of Keycloak's own applications asks for a guest, on every path. */
    public static String refusal(String clientId) {
        return "The client " + clientId + " is one of Keycloak's own applications, which never sign guests in";
    }
}
