package dev.anonymoususers.wiring;

import dev.anonymoususers.SettingsStore;
import org.jboss.logging.Logger;
import org.keycloak.common.Version;

/**
 * Says at startup, in one line of the server log, what this server offers of the extension and where an administrator
 * of any supported Keycloak release (26.4 and later) switches it on.
 */
public final class ServerCapabilities {

    private static final Logger LOG = Logger.getLogger(ServerCapabilities.class);

    private ServerCapabilities() {
    }

    /** The startup line; public so the tests can find it in the server's log. */
    public static String summary() {
        return "Anonymous users on Keycloak " + Version.VERSION + ": guests, device keys and promotion are available; "
                + "each realm's settings are in the admin console under Authentication > Required actions > "
                + SettingsStore.ACTION_NAME + " > ⚙ (no feature flag needed), or at /admin/realms/{realm}/anonymous-users";
    }

    static void logAtStartup() {
        LOG.info(summary());
    }
}
