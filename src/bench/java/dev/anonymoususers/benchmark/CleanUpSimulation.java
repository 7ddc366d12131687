package dev.anonymoususers.benchmark;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * The clean-up of {@value #DEFAULT_GUESTS} inactive guests on PostgreSQL, and what it does to sign-ins meanwhile:
 * returning devices and password grants (the session floor) sign in for a while without it, then again for a
 * while with it running; then the clean-up finishes on its own and is timed
 * whole. Writes {@code clean-up.json} (the clean-up's first answer, its time, the guests removed as counted in the
 * database); BenchmarkSummary compares the p99 of both phases.
 */
public class CleanUpSimulation extends Simulation {

    static final int DEFAULT_GUESTS = 100_000;
    static final int GUESTS = Integer.getInteger("bench.cleanup.guests", DEFAULT_GUESTS);
    /** Clients of each kind (device sign-in, password grant), in each phase. */
    static final int CLIENTS = 4;
    static final String DEVICE_WITHOUT = "device_sign_in without clean-up";
    static final String DEVICE_DURING = "device_sign_in during clean-up";
    static final String PASSWORD_WITHOUT = "keycloak_session_floor without clean-up";
    static final String PASSWORD_DURING = "keycloak_session_floor during clean-up";

    final BenchmarkServers servers;
    final AtomicBoolean started = new AtomicBoolean();
    final AtomicBoolean finished = new AtomicBoolean();
    volatile long startedAt;

    public CleanUpSimulation() throws Exception {
        servers = BenchmarkServers.start(false, "_clean_up");
        AdminApi admin = new AdminApi(servers.withExtension);
        admin.sendRaw("PUT", "/admin/realms/" + BenchmarkServers.REALM + "/anonymous-users",
                "{\"removeInactiveGuestsAfterDays\": 30}", admin.adminToken());
        KeyPair template = DeviceAssertions.ecP256();
        String templateId = new DeviceKeyClient(servers.withExtension, BenchmarkServers.REALM, "web-app").from(Addresses.next())
                .signIn(DeviceAssertions.signedBy(template).ownId().build()).sub();
        long copying = System.nanoTime();
        try (Connection db = servers.database()) {
            GuestFootprint footprint = new GuestFootprint(db, templateId);
            BulkGuests.copy(db, templateId, GUESTS, Duration.ofDays(40));
            footprint.afterBulkCopy(db, GUESTS);
            footprint.write(Path.of(System.getProperty("bench.output", "target/bench")));
        }
        System.out.printf("%d inactive guests copied in SQL in %.1f s%n", GUESTS, (System.nanoTime() - copying) / 1e9);

        var protocol = SignInSimulation.protocol(servers.withExtension.baseUrl());
        PopulationBuilder devices = phase(deviceSignIn(), DEVICE_WITHOUT, DEVICE_DURING);
        PopulationBuilder passwords = phase(SignInSimulation.passwordGrantChain("floor", "bob", "bob-password"), PASSWORD_WITHOUT, PASSWORD_DURING);
        setUp(devices, passwords).protocols(protocol);
    }

    private ChainBuilder deviceSignIn() {
        return exec(session -> session.set("assertion", DeviceAssertions.signedBy(servers.returningDevices
                .get(SignInSimulation.random(servers.returningDevices.size()))).ownId().build()))
                .exec(SignInSimulation.deviceKeyGrant());
    }

    /** Warm-up and a measurement without the clean-up, then the same for as long as the clean-up runs. */
    private PopulationBuilder phase(ChainBuilder signIn, String without, String during) {
        PopulationBuilder quiet = scenario(without)
                .exec(SignInSimulation.newAddress())
                .exec(during(SignInSimulation.WARM_UP, false).on(group("warm-up " + without).on(SignInSimulation.newAddress().exec(signIn))))
                .exec(during(SignInSimulation.MEASURE, false).on(group(without).on(SignInSimulation.newAddress().exec(signIn))))
                .injectOpen(atOnceUsers(CLIENTS));
        PopulationBuilder busy = scenario(during)
                .exec(SignInSimulation.newAddress())
                .exec(session -> {
                    startCleanUpOnce();
                    return session;
                })
                // Sign-ins meet the clean-up for as long as a measurement lasts; then it finishes alone and is timed whole.
                .exec(asLongAs(session -> !finished.get() && !measuredLongEnough()).on(group(during)
                        .on(SignInSimulation.newAddress().exec(signIn))))
                .exec(asLongAs(session -> !finished.get()).on(pause(Duration.ofSeconds(1))))
                .injectOpen(atOnceUsers(CLIENTS));
        return quiet.andThen(busy);
    }

    private boolean measuredLongEnough() {
        long start = startedAt;
        return start != 0 && System.nanoTime() - start > SignInSimulation.MEASURE.toNanos();
    }

    /**
     * The clean-up, as an admin runs it: one request that starts it (and answers 202 while it goes on), then the
     * same request once a second, which answers 409 while it runs and 200 once it has ended.
     */
    private void startCleanUpOnce() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        startedAt = System.nanoTime();
        Thread cleanUp = new Thread(() -> {
            try {
                AdminApi admin = new AdminApi(servers.withExtension);
                long start = System.nanoTime();
                HttpResponse<String> first = cleanUpRequest(admin);
                HttpResponse<String> last = first;
                while (last.statusCode() == 202 || last.statusCode() == 409) {
                    Thread.sleep(1000);
                    last = cleanUpRequest(admin);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                ObjectNode result = AdminApi.JSON.createObjectNode();
                result.put("guests", GUESTS).put("status", first.statusCode()).put("seconds", Math.round(seconds * 10) / 10.0);
                result.set("answer", AdminApi.read(first.body()));
                result.put("last_status", last.statusCode());
                try (Connection db = servers.database(); var query = db.createStatement();
                        var left = query.executeQuery("select count(*) from user_entity where username like 'guest-bulk-%'")) {
                    left.next();
                    result.put("removed", GUESTS - left.getInt(1));
                }
                Path output = Path.of(System.getProperty("bench.output", "target/bench"));
                Files.createDirectories(output);
                Files.writeString(output.resolve("clean-up.json"), AdminApi.JSON.writeValueAsString(result));
                System.out.println("Clean-up of " + GUESTS + " inactive guests: " + result);
            } catch (Exception e) {
                System.err.println("The clean-up request failed: " + e);
            } finally {
                finished.set(true);
            }
        }, "clean-up");
        cleanUp.setDaemon(true);
        cleanUp.start();
    }

    private HttpResponse<String> cleanUpRequest(AdminApi admin) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(servers.withExtension.baseUrl() + "/admin/realms/"
                        + BenchmarkServers.REALM + "/anonymous-users/clean-up?waitSeconds=60"))
                .header("Authorization", "Bearer " + admin.adminToken())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void after() {
        servers.close();
    }
}
