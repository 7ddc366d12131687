package dev.anonymoususers.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.Map;

import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.KeycloakCluster;
import dev.anonymoususers.testing.OidcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two Keycloak nodes on one PostgreSQL database, one cache cluster: what one node does, the other knows. Requests go
 * to node A or node B on purpose; the nodes share the hostname, as behind a load balancer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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

    int guests() {
        return admin.get("/admin/realms/" + realm + "/users/count?q=anonymous:true").asInt();
    }
}
