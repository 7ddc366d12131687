package dev.anonymoususers.testing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What most integration tests stand on: the run's server, its admin API, and a realm of {@code realms/guests.json}
 * with anonymous users on, imported once per test class.
 */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RealmWithGuests {

    /** The apps' redirect URI; nothing listens there, the tests read the redirect itself. */
    public static final String REDIRECT_URI = "http://127.0.0.1/callback";

    protected KeycloakServer server;
    protected AdminApi admin;
    protected String realm;

    @BeforeAll
    protected void importRealmWithGuests(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        realm = admin.importGuestsRealm(REDIRECT_URI, true);
    }
}
