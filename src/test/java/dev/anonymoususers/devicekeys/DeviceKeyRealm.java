package dev.anonymoususers.devicekeys;

import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** What the device-key tests share: a realm with anonymous users on, and a native app of that realm. */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeviceKeyRealm {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";

    KeycloakServer server;
    AdminApi admin;
    String realm;
    DeviceKeyClient app;

    @BeforeAll
    void importRealm(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        realm = admin.importGuestsRealm(REDIRECT_URI, true);
    }

    /** Each test is a device at an address of its own, so the per-address limits count each test apart. */
    @BeforeEach
    void newDevice() {
        app = new DeviceKeyClient(server, realm, "web-app").from(Addresses.next());
    }
}
