package dev.anonymoususers.benchmark;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.css;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.flushCookieJar;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.headerRegex;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DpopProofs;
import dev.anonymoususers.testing.KeycloakServer;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * Every {@link Operation} in turn, alone on the servers, at each number of clients: each client signs in again and
 * again, first for the warm-up, then for the measurement. Every request comes from its own made-up address
 * (X-Forwarded-For), as from many visitors, so no per-address limit is reached. BenchmarkSummary turns Gatling's
 * statistics into target/bench/summary.json.
 */
public class SignInSimulation extends Simulation {

    static final List<Integer> CLIENTS = Arrays.stream(System.getProperty("bench.clients", "8,32").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 10));
    static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
    /** The operations to measure: all, or those whose keys bench.operations lists (comma-separated). */
    static final List<Operation> OPERATIONS = Operation.selected(System.getProperty("bench.operations", ""));

    static final String GRANT = "urn:anonymous-users:params:oauth:grant-type:device-key";
    static final String REDIRECT_URI = "http://127.0.0.1/callback";
    // One PKCE pair for every authorization request: PKCE is checked as for any client, the pair need not be new.
    static final String CODE_VERIFIER = "bench-code-verifier-0123456789-0123456789-0123456789";
    static final String CODE_CHALLENGE = s256(CODE_VERIFIER);
    static final String PASSWORD = "a-long-password-1";

    final BenchmarkServers servers;

    public SignInSimulation() throws Exception {
        // The clean-up's figures of an earlier run must not reach this run's summary, should its clean-up be skipped.
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(System.getProperty("bench.output", "target/bench"), "clean-up.json"));
        servers = BenchmarkServers.start();
        HttpProtocolBuilder withExtension = protocol(servers.withExtension.baseUrl());
        HttpProtocolBuilder withoutExtension = protocol(servers.withoutExtension.baseUrl());

        List<PopulationBuilder> steps = new ArrayList<>();
        // First every operation once, unmeasured, so that no measurement meets a server that has not yet compiled
        // or cached what that operation needs.
        for (Operation operation : OPERATIONS) {
            steps.add(onlyServerOf(operation, steps.size()));
            steps.add(scenario("server warm-up " + operation.key)
                    .exec(newAddress())
                    .exec(setUp(operation))
                    .exec(during(WARM_UP, false).on(group("server warm-up " + operation.key).on(newAddress().exec(body(operation)))))
                    .injectOpen(atOnceUsers(CLIENTS.get(0)))
                    .protocols(operation.onServerWithoutExtension() ? withoutExtension : withExtension));
        }
        for (int clients : CLIENTS) {
            for (Operation operation : OPERATIONS) {
                steps.add(onlyServerOf(operation, steps.size()));
                steps.add(scenario(operation.group(clients))
                        .exec(newAddress())
                        .exec(setUp(operation))
                        // false: a sign-in under way when the time is up ends, rather than being cut off half done.
                        .exec(during(WARM_UP, false).on(group(operation.warmUpGroup(clients)).on(newAddress().exec(body(operation)))))
                        .exec(during(MEASURE, false).on(group(operation.group(clients)).on(newAddress().exec(body(operation)))))
                        .injectOpen(atOnceUsers(clients))
                        .protocols(operation.onServerWithoutExtension() ? withoutExtension : withExtension));
            }
        }
        // One after another: each step starts when the one before has ended (built from the last, as andThen copies).
        PopulationBuilder run = steps.get(steps.size() - 1);
        for (int i = steps.size() - 2; i >= 0; i--) {
            run = steps.get(i).andThen(run);
        }
        setUp(run);
    }

    /** A step with no request: pauses the server {@code operation} is not measured on, and resumes its own. */
    private PopulationBuilder onlyServerOf(Operation operation, int step) {
        return scenario("step " + step + ": only the server of " + operation.key) // scenario names must be unique
                .exec(session -> {
                    servers.onlyServerOf(operation);
                    return session;
                })
                .injectOpen(atOnceUsers(1))
                .protocols(protocol(servers.withExtension.baseUrl()));
    }

    @Override
    public void after() {
        servers.close();
    }

    static HttpProtocolBuilder protocol(String baseUrl) {
        return http.baseUrl(baseUrl)
                .disableFollowRedirect()
                .disableWarmUp()
                .disableCaching()
                .header("X-Forwarded-For", "#{address}")
                .contentTypeHeader("application/x-www-form-urlencoded");
    }

    static ChainBuilder newAddress() {
        return exec(session -> session.set("address", "10." + random(256) + "." + random(256) + "." + random(254)));
    }

    /** What a client does once before signing in again and again: get what its sign-in needs. */
    private ChainBuilder setUp(Operation operation) {
        return switch (operation) {
            case REFRESH -> exec(passwordGrant("bench", "alice", "alice-password").check(jsonPath("$.refresh_token").saveAs("refresh")));
            case GUEST_REFRESH -> exec(session -> session.set("assertion", DeviceAssertions.signedBy(DeviceAssertions.ecP256()).ownId().build()))
                    .exec(deviceKeyGrant().check(jsonPath("$.refresh_token").saveAs("refresh")));
            // The admin's token, fetched once outside the measured loop (it lives a minute; a phase is 30 seconds).
            case NEW_USER -> exec(http("admin token").post(token("master"))
                    .formParam("grant_type", "password")
                    .formParam("client_id", "admin-cli")
                    .formParam("username", KeycloakServer.ADMIN)
                    .formParam("password", KeycloakServer.ADMIN_PASSWORD)
                    .check(status().is(200), jsonPath("$.access_token").saveAs("adminToken")));
            default -> exec(session -> session);
        };
    }

    /** One sign-in of {@code operation}. */
    private ChainBuilder body(Operation operation) {
        return switch (operation) {
            case SESSION_FLOOR -> exec(passwordGrant("floor", "bob", "bob-password"));
            case NEW_USER -> exec(session -> session.set("name", "u-" + UUID.randomUUID()))
                    .exec(http("admin creates a user").post("/admin/realms/floor/users")
                            .header("Authorization", "Bearer #{adminToken}")
                            .header("Content-Type", "application/json")
                            .body(StringBody("{\"username\": \"#{name}\", \"enabled\": true, \"email\": \"#{name}@example.com\","
                                    + " \"emailVerified\": true, \"firstName\": \"New\", \"lastName\": \"User\", \"credentials\":"
                                    + " [{\"type\": \"password\", \"value\": \"new-user-password\", \"temporary\": false}]}"))
                            .check(status().is(201)))
                    .exec(passwordGrant("floor", "#{name}", "new-user-password"));
            case PASSWORD_GRANT, PASSWORD_GRANT_WITHOUT_EXTENSION -> exec(passwordGrant("bench", "alice", "alice-password"));
            case CLIENT_CREDENTIALS -> exec(http("client credentials").post(token("bench"))
                    .formParam("grant_type", "client_credentials")
                    .formParam("client_id", "service-app")
                    .formParam("client_secret", "service-secret")
                    .check(status().is(200)));
            case REFRESH -> exec(refresh("direct-app"));
            case GUEST_REFRESH -> exec(refresh("web-app"));
            case BROWSER_PASSWORD_LOGIN -> exec(flushCookieJar())
                    .exec(authorize("login page").check(status().is(200), css("#kc-form-login", "action").saveAs("action")))
                    .exec(http("password form").post("#{action}")
                            .formParam("username", "alice")
                            .formParam("password", "alice-password")
                            .formParam("credentialId", "")
                            .check(status().is(302), headerRegex("Location", "[?&]code=([^&]+)").saveAs("code")))
                    .exec(codeExchange());
            case DEVICE_SIGN_IN -> exec(session -> session.set("assertion",
                            DeviceAssertions.signedBy(returningDevice()).ownId().build()))
                    .exec(deviceKeyGrant());
            case DEVICE_SIGN_IN_BOUND -> exec(session -> {
                        java.security.KeyPair device = returningDevice();
                        return session.set("assertion", DeviceAssertions.signedBy(device).ownId().build())
                                .set("proof", DpopProofs.proof(device, "POST",
                                        servers.withExtension.baseUrl() + "/realms/bench/protocol/openid-connect/token", null));
                    })
                    .exec(deviceKeyGrant().header("DPoP", "#{proof}"));
            case DEVICE_SIGN_IN_WITH_CHALLENGE -> exec(http("challenge").post("/realms/bench/anonymous/challenge")
                            .check(status().is(200), jsonPath("$.challenge").saveAs("challenge")))
                    .exec(session -> session.set("assertion",
                            DeviceAssertions.signedBy(returningDevice()).challenge(session.getString("challenge")).build()))
                    .exec(deviceKeyGrant());
            case DEVICE_SIGN_UP -> exec(session -> session.set("assertion",
                            DeviceAssertions.signedBy(DeviceAssertions.ecP256()).ownId().build()))
                    .exec(deviceKeyGrant());
            case WEB_GUEST -> exec(flushCookieJar())
                    .exec(authorize("guest authorization").queryParam("login_hint", "anonymous")
                            .check(status().is(302), headerRegex("Location", "[?&]code=([^&]+)").saveAs("code")))
                    .exec(codeExchange());
            case PROMOTION -> exec(flushCookieJar())
                    .exec(authorize("guest authorization").queryParam("login_hint", "anonymous").check(status().is(302)))
                    .exec(authorize("promotion request").queryParam("kc_action", "promote-anonymous")
                            .check(status().is(302), header("Location").saveAs("page")))
                    .exec(http("sign-up page").get("#{page}")
                            .check(status().is(200), css("#kc-promote-anonymous-form", "action").saveAs("action")))
                    .exec(session -> session.set("name", "p-" + UUID.randomUUID()))
                    .exec(http("sign-up form").post("#{action}")
                            .formParam("username", "#{name}")
                            .formParam("email", "#{name}@example.com")
                            .formParam("firstName", "Grace")
                            .formParam("lastName", "Hopper")
                            .formParam("password", PASSWORD)
                            .formParam("password-confirm", PASSWORD)
                            .check(status().is(302),
                                    headerRegex("Location", "kc_action_status=success").exists(),
                                    headerRegex("Location", "[?&]code=([^&]+)").saveAs("code")))
                    .exec(codeExchange());
        };
    }

    static ChainBuilder passwordGrantChain(String realm, String username, String password) {
        return exec(passwordGrant(realm, username, password));
    }

    private java.security.KeyPair returningDevice() {
        return servers.returningDevices.get(random(servers.returningDevices.size()));
    }

    static io.gatling.javaapi.http.HttpRequestActionBuilder passwordGrant(String realm, String username, String password) {
        return http("password grant").post(token(realm))
                .formParam("grant_type", "password")
                .formParam("client_id", "direct-app")
                .formParam("username", username)
                .formParam("password", password)
                .formParam("scope", "openid")
                .check(status().is(200));
    }

    static io.gatling.javaapi.http.HttpRequestActionBuilder refresh(String clientId) {
        return http("refresh").post(token("bench"))
                .formParam("grant_type", "refresh_token")
                .formParam("client_id", clientId)
                .formParam("refresh_token", "#{refresh}")
                .check(status().is(200), jsonPath("$.refresh_token").saveAs("refresh"));
    }

    static io.gatling.javaapi.http.HttpRequestActionBuilder deviceKeyGrant() {
        return http("device-key grant").post(token("bench"))
                .formParam("grant_type", GRANT)
                .formParam("assertion", "#{assertion}")
                .formParam("client_id", "web-app")
                .check(status().is(200));
    }

    static io.gatling.javaapi.http.HttpRequestActionBuilder authorize(String name) {
        return http(name).get("/realms/bench/protocol/openid-connect/auth")
                .queryParam("client_id", "web-app")
                .queryParam("response_type", "code")
                .queryParam("scope", "openid")
                .queryParam("redirect_uri", REDIRECT_URI)
                .queryParam("state", "bench")
                .queryParam("code_challenge", CODE_CHALLENGE)
                .queryParam("code_challenge_method", "S256");
    }

    static io.gatling.javaapi.http.HttpRequestActionBuilder codeExchange() {
        return http("code exchange").post(token("bench"))
                .formParam("grant_type", "authorization_code")
                .formParam("client_id", "web-app")
                .formParam("code", "#{code}")
                .formParam("redirect_uri", REDIRECT_URI)
                .formParam("code_verifier", CODE_VERIFIER)
                .check(status().is(200));
    }

    private static String token(String realm) {
        return "/realms/" + realm + "/protocol/openid-connect/token";
    }

    static int random(int bound) {
        return ThreadLocalRandom.current().nextInt(bound);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
