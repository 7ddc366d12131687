package dev.anonymoususers.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;

/**
 * How fast guests sign in, against Keycloak's own sign-ins measured in the same run on the same server:
 * prints milliseconds per sign-in and the ratio to each baseline. Not part of {@code mvn verify}; run it with
 * {@code mvn verify -Pbenchmark}. It asserts only that every sign-in succeeded: timings are for reading.
 */
@WithKeycloak
class SignInBenchmark {

    static final int WARM_UP = Integer.getInteger("benchmark.warmup", 50);
    static final int ROUNDS = Integer.getInteger("benchmark.rounds", 300);
    static final String REDIRECT_URI = "http://127.0.0.1/callback";

    @Test
    void guestSignInsAgainstKeycloaksOwn(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        // Many visitors, not one address: no per-address limit is reached (each request comes from its own address).
        admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"guestsPerAddressPerHour\": 0}", admin.adminToken());
        DeviceKeyClient device = new DeviceKeyClient(server, realm, "web-app");
        admin.send("POST", "/admin/realms/" + realm + "/clients", AdminApi.JSON.createObjectNode()
                .put("clientId", "direct-app").put("publicClient", true).put("directAccessGrantsEnabled", true));
        DeviceKeyClient direct = new DeviceKeyClient(server, realm, "direct-app");
        admin.send("POST", "/admin/realms/" + realm + "/clients", AdminApi.JSON.createObjectNode()
                .put("clientId", "service-app").put("publicClient", false).put("secret", "service-secret")
                .put("serviceAccountsEnabled", true).put("standardFlowEnabled", false));
        DeviceKeyClient service = new DeviceKeyClient(server, realm, "service-app", "service-secret");
        KeyPair returningKey = DeviceAssertions.ecP256();
        device.signIn(DeviceAssertions.signedBy(returningKey).challenge(device.challenge()).build());

        List<Result> results = new ArrayList<>();
        // Keycloak's own baselines.
        Result passwordBrowser = measure("Keycloak: password sign-in, browser flow + code exchange", () -> {
            OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
            return browser.exchange(browser.signInWithPassword("alice", "alice-password")).accessToken() != null;
        });
        Result passwordGrant = measure("Keycloak: password grant (direct access)", () ->
                direct.token(Map.of("grant_type", "password", "username", "alice", "password", "alice-password", "scope", "openid")).ok());
        // No password to hash: Keycloak's cheapest way to issue tokens for an existing account.
        Result clientCredentials = measure("Keycloak: client credentials grant (service account)", () ->
                service.token(Map.of("grant_type", "client_credentials")).ok());
        results.add(passwordBrowser);
        results.add(passwordGrant);
        results.add(clientCredentials);
        // Ours.
        results.add(measure("Guest: login_hint=anonymous + code exchange (creates a user)", () -> {
            OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI).from(Addresses.next());
            return browser.exchange(browser.authorizeAsGuest()).accessToken() != null;
        }));
        results.add(measure("Device key: challenge + grant, returning device", () -> {
            DeviceKeyClient onItsAddress = device.from(Addresses.next());
            return onItsAddress.signIn(DeviceAssertions.signedBy(returningKey).challenge(onItsAddress.challenge()).build()).ok();
        }));
        results.add(measure("Device key: challenge + grant, new device (creates a user)", () -> {
            DeviceKeyClient onItsAddress = device.from(Addresses.next());
            return onItsAddress.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(onItsAddress.challenge()).build()).ok();
        }));

        System.out.printf(Locale.ROOT, "%nSign-in benchmark: %d rounds after %d warm-up, one client thread, loopback%n", ROUNDS, WARM_UP);
        System.out.printf(Locale.ROOT, "%-66s %9s %9s %9s %12s %12s %12s%n", "operation", "mean ms", "p50 ms", "p95 ms",
                "x browser pw", "x pw grant", "x client cr");
        for (Result result : results) {
            System.out.printf(Locale.ROOT, "%-66s %9.2f %9.2f %9.2f %12.2f %12.2f %12.2f%n", result.name(), result.mean(),
                    result.p50(), result.p95(), result.mean() / passwordBrowser.mean(), result.mean() / passwordGrant.mean(),
                    result.mean() / clientCredentials.mean());
        }
        System.out.println("(x = mean time relative to the Keycloak baseline in that column; below 1 is faster)");
        assertThat(results).allSatisfy(result -> assertThat(result.failures()).as(result.name()).isZero());
    }

    private static Result measure(String name, BooleanSupplier signIn) {
        int failures = 0;
        for (int i = 0; i < WARM_UP; i++) {
            failures += signIn.getAsBoolean() ? 0 : 1;
        }
        double[] millis = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            failures += signIn.getAsBoolean() ? 0 : 1;
            millis[i] = (System.nanoTime() - start) / 1_000_000.0;
        }
        return new Result(name, millis, failures);
    }

    record Result(String name, double[] millis, int failures) {
        double mean() {
            return Arrays.stream(millis).average().orElse(0);
        }

        double p50() {
            return percentile(0.50);
        }

        double p95() {
            return percentile(0.95);
        }

        private double percentile(double p) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }
}
