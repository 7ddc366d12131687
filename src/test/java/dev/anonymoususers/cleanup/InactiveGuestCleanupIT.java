package dev.anonymoususers.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.AtOnce;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.Smoke;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * removeInactiveGuestsAfterDays: guests with no session and no sign-in for that many days are deleted, in batches,
 * with their device keys revoked for good; a guest that signs in again starts its clock over; promoted users and
 * regular users are never touched. The test server's clock is moved to let days pass; its clean-up batch is 3.
 */
@WithKeycloak
class InactiveGuestCleanupIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";
    static final Duration DAY = Duration.ofDays(1);

    KeycloakServer server;
    AdminApi admin;
    String realm;
    DeviceKeyClient app;
    Duration clock = Duration.ZERO;

    @BeforeEach
    void realmThatRemovesGuestsAfterThirtyDays(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        realm = admin.importGuestsRealm(REDIRECT_URI, true);
        settings("{\"removeInactiveGuestsAfterDays\": 30, \"guestsPerAddressPerHour\": 0}");
        app = new DeviceKeyClient(server, realm, "web-app").from(Addresses.next());
    }

    @AfterEach
    void clockBackToNow() {
        server.moveClock(Duration.ZERO);
    }

    void settings(String json) {
        assertThat(admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", json, admin.adminToken()).statusCode())
                .isEqualTo(200);
    }

    void daysPass(Duration days) {
        clock = clock.plus(days);
        server.moveClock(clock);
    }

    /** A device assertion signed now, by the server's clock. */
    String assertion(KeyPair key) {
        return DeviceAssertions.signedBy(key).challenge(app.challenge())
                .claim("iat", System.currentTimeMillis() / 1000 + clock.toSeconds()).build();
    }

    String deviceGuest(KeyPair key) {
        return app.signIn(assertion(key)).sub();
    }

    HttpResponse<String> cleanUp() {
        return cleanUp("");
    }

    HttpResponse<String> cleanUp(String query) {
        return admin.sendRaw("POST", "/admin/realms/" + realm + "/anonymous-users/clean-up" + query, null, freshAdminToken());
    }

    String freshAdminToken() {
        admin.get("/admin/realms/" + realm); // renews the admin's token if the clock moved past it
        return admin.adminToken();
    }

    boolean exists(String userId) {
        return admin.send("GET", "/admin/realms/" + realm + "/users/" + userId, null).statusCode() == 200;
    }

    @Smoke
    @Test
    void exactlyTheInactiveGuestsAreRemovedInBatchesAndNothingElse() {
        List<String> inactive = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            inactive.add(deviceGuest(DeviceAssertions.ecP256()));
        }
        KeyPair returningKey = DeviceAssertions.ecP256();
        String returning = deviceGuest(returningKey);
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        String promoted = browser.exchange(browser.authorizeAsGuest()).idTokenClaims().get("sub").asText();
        promote(browser);
        String alice = admin.get("/admin/realms/" + realm + "/users?username=alice&exact=true").get(0).get("id").asText();

        daysPass(DAY.multipliedBy(20));
        assertThat(app.signIn(assertion(returningKey)).sub()).isEqualTo(returning);
        daysPass(DAY.multipliedBy(11));
        HttpResponse<String> answer = cleanUp();

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode done = AdminApi.read(answer.body());
        assertThat(done.get("removed").asInt()).isEqualTo(7);
        assertThat(done.get("batches").asInt()).isEqualTo(3);
        assertThat(inactive).noneMatch(this::exists);
        assertThat(List.of(returning, promoted, alice)).allMatch(this::exists);
        JsonNode stats = admin.get("/admin/realms/" + realm + "/anonymous-users/stats");
        assertThat(stats.get("guestsNow").asInt()).isEqualTo(1);
        assertThat(stats.get("removedByCleanUp").asInt()).isEqualTo(7);
        assertThat(stats.get("promoted").asInt()).isEqualTo(1);
        assertThat(server.counter(realm, "anonymous_users_clean_up_removed_total")).isEqualTo(7);
        assertThat(server.counter(realm, "anonymous_users_promotions_total")).isEqualTo(1);
    }

    @Test
    void aGuestWithASessionIsKeptWhateverItsLastSignIn() {
        String sessionEnded = deviceGuest(DeviceAssertions.ecP256());
        DeviceKeyClient.Answer offline = app.token(Map.of("grant_type", DeviceKeyClient.GRANT_TYPE,
                "assertion", assertion(DeviceAssertions.ecP256()), "scope", "openid offline_access"));
        daysPass(DAY.multipliedBy(25));
        assertThat(app.token(Map.of("grant_type", "refresh_token", "refresh_token", offline.body().get("refresh_token").asText())).ok())
                .isTrue();
        daysPass(DAY.multipliedBy(6));

        JsonNode done = AdminApi.read(cleanUp().body());

        assertThat(done.get("removed").asInt()).isEqualTo(1); // the first guest's session ended after hours
        assertThat(exists(sessionEnded)).isFalse();
        assertThat(exists(offline.sub())).isTrue();
    }

    @Test
    void aRemovedGuestsDeviceKeyIsRevokedForGoodAndMakesNoNewGuest() {
        KeyPair key = DeviceAssertions.ecP256();
        String removed = deviceGuest(key);
        daysPass(DAY.multipliedBy(31));
        cleanUp();
        int users = admin.countUsers(realm);

        DeviceKeyClient.Answer again = app.signIn(assertion(key));

        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorDescription()).contains("revoked (guest deleted)");
        assertThat(exists(removed)).isFalse();
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void eachRemovalIsAnEventWithItsReason() {
        String removed = deviceGuest(DeviceAssertions.ecP256());
        daysPass(DAY.multipliedBy(31));

        cleanUp();

        JsonNode event = admin.get("/admin/realms/" + realm + "/events?type=DELETE_ACCOUNT&user=" + removed).get(0);
        assertThat(event.path("details").path("reason").asText()).isEqualTo("inactive guest removed by clean-up");
        assertThat(event.path("details").path("anonymous").asText()).isEqualTo("true");
        assertThat(event.path("details").path("inactive_days").asText()).isEqualTo("30");
    }

    @Test
    void noGuestIsRemovedBeforeItsTime() {
        String young = deviceGuest(DeviceAssertions.ecP256());
        daysPass(DAY.multipliedBy(29));

        JsonNode done = AdminApi.read(cleanUp().body());

        assertThat(done.get("removed").asInt()).isZero();
        assertThat(exists(young)).isTrue();
    }

    @Test
    void aGuestSigningInDuringTheCleanUpIsKeptWithItsSessionOrDeletedBeforeNeverHalf() throws Exception {
        for (int attempt = 1; ; attempt++) {
            int duringTheCleanUp = signInsRacingTheCleanUp();
            if (duringTheCleanUp > 0) {
                System.out.printf("Attempt %d: %d sign-ins were sent and answered while the clean-up ran%n", attempt, duringTheCleanUp);
                return;
            }
            assertThat(attempt).as("no sign-in ran while the clean-up ran").isLessThan(AtOnce.MAX_ATTEMPTS);
        }
    }

    /**
     * Twelve inactive guests sign in while the clean-up runs (in batches of three): each is wholly kept, with its
     * session, or wholly gone, with its sign-in refused. Answers how many sign-ins were sent after the clean-up's
     * request and answered before it, which the clean-up answers only once it has ended.
     */
    private int signInsRacingTheCleanUp() throws Exception {
        List<KeyPair> keys = new ArrayList<>();
        List<String> guests = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            KeyPair key = DeviceAssertions.ecP256();
            keys.add(key);
            guests.add(deviceGuest(key));
        }
        daysPass(DAY.multipliedBy(31));
        List<String> assertions = keys.stream().map(this::assertion).toList();
        String token = freshAdminToken();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<AtOnce.Timed<HttpResponse<String>>> cleanUp = pool.submit(() -> AtOnce.timed(start, () ->
                    admin.sendRaw("POST", "/admin/realms/" + realm + "/anonymous-users/clean-up", null, token)));
            List<Future<AtOnce.Timed<DeviceKeyClient.Answer>>> signIns = new ArrayList<>();
            for (int i = 0; i < assertions.size(); i++) {
                String assertion = assertions.get(i);
                long stagger = i * 3L; // spread over the clean-up, not all before its first batch
                signIns.add(pool.submit(() -> AtOnce.timed(start, () -> {
                    sleep(stagger);
                    return app.signIn(assertion);
                })));
            }
            start.countDown();
            AtOnce.Timed<HttpResponse<String>> cleaned = cleanUp.get();
            assertThat(cleaned.answer().statusCode()).isEqualTo(200);
            int during = 0;
            for (int i = 0; i < guests.size(); i++) {
                AtOnce.Timed<DeviceKeyClient.Answer> signIn = signIns.get(i).get();
                if (signIn.within(cleaned)) {
                    during++;
                }
                if (signIn.answer().ok()) {
                    assertThat(signIn.answer().sub()).isEqualTo(guests.get(i));
                    assertThat(exists(guests.get(i))).as("a guest that signed in is kept").isTrue();
                    assertThat(admin.get("/admin/realms/" + realm + "/users/" + guests.get(i) + "/sessions")).isNotEmpty();
                } else {
                    assertThat(signIn.answer().errorDescription()).contains("revoked (guest deleted)");
                    assertThat(exists(guests.get(i))).as("a guest whose sign-in failed was deleted").isFalse();
                }
            }
            return during;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theCleanUpIsOffWithZeroDaysAndNeedsManageUsers() {
        String viewer = admin.tokenOfUserWithRealmManagementRole(realm, "view-realm");
        assertThat(admin.sendRaw("POST", "/admin/realms/" + realm + "/anonymous-users/clean-up", null, viewer).statusCode())
                .isEqualTo(403);

        settings("{\"removeInactiveGuestsAfterDays\": 0}");
        HttpResponse<String> off = cleanUp();

        assertThat(off.statusCode()).isEqualTo(400);
        assertThat(AdminApi.read(off.body()).get("errorMessage").asText()).contains("removeInactiveGuestsAfterDays is 0");
    }

    @Smoke
    @Test
    void aCleanUpLongerThanTheWaitAnswers202AndGoesOnInTheBackgroundAloneInTheCluster() throws InterruptedException {
        List<String> inactive = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            inactive.add(deviceGuest(DeviceAssertions.ecP256()));
        }
        daysPass(DAY.multipliedBy(31));

        HttpResponse<String> started = cleanUp("?waitSeconds=0");
        HttpResponse<String> again = cleanUp("");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode running = AdminApi.read(started.body());
        assertThat(running.get("running").asBoolean()).isTrue();
        assertThat(running.get("removed").asInt()).isBetween(0, 45);
        assertThat(again.statusCode()).as("a second clean-up while the first runs").isEqualTo(409);
        assertThat(AdminApi.read(again.body()).get("errorMessage").asText()).contains("running already");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (admin.get("/admin/realms/" + realm + "/anonymous-users/stats").get("removedByCleanUp").asInt() < 45
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(inactive).noneMatch(this::exists);
        HttpResponse<String> after = cleanUp("?waitSeconds=60");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(AdminApi.read(after.body()).get("removed").asInt()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"?waitSeconds=", "?waitSeconds=61", "?waitSeconds=-1", "?waitSeconds=1.5", "?waitSeconds=%205",
            "?waitSeconds=ten", "?waitSeconds=1&waitSeconds=2", "?waitSeconds=0000000005"})
    void aBadWaitIsRefusedAndRemovesNothing(String query) {
        String guest = deviceGuest(DeviceAssertions.ecP256());
        daysPass(DAY.multipliedBy(31));

        HttpResponse<String> refused = cleanUp(query);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode error = AdminApi.read(refused.body());
        assertThat(error.get("field").asText()).isEqualTo("waitSeconds");
        assertThat(error.get("errorMessage").asText()).isEqualTo("waitSeconds must be one whole number of seconds from 0 to 60");
        assertThat(exists(guest)).isTrue();
        assertThat(admin.get("/admin/realms/" + realm + "/anonymous-users/stats").get("removedByCleanUp").asInt()).isZero();
    }

    void promote(OidcClient browser) {
        OidcClient.Authorization page = browser.authorize(Map.of("kc_action", "promote-anonymous"));
        String name = "promoted-" + System.nanoTime();
        OidcClient.Authorization done = browser.submit(page, "kc-promote-anonymous-form", Map.of("username", name,
                "email", name + "@example.com", "firstName", "Grace", "lastName", "Hopper",
                "password", "a-long-password-1", "password-confirm", "a-long-password-1"));
        assertThat(done.reachedApp()).as(done.page()).isTrue();
    }
}
