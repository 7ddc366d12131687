package dev.anonymoususers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.Smoke;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * guestsPerAddressPerHour and maxGuests: every way a guest is made counts; past a limit the token and challenge
 * endpoints answer 429 with Retry-After, the browser gets an error redirect; existing guests and regular users are
 * never affected. Visitors' addresses come from X-Forwarded-For, as behind a reverse proxy.
 */
@WithKeycloak
class GuestLimitsIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";

    KeycloakServer server;
    AdminApi admin;
    String realm;
    DeviceKeyClient app;

    @BeforeEach
    void realmWithAnonymousUsersOnAndTheDefaultLimits(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        realm = admin.importGuestsRealm(REDIRECT_URI, true);
        // IPv6 visitors at public addresses over plain HTTP: the test server has no TLS, a real proxy would.
        admin.send("PUT", "/admin/realms/" + realm, AdminApi.read("{\"sslRequired\": \"none\"}"));
        app = new DeviceKeyClient(server, realm, "web-app");
    }

    static String newAddress() {
        return Addresses.next();
    }

    void settings(String json) {
        assertThat(admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", json, admin.adminToken()).statusCode())
                .isEqualTo(200);
    }

    static DeviceKeyClient.Answer deviceSignUp(DeviceKeyClient device) {
        return device.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(device.challenge()).build());
    }

    int guests() {
        return admin.get("/admin/realms/" + realm + "/users/count?q=anonymous:true").asInt();
    }

    @Smoke
    @Test
    void fortySignUpsFromOneAddressLeaveExactlyThirtyGuestsAndTheRestAClearError() {
        DeviceKeyClient device = app.from(newAddress());
        List<DeviceKeyClient.Answer> refused = new ArrayList<>();

        for (int i = 0; i < 40; i++) {
            DeviceKeyClient.Answer answer = deviceSignUp(device);
            if (!answer.ok()) {
                refused.add(answer);
            }
        }

        assertThat(guests()).isEqualTo(30);
        assertThat(refused).hasSize(10).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.error()).isEqualTo("temporarily_unavailable");
            assertThat(answer.errorDescription()).contains("limited to 30 per hour (guestsPerAddressPerHour)");
            assertThat(Long.parseLong(answer.retryAfter())).isBetween(1L, 7200L);
        });
    }

    @Test
    void anotherAddressIsUnaffected() {
        settings("{\"guestsPerAddressPerHour\": 2}");
        DeviceKeyClient busy = app.from(newAddress());
        deviceSignUp(busy);
        deviceSignUp(busy);
        assertThat(deviceSignUp(busy).status()).isEqualTo(429);

        assertThat(deviceSignUp(app.from(newAddress())).ok()).isTrue();
    }

    @Test
    void webAndDeviceGuestsCountTogether() {
        settings("{\"guestsPerAddressPerHour\": 2}");
        String address = newAddress();
        assertThat(new OidcClient(server, realm, "web-app", REDIRECT_URI).from(address).authorizeAsGuest().reachedApp()).isTrue();
        assertThat(deviceSignUp(app.from(address)).ok()).isTrue();

        assertThat(deviceSignUp(app.from(address)).status()).isEqualTo(429);
        Authorization web = new OidcClient(server, realm, "web-app", REDIRECT_URI).from(address).authorizeAsGuest();
        assertThat(web.error()).isEqualTo("access_denied");
        assertThat(web.errorDescription()).contains("guestsPerAddressPerHour");
        assertThat(guests()).isEqualTo(2);
    }

    @Test
    void theBrowserPathRedirectsToTheAppWithAnErrorAndRecordsTheReason() {
        settings("{\"guestsPerAddressPerHour\": 1}");
        String address = newAddress();
        new OidcClient(server, realm, "web-app", REDIRECT_URI).from(address).authorizeAsGuest();

        Authorization refused = new OidcClient(server, realm, "web-app", REDIRECT_URI).from(address).authorizeAsGuest();

        assertThat(refused.location().toString()).startsWith(REDIRECT_URI);
        assertThat(refused.error()).isEqualTo("access_denied");
        assertThat(refused.errorDescription())
                .matches("New guests from this address are limited to 1 per hour \\(guestsPerAddressPerHour\\); retry after \\d+ seconds");
        JsonNode events = admin.events(realm, "LOGIN_ERROR");
        assertThat(events).anySatisfy(event -> assertThat(event.path("error").asText()).isEqualTo("anonymous_address_limit"));
    }

    @Test
    void existingGuestsKeepSigningInPastTheLimit() {
        settings("{\"guestsPerAddressPerHour\": 1}");
        DeviceKeyClient device = app.from(newAddress());
        var key = DeviceAssertions.ecP256();
        String sub = device.signIn(DeviceAssertions.signedBy(key).challenge(device.challenge()).build()).sub();
        assertThat(deviceSignUp(device).status()).isEqualTo(429);

        DeviceKeyClient.Answer again = device.signIn(DeviceAssertions.signedBy(key).challenge(device.challenge()).build());

        assertThat(again.ok()).as(again.body().toString()).isTrue();
        assertThat(again.sub()).isEqualTo(sub);
    }

    @Test
    void regularUsersAreNeverAffected() {
        settings("{\"guestsPerAddressPerHour\": 1, \"maxGuests\": 1}");
        String address = newAddress();
        deviceSignUp(app.from(address));
        assertThat(deviceSignUp(app.from(address)).status()).isEqualTo(429);

        Authorization alice = new OidcClient(server, realm, "web-app", REDIRECT_URI).from(address)
                .signInWithPassword("alice", "alice-password");

        assertThat(alice.reachedApp()).isTrue();
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        settings("{\"guestsPerAddressPerHour\": 2}");
        assertThat(deviceSignUp(app.from("2001:db8:1:2::1")).ok()).isTrue();
        assertThat(deviceSignUp(app.from("2001:db8:1:2:aaaa::5")).ok()).isTrue();

        assertThat(deviceSignUp(app.from("2001:db8:1:2:ffff:ffff:ffff:ffff")).status()).isEqualTo(429);
        assertThat(deviceSignUp(app.from("2001:db8:1:3::1")).ok()).isTrue();
    }

    @Test
    void zeroMeansNoLimit() {
        settings("{\"guestsPerAddressPerHour\": 0}");
        DeviceKeyClient device = app.from(newAddress());

        for (int i = 0; i < 35; i++) {
            assertThat(deviceSignUp(device).ok()).isTrue();
        }
        assertThat(guests()).isEqualTo(35);
    }

    @Smoke
    @Test
    void maxGuestsRefusesNewGuestsFromEveryAddressOnEveryPath() {
        settings("{\"maxGuests\": 2}");
        deviceSignUp(app.from(newAddress()));
        deviceSignUp(app.from(newAddress()));

        DeviceKeyClient.Answer device = deviceSignUp(app.from(newAddress()));
        Authorization web = new OidcClient(server, realm, "web-app", REDIRECT_URI).from(newAddress()).authorizeAsGuest();

        assertThat(device.status()).isEqualTo(429);
        assertThat(device.error()).isEqualTo("temporarily_unavailable");
        assertThat(device.errorDescription()).contains("maximum of 2 guests (maxGuests)");
        assertThat(device.retryAfter()).isEqualTo("3600");
        assertThat(web.error()).isEqualTo("access_denied");
        assertThat(web.errorDescription()).contains("maxGuests");
        assertThat(guests()).isEqualTo(2);
    }

    @Test
    void concurrentSignUpsFromManyAddressesDoNotPassMaxGuests() throws Exception {
        settings("{\"maxGuests\": 5}");
        List<DeviceKeyClient> devices = new ArrayList<>();
        List<String> assertions = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            DeviceKeyClient device = app.from(newAddress());
            devices.add(device);
            assertions.add(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(device.challenge()).build());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<DeviceKeyClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                Callable<DeviceKeyClient.Answer> signUp = () -> {
                    start.await();
                    return devices.get(n).signIn(assertions.get(n));
                };
                answers.add(pool.submit(signUp));
            }
            start.countDown();
            int ok = 0;
            for (Future<DeviceKeyClient.Answer> answer : answers) {
                ok += answer.get().ok() ? 1 : 0;
            }
            assertThat(ok).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(guests()).isEqualTo(5);
    }

    @Test
    void roomMadeByADeletionAdmitsANewGuestWithinSeconds() throws InterruptedException {
        settings("{\"maxGuests\": 1}");
        String sub = deviceSignUp(app.from(newAddress())).sub();
        assertThat(deviceSignUp(app.from(newAddress())).status()).isEqualTo(429);

        admin.send("DELETE", "/admin/realms/" + realm + "/users/" + sub, null);

        boolean admitted = false;
        for (int attempt = 0; attempt < 20 && !admitted; attempt++) {
            admitted = deviceSignUp(app.from(newAddress())).ok();
            if (!admitted) {
                Thread.sleep(500); // the deleted guest's place is held a few seconds past its creation
            }
        }
        assertThat(admitted).isTrue();
        assertThat(guests()).isEqualTo(1);
    }

    @Test
    void oneRequestSignInsCountAgainstThePerAddressChallengeLimit() {
        DeviceKeyClient device = app.from(newAddress());
        java.security.KeyPair key = dev.anonymoususers.testing.DeviceAssertions.ecP256();
        for (int i = 0; i < 59; i++) {
            assertThat(device.requestChallenge().statusCode()).isEqualTo(200);
        }
        assertThat(device.signIn(dev.anonymoususers.testing.DeviceAssertions.signedBy(key).ownId().build()).ok()).isTrue();

        DeviceKeyClient.Answer refused = device.signIn(dev.anonymoususers.testing.DeviceAssertions.signedBy(key).ownId().build());

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.error()).isEqualTo("temporarily_unavailable");
        assertThat(refused.errorDescription()).contains("limited to 60 per minute").contains("its own jti counts as one");
        assertThat(device.requestChallenge().statusCode()).isEqualTo(429);
    }

    @Test
    void theChallengeEndpointIsLimitedPerAddress() {
        DeviceKeyClient device = app.from(newAddress());
        for (int i = 0; i < 60; i++) {
            assertThat(device.requestChallenge().statusCode()).isEqualTo(200);
        }

        var refused = device.requestChallenge();

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 120L);
        JsonNode body = AdminApi.read(refused.body());
        assertThat(body.path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(body.path("error_description").asText()).contains("limited to 60 per minute");
        assertThat(app.from(newAddress()).requestChallenge().statusCode()).isEqualTo(200);
    }
}
