package dev.anonymoususers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.RealmPerTest;
import org.junit.jupiter.api.Test;

/** Prometheus counters on Keycloak's metrics endpoint, per realm: guests created, device sign-ins, refusals by reason. */
class GuestMetricsIT extends RealmPerTest {

    double metric(String name, String... tags) {
        return server.counter(realm, name, tags);
    }

    @Test
    void guestsCreatedAndDeviceSignInsAreCountedPerRealm() {
        DeviceKeyClient device = new DeviceKeyClient(server, realm, "web-app").from(Addresses.next());
        var key = DeviceAssertions.ecP256();
        device.signIn(DeviceAssertions.signedBy(key).challenge(device.challenge()).build());
        device.signIn(DeviceAssertions.signedBy(key).challenge(device.challenge()).build());
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        browser.authorizeAsGuest();

        assertThat(metric("anonymous_users_guests_created_total")).isEqualTo(2);
        assertThat(metric("anonymous_users_device_sign_ins_total")).isEqualTo(2);
    }

    @Test
    void refusalsAreCountedByReason() {
        admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"guestsPerAddressPerHour\": 1}", admin.adminToken());
        String address = Addresses.next();
        new OidcClient(server, realm, "web-app", REDIRECT_URI).from(address).authorizeAsGuest();
        new OidcClient(server, realm, "web-app", REDIRECT_URI).from(address).authorizeAsGuest();
        new OidcClient(server, realm, "web-app", REDIRECT_URI).from(address).authorizeAsGuest();

        assertThat(metric("anonymous_users_refusals_total", "reason=\"anonymous_address_limit\"")).isEqualTo(2);
    }
}
