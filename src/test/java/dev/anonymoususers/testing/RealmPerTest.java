package dev.anonymoususers.testing;

import org.junit.jupiter.api.BeforeEach;

/**
 * For tests that change their realm (limits, groups, clients, the clock): the run's server, its admin API, and a
 * realm of {@code realms/guests.json} with anonymous users on, imported anew for each test. A subclass's own
 * {@code @BeforeEach} runs after this one, with the realm in place.
 */
@WithKeycloak
public abstract class RealmPerTest {

    /** The apps' redirect URI; nothing listens there, the tests read the redirect itself. */
    public static final String REDIRECT_URI = RealmWithGuests.REDIRECT_URI;

    protected KeycloakServer server;
    protected AdminApi admin;
    protected String realm;

    @BeforeEach
    protected void importRealmWithGuests(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        realm = admin.importGuestsRealm(REDIRECT_URI, true);
    }
}
