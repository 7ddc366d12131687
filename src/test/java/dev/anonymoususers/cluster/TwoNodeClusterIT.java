package dev.anonymoususers.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.GuestTables;
import dev.anonymoususers.testing.KeycloakCluster;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Keycloak nodes on one PostgreSQL database, one cache cluster: what one node does, the other knows. Requests go
 * to node A or node B on purpose; the nodes share the hostname, as behind a load balancer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeClusterIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";

    KeycloakCluster cluster;
    AdminApi admin;
    String realm;

    @BeforeAll
    void startTwoNodes() throws Exception {
        cluster = KeycloakCluster.start();
        admin = cluster.admin();
    }

    @AfterAll
    void stopThem() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void realmWithAnonymousUsersOn() {
        realm = admin.importGuestsRealm(REDIRECT_URI, true);
    }

    DeviceKeyClient onA(String address) {
        return new DeviceKeyClient(cluster.a(), realm, "web-app").from(address);
    }

    DeviceKeyClient onB(String address) {
        return new DeviceKeyClient(cluster.b(), realm, "web-app").from(address);
    }

    @Test
    void bothNodesSeeOneClusterOfTwo() {
        assertThat(KeycloakCluster.seesTwo(cluster.a())).isTrue();
        assertThat(KeycloakCluster.seesTwo(cluster.b())).isTrue();
    }

    @Test
    void aChallengeIssuedByNodeAIsAcceptedByNodeB() {
        String address = Addresses.next();
        String challenge = onA(address).challenge();

        DeviceKeyClient.Answer answer = onB(address).signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(challenge).build());

        assertThat(answer.ok()).as(answer.body().toString()).isTrue();
    }

    @Test
    void aChallengeSpentOnNodeAIsRefusedOnNodeB() {
        String address = Addresses.next();
        String challenge = onA(address).challenge();
        assertThat(onA(address).signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(challenge).build()).ok()).isTrue();

        DeviceKeyClient.Answer again = onB(address).signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(challenge).build());

        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorDescription()).contains("already used");
    }

    @Test
    void aOneRequestAssertionSpentOnNodeAIsRefusedOnNodeB() {
        KeyPair key = DeviceAssertions.ecP256();
        String assertion = DeviceAssertions.signedBy(key).ownId().build();
        assertThat(onA(Addresses.next()).signIn(assertion).ok()).isTrue();

        DeviceKeyClient.Answer replay = onB(Addresses.next()).signIn(assertion);

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.errorDescription()).contains("already used");
    }

    @Test
    void thePerAddressLimitHoldsAcrossBothNodes() {
        admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"guestsPerAddressPerHour\": 6}", admin.adminToken());
        String address = Addresses.next();
        int created = 0;
        for (int i = 0; i < 10; i++) {
            DeviceKeyClient node = i % 2 == 0 ? onA(address) : onB(address);
            created += node.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(node.challenge()).build()).ok() ? 1 : 0;
        }

        assertThat(created).isEqualTo(6);
        assertThat(guests()).isEqualTo(6);
    }

    @Test
    void theRealmLimitHoldsAcrossBothNodes() {
        admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"maxGuests\": 4}", admin.adminToken());
        int created = 0;
        for (int i = 0; i < 8; i++) {
            DeviceKeyClient node = i % 2 == 0 ? onA(Addresses.next()) : onB(Addresses.next());
            created += node.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(node.challenge()).build()).ok() ? 1 : 0;
        }

        assertThat(created).isEqualTo(4);
        assertThat(guests()).isEqualTo(4);
    }

    @Test
    void aDeviceGuestCreatedOnNodeASignsInOnNodeB() {
        KeyPair key = DeviceAssertions.ecP256();
        DeviceKeyClient a = onA(Addresses.next());
        String sub = a.signIn(DeviceAssertions.signedBy(key).challenge(a.challenge()).build()).sub();
        DeviceKeyClient b = onB(Addresses.next());

        DeviceKeyClient.Answer again = b.signIn(DeviceAssertions.signedBy(key).challenge(b.challenge()).build());

        assertThat(again.ok()).as(again.body().toString()).isTrue();
        assertThat(again.sub()).isEqualTo(sub);
    }

    @Test
    void aWebGuestsRefreshTokenFromNodeARefreshesOnNodeB() {
        OidcClient onA = new OidcClient(cluster.a(), realm, "web-app", REDIRECT_URI);
        OidcClient.Tokens tokens = onA.exchange(onA.authorizeAsGuest());

        OidcClient.Tokens refreshed = new OidcClient(cluster.b(), realm, "web-app", REDIRECT_URI).refresh(tokens);

        assertThat(refreshed.idTokenClaims().get("sub").asText()).isEqualTo(tokens.idTokenClaims().get("sub").asText());
        assertThat(refreshed.accessTokenClaims().get("is_anonymous").asBoolean()).isTrue();
    }

    @Test
    void aGuestCreatedOnNodeAIsPromotedOnNodeB() {
        OidcClient onA = new OidcClient(cluster.a(), realm, "web-app", REDIRECT_URI);
        String sub = onA.exchange(onA.authorizeAsGuest()).idTokenClaims().get("sub").asText();
        OidcClient.Tokens guest = onA.exchange(onA.authorizeAsGuest());
        assertThat(guest.idTokenClaims().get("sub").asText()).isEqualTo(sub);

        OidcClient onB = onA.on(cluster.b());
        OidcClient.Authorization page = onB.authorize(Map.of("kc_action", "promote-anonymous"));
        String name = "promoted-" + System.nanoTime();
        OidcClient.Authorization done = onB.submit(page, "kc-promote-anonymous-form", Map.of("username", name,
                "email", name + "@example.com", "firstName", "Grace", "lastName", "Hopper",
                "password", "a-long-password-1", "password-confirm", "a-long-password-1"));

        assertThat(done.reachedApp()).as(String.valueOf(done.page())).isTrue();
        OidcClient.Tokens promoted = onB.exchange(done);
        assertThat(promoted.idTokenClaims().get("sub").asText()).isEqualTo(sub);
        assertThat(promoted.idTokenClaims().get("is_anonymous").asBoolean()).isFalse();
        assertThat(admin.isGuest(realm, sub)).isFalse();
    }

    /** The attack of a session kept past the promotion, across nodes: a device's session and offline token on B. */
    @Test
    void sessionsOfAGuestOnNodeBEndWhenNodeAPromotesIt() {
        String address = Addresses.next();
        java.security.KeyPair key = DeviceAssertions.ecP256();
        OidcClient.Tokens online = onB(address).signIn(DeviceAssertions.signedBy(key).ownId().build()).tokens();
        OidcClient.Tokens offline = onB(address).token(Map.of("grant_type", DeviceKeyClient.GRANT_TYPE, "scope", "openid offline_access",
                "assertion", DeviceAssertions.signedBy(key).ownId().build())).tokens();
        OidcClient browserOnB = new OidcClient(cluster.b(), realm, "web-app", REDIRECT_URI).from(address);
        assertThat(browserOnB.tryRefresh(online.refreshToken()).statusCode()).as("B knows the session").isEqualTo(200);

        OidcClient onA = new OidcClient(cluster.a(), realm, "web-app", REDIRECT_URI).from(address);
        OidcClient.Authorization page = onA.authorize(Map.of("kc_action", "promote-anonymous", "login_hint", "anonymous:"
                + DeviceAssertions.signedBy(key).challenge(onA(address).challenge()).action("promote").build()));
        String name = "promoted-" + System.nanoTime();
        OidcClient.Authorization done = onA.submit(page, "kc-promote-anonymous-form", Map.of("username", name,
                "email", name + "@example.com", "firstName", "Grace", "lastName", "Hopper",
                "password", "a-long-password-1", "password-confirm", "a-long-password-1"));

        assertThat(done.parameter("kc_action_status")).as(String.valueOf(done.page())).isEqualTo("success");
        assertThat(browserOnB.tryRefresh(online.refreshToken()).statusCode()).isEqualTo(400);
        assertThat(browserOnB.tryRefresh(offline.refreshToken()).statusCode()).isEqualTo(400);
        assertThat(browserOnB.tryUserinfo(online.accessToken()).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(Integer.MAX_VALUE - 2)
    void whatADeviceGuestStoresInPostgreSql() throws Exception {
        int guests = 200;
        long bytesBefore = relationBytes();
        for (int i = 0; i < guests; i++) {
            DeviceKeyClient node = i % 2 == 0 ? onA(Addresses.next()) : onB(Addresses.next());
            assertThat(node.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(node.challenge()).build()).ok()).isTrue();
        }
        long bytesAfter = relationBytes();

        String realmId = admin.get("/admin/realms/" + realm).get("id").asText();
        StringBuilder report = new StringBuilder("What one device guest stores in PostgreSQL (" + guests + " guests, each signed in once):\n");
        double rowsPerGuest = 0;
        try (Connection db = cluster.database()) {
            String realmGuests = "(select u.id from user_entity u where u.realm_id = ? and u.username like 'guest-%')";
            for (GuestTables.Rows table : GuestTables.rowsOf(db, realmGuests, realmId)) {
                double rows = table.rows() / (double) guests;
                rowsPerGuest += rows;
                report.append(String.format(java.util.Locale.ROOT, "  %-24s %5.2f rows %7.1f bytes of row data%n",
                        table.table(), rows, table.dataBytes() / (double) guests));
            }
        }
        report.append(String.format(java.util.Locale.ROOT, "  %-24s %5.2f rows; with indexes and page overhead %.0f bytes per guest%n",
                "in all", rowsPerGuest, (bytesAfter - bytesBefore) / (double) guests));
        System.out.print(report);
        assertThat(rowsPerGuest).as(report.toString()).isLessThanOrEqualTo(9);
    }

    /** The size on disk of every table a guest writes to, with its indexes. */
    long relationBytes() throws Exception {
        try (Connection db = cluster.database()) {
            return GuestTables.diskBytes(db);
        }
    }

    /** Near the end: it moves both nodes' clocks 31 days on, which ends every earlier test's guests too. */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void theScheduledCleanUpRunsOncePerClusterNotOncePerNode() throws Exception {
        for (int i = 0; i < 5; i++) {
            DeviceKeyClient node = i % 2 == 0 ? onA(Addresses.next()) : onB(Addresses.next());
            node.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(node.challenge()).build());
        }
        assertThat(guests()).isEqualTo(5);
        try {
            cluster.a().moveClock(Duration.ofDays(31));
            cluster.b().moveClock(Duration.ofDays(31));
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (guests() > 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(2000); // the schedule runs every minute on each node
            }
        } finally {
            cluster.a().moveClock(Duration.ZERO);
            cluster.b().moveClock(Duration.ZERO);
        }

        assertThat(guests()).isZero();
        String removedHere = "inactive guests of realm " + admin.get("/admin/realms/" + realm).get("id").asText();
        long runs = java.util.stream.Stream.of(cluster.a(), cluster.b())
                .flatMap(node -> node.log().lines())
                .filter(line -> line.contains(removedHere))
                .count();
        assertThat(runs).as("clean-up runs that removed this realm's guests, both nodes together").isEqualTo(1);
        java.util.Set<String> onA = intervalsRunBy(cluster.a());
        java.util.Set<String> onB = intervalsRunBy(cluster.b());
        assertThat(onA.size() + onB.size()).as("intervals run").isPositive();
        assertThat(onA.stream().filter(onB::contains)).as("intervals that ran on both nodes").isEmpty();
        assertThat(admin.get("/admin/realms/" + realm + "/events?type=DELETE_ACCOUNT")).hasSize(5);
        double removed = cluster.a().counter(realm, "anonymous_users_clean_up_removed_total")
                + cluster.b().counter(realm, "anonymous_users_clean_up_removed_total");
        assertThat(removed).isEqualTo(5);
    }

    /**
     * Last: node A ends as a crash would ({@code kill -9}) in the middle of device sign-ups and promotions sent to
     * both nodes. Every request answered with success is in the database, node B answers every request sent to it,
     * before, during and after the crash, and every user is wholly a guest or wholly promoted.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void nodeAKilledMidStreamLosesNothingThatSucceededAndNodeBServesOn() throws Exception {
        RequestStream stream = new RequestStream();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int worker = 0; worker < 4; worker++) {
            int first = worker;
            running.add(workers.submit(() -> stream.run(first)));
        }
        Thread.sleep(6000);
        long killedAt = System.nanoTime();
        cluster.a().kill();
        Thread.sleep(8000);
        stream.stop = true;
        for (Future<?> worker : running) {
            worker.get(2, TimeUnit.MINUTES);
        }
        workers.shutdown();

        List<Outcome> outcomes = List.copyOf(stream.outcomes);
        String summary = RequestStream.summary(outcomes, killedAt);
        System.out.println("Node A killed mid-stream: " + summary);
        assertThat(outcomes).as("answered by A before the crash: " + summary)
                .anyMatch(o -> o.node() == cluster.a() && o.ok() && o.at() < killedAt);
        assertThat(outcomes).as("answered by B after the crash: " + summary)
                .anyMatch(o -> o.node() == cluster.b() && o.ok() && o.at() > killedAt);
        assertThat(outcomes).as("refused by A after the crash: " + summary)
                .anyMatch(o -> o.node() == cluster.a() && !o.ok() && o.at() > killedAt);
        assertThat(outcomes).as("node B answered every request: " + summary)
                .filteredOn(o -> o.node() == cluster.b() && !o.ok()).isEmpty();
        assertThat(outcomes).as("promotions that succeeded").anyMatch(o -> o.kind().equals("promotion") && o.ok());

        Map<String, UserRows> users = usersOfTheRealm();
        for (Outcome success : outcomes.stream().filter(Outcome::ok).toList()) {
            UserRows user = users.get(success.sub());
            assertThat(user).as(success + " is in the database").isNotNull();
            if (success.kind().equals("promotion")) {
                assertThat(user.promoted()).as(success + ": " + user).isTrue();
                assertThat(user.email()).isEqualTo(success.email());
            }
        }
        assertThat(users.values()).as("every user wholly a guest or wholly promoted")
                .allMatch(user -> user.guest() || user.promoted());
    }

    /** One request of the stream (a sign-up is a challenge and a grant; a promotion the browser trip), as answered. */
    record Outcome(KeycloakServer node, String kind, boolean ok, long at, String sub, String email) {
        @Override
        public String toString() {
            return kind + " of " + sub + (ok ? " succeeded" : " failed");
        }
    }

    /** A device guest the stream created and may promote. */
    record Guest(KeyPair key, String sub) {
    }

    /** Sign-ups and promotions, each worker alternating between the nodes, until told to stop. */
    class RequestStream {
        final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        final Queue<Guest> guests = new ConcurrentLinkedQueue<>();
        volatile boolean stop;

        void run(int worker) {
            for (int i = worker; !stop; i++) {
                KeycloakServer node = i % 2 == 0 ? cluster.a() : cluster.b();
                Guest guest = i % 3 == 0 ? guests.poll() : null;
                outcomes.add(guest == null ? signUp(node) : promote(node, guest));
            }
        }

        Outcome signUp(KeycloakServer node) {
            KeyPair key = DeviceAssertions.ecP256();
            try {
                DeviceKeyClient device = new DeviceKeyClient(node, realm, "web-app").from(Addresses.next());
                DeviceKeyClient.Answer answer = device.signIn(DeviceAssertions.signedBy(key).challenge(device.challenge()).build());
                if (answer.ok()) {
                    guests.add(new Guest(key, answer.sub()));
                }
                return new Outcome(node, "sign-up", answer.ok(), System.nanoTime(), answer.ok() ? answer.sub() : null, null);
            } catch (RuntimeException unreachable) {
                return new Outcome(node, "sign-up", false, System.nanoTime(), null, null);
            }
        }

        Outcome promote(KeycloakServer node, Guest guest) {
            String name = "promoted-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            String email = name + "@example.com";
            try {
                String address = Addresses.next();
                DeviceKeyClient device = new DeviceKeyClient(node, realm, "web-app").from(address);
                String assertion = DeviceAssertions.signedBy(guest.key()).challenge(device.challenge()).action("promote").build();
                OidcClient browser = new OidcClient(node, realm, "web-app", REDIRECT_URI).from(address);
                OidcClient.Authorization page = browser.authorize(Map.of("login_hint", "anonymous:" + assertion,
                        "kc_action", "promote-anonymous"));
                OidcClient.Authorization done = browser.submit(page, "kc-promote-anonymous-form", Map.of("username", name,
                        "email", email, "firstName", "Grace", "lastName", "Hopper",
                        "password", "a-long-password-1", "password-confirm", "a-long-password-1"));
                boolean ok = "success".equals(done.parameter("kc_action_status"));
                return new Outcome(node, "promotion", ok, System.nanoTime(), guest.sub(), email);
            } catch (RuntimeException unreachable) {
                return new Outcome(node, "promotion", false, System.nanoTime(), guest.sub(), email);
            }
        }

        static String summary(List<Outcome> outcomes, long killedAt) {
            Map<String, Long> counts = outcomes.stream().collect(java.util.stream.Collectors.groupingBy(
                    o -> o.kind() + (o.node().baseUrl().contains("127.0.0.1") ? " on A" : " on B")
                            + (o.at() < killedAt ? " before" : " after") + " the crash, " + (o.ok() ? "ok" : "failed"),
                    java.util.TreeMap::new, java.util.stream.Collectors.counting()));
            return counts.toString();
        }
    }

    /** What the database holds for one user: the parts a promotion changes together. */
    record UserRows(boolean marked, String email, boolean password, int deviceKeys) {
        boolean guest() {
            return marked && email == null && !password;
        }

        boolean promoted() {
            return !marked && email != null && password && deviceKeys == 0;
        }
    }

    Map<String, UserRows> usersOfTheRealm() throws Exception {
        Map<String, UserRows> users = new java.util.HashMap<>();
        try (Connection db = cluster.database(); PreparedStatement query = db.prepareStatement("select u.ID, u.EMAIL,"
                + " exists (select 1 from USER_ATTRIBUTE a where a.USER_ID = u.ID and a.NAME = 'anonymous' and a.VALUE = 'true'),"
                + " exists (select 1 from CREDENTIAL c where c.USER_ID = u.ID and c.TYPE = 'password'),"
                // A device key signs in only while its credential exists (its ANON_DEVICE_KEY row is only the index).
                + " (select count(*) from CREDENTIAL c where c.USER_ID = u.ID and c.TYPE = 'device-key')"
                + " from USER_ENTITY u join REALM r on r.ID = u.REALM_ID where r.NAME = ?")) {
            query.setString(1, realm);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    users.put(result.getString(1), new UserRows(result.getBoolean(3), result.getString(2), result.getBoolean(4),
                            result.getInt(5)));
                }
            }
        }
        return users;
    }

    /** The intervals of the clean-up schedule that ran on this node, from its log. */
    static java.util.Set<String> intervalsRunBy(dev.anonymoususers.testing.KeycloakServer node) {
        return node.log().lines()
                .filter(line -> line.contains("anonymous-users-clean-up: interval"))
                .map(line -> line.replaceAll(".*anonymous-users-clean-up: interval (\\d+) runs on this node.*", "$1"))
                .collect(java.util.stream.Collectors.toSet());
    }

    int guests() {
        return admin.get("/admin/realms/" + realm + "/users/count?q=anonymous:true").asInt();
    }
}
