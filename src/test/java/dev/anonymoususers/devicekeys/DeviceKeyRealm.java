package dev.anonymoususers.devicekeys;

import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.RealmWithGuests;
import org.junit.jupiter.api.BeforeEach;

/** What the device-key tests share: a realm with anonymous users on, and a native app of that realm. */
abstract class DeviceKeyRealm extends RealmWithGuests {

    DeviceKeyClient app;

    /** Each test is a device at an address of its own, so the per-address limits count each test apart. */
    @BeforeEach
    void newDevice() {
        app = new DeviceKeyClient(server, realm, "web-app").from(Addresses.next());
    }
}
