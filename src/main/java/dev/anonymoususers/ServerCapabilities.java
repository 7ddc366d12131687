package dev.anonymoususers;

import org.jboss.logging.Logger;
import org.keycloak.common.Profile;
import org.keycloak.common.Version;

/**
 * Says at startup, in one line of the server log, what this server offers of the extension and what it lacks, so an
 * administrator of any supported Keycloak release (26.4 and later) knows without reading a stack trace.
 */
public final class ServerCapabilities {

    private static final Logger LOG = Logger.getLogger(ServerCapabilities.class);

    private ServerCapabilities() {
    }

    /** The startup line; public so the tests can find it in the server's log. */
    public static String summary() {
        boolean adminTab = Profile.isFeatureEnabled(Profile.Feature.DECLARATIVE_UI);
        return "Anonymous users on Keycloak " + Version.VERSION + ": guests, device keys and promotion are available; "
                + (adminTab
                        ? "the admin console tab Authentication > Anonymous users is on"
                        : "the admin console tab is off (it needs --features=declarative-ui); switch anonymous users "
                                + "on with PUT /admin/realms/{realm}/anonymous-users or in the realm JSON");
    }

    static void logAtStartup() {
        if (Profile.isFeatureEnabled(Profile.Feature.DECLARATIVE_UI)) {
            LOG.info(summary());
        } else {
            LOG.warn(summary());
        }
    }
}
