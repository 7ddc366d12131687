package dev.anonymoususers.devicekeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient.Answer;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.DpopProofs;
import dev.anonymoususers.testing.OidcClient;
import org.junit.jupiter.api.Test;

/** Tokens bound to the device key itself with DPoP (RFC 9449): the proofs are made by Nimbus, not by us. */
class DeviceKeyDpopIT extends DeviceKeyRealm {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    String proof(KeyPair key) {
        return DpopProofs.proof(key, "POST", app.tokenUrl(), null);
    }

    String assertion(KeyPair key) {
        return DeviceAssertions.signedBy(key).ownId().build();
    }

    @Test
    void aSignInWithAProofByTheDeviceKeyIsBoundToThatKey() {
        KeyPair key = DeviceAssertions.ecP256();

        Answer answer = app.signIn(assertion(key), proof(key));

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.body().get("token_type").asText()).isEqualTo("DPoP");
        JsonNode claims = OidcClient.Tokens.claims(answer.body().get("access_token").asText());
        assertThat(claims.path("cnf").path("jkt").asText()).isEqualTo(DeviceAssertions.thumbprint(key));
        System.out.printf("A bound device guest's access token: token_type=%s cnf=%s (the device key's thumbprint %s)%n",
                answer.body().get("token_type").asText(), claims.get("cnf"), DeviceAssertions.thumbprint(key));
    }

    @Test
    void aProofByAnotherKeyIsRefusedAndSpendsNothing() {
        KeyPair key = DeviceAssertions.ecP256();
        String assertion = assertion(key);
        int users = admin.countUsers(realm);

        Answer refused = app.signIn(assertion, proof(DeviceAssertions.ecP256()));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid_request");
        assertThat(refused.errorDescription()).isEqualTo("The DPoP proof is signed by another key than the device key of "
                + "the assertion; sign the DPoP proof with the device key");
        assertThat(admin.countUsers(realm)).as("nobody created").isEqualTo(users);
        Answer same = app.signIn(assertion, proof(key));
        assertThat(same.status()).as("the assertion's jti was not spent: %s", same.body()).isEqualTo(200);
    }

    @Test
    void aBoundRefreshTokenRefreshesOnlyWithAProofByTheDeviceKey() {
        KeyPair key = DeviceAssertions.ecP256();
        String refreshToken = app.signIn(assertion(key), proof(key)).body().get("refresh_token").asText();
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "refresh_token", refreshToken);

        Answer withoutProof = app.token(refresh);
        Answer byAnotherKey = app.token(refresh, proof(DeviceAssertions.ecP256()));
        Answer byTheDeviceKey = app.token(refresh, proof(key));

        assertThat(withoutProof.status()).as(withoutProof.body().toString()).isEqualTo(400);
        assertThat(byAnotherKey.status()).as(byAnotherKey.body().toString()).isEqualTo(400);
        assertThat(byTheDeviceKey.status()).as(byTheDeviceKey.body().toString()).isEqualTo(200);
        assertThat(OidcClient.Tokens.claims(byTheDeviceKey.body().get("access_token").asText()).path("cnf").path("jkt").asText())
                .isEqualTo(DeviceAssertions.thumbprint(key));
    }

    @Test
    void aCopiedBoundAccessTokenIsWorthNothingAtUserinfoWithoutTheKey() throws Exception {
        KeyPair key = DeviceAssertions.ecP256();
        String accessToken = app.signIn(assertion(key), proof(key)).body().get("access_token").asText();
        String userinfo = server.realmUrl(realm) + "/protocol/openid-connect/userinfo";

        HttpResponse<String> asBearer = HTTP.send(HttpRequest.newBuilder(URI.create(userinfo))
                .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> byAnotherKey = HTTP.send(HttpRequest.newBuilder(URI.create(userinfo))
                .header("Authorization", "DPoP " + accessToken)
                .header("DPoP", DpopProofs.proof(DeviceAssertions.ecP256(), "GET", userinfo, accessToken)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> byTheDeviceKey = HTTP.send(HttpRequest.newBuilder(URI.create(userinfo))
                .header("Authorization", "DPoP " + accessToken)
                .header("DPoP", DpopProofs.proof(key, "GET", userinfo, accessToken)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        System.out.printf("A copied bound access token at userinfo without the key: %d %s %s%n", asBearer.statusCode(),
                asBearer.headers().firstValue("WWW-Authenticate").orElse(""), asBearer.body());
        assertThat(asBearer.statusCode()).as(asBearer.body()).isEqualTo(401);
        assertThat(byAnotherKey.statusCode()).as(byAnotherKey.body()).isEqualTo(401);
        assertThat(byTheDeviceKey.statusCode()).as(byTheDeviceKey.body()).isEqualTo(200);
        assertThat(AdminApi.read(byTheDeviceKey.body()).get("is_anonymous").asBoolean()).isTrue();
    }

    /** A bad proof is Keycloak's to refuse, before the grant runs: nobody is created, and the assertion stays good. */
    void refusedByKeycloakWithTheAssertionUnspent(KeyPair key, String badProof) {
        String assertion = assertion(key);
        int users = admin.countUsers(realm);

        Answer refused = app.signIn(assertion, badProof);

        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid_request");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
        assertThat(app.signIn(assertion, proof(key)).status()).isEqualTo(200);
    }

    @Test
    void aProofForAnotherUrlIsRefused() {
        KeyPair key = DeviceAssertions.ecP256();
        refusedByKeycloakWithTheAssertionUnspent(key,
                DpopProofs.proof(key, "POST", server.realmUrl(realm) + "/protocol/openid-connect/userinfo", null));
    }

    @Test
    void aProofForAnotherMethodIsRefused() {
        KeyPair key = DeviceAssertions.ecP256();
        refusedByKeycloakWithTheAssertionUnspent(key, DpopProofs.proof(key, "GET", app.tokenUrl(), null));
    }

    @Test
    void anOldProofIsRefused() {
        KeyPair key = DeviceAssertions.ecP256();
        refusedByKeycloakWithTheAssertionUnspent(key, DpopProofs.proof(key, "POST", app.tokenUrl(), null,
                System.currentTimeMillis() / 1000 - 600, java.util.UUID.randomUUID().toString()));
    }

    @Test
    void aProofUsedOnceIsRefusedTheSecondTime() {
        KeyPair key = DeviceAssertions.ecP256();
        String once = DpopProofs.proof(key, "POST", app.tokenUrl(), null);
        assertThat(app.signIn(assertion(key), once).status()).isEqualTo(200);

        refusedByKeycloakWithTheAssertionUnspent(key, once);
    }

    @Test
    void introspectionShowsTheBindingForTheApiToCheck() {
        KeyPair key = DeviceAssertions.ecP256();
        String accessToken = app.signIn(assertion(key), proof(key)).body().get("access_token").asText();

        JsonNode introspection = new OidcClient(server, realm, "web-app", REDIRECT_URI)
                .introspect(accessToken, "resource-server", "resource-server-secret");

        assertThat(introspection.get("active").asBoolean()).isTrue();
        assertThat(introspection.path("cnf").path("jkt").asText()).isEqualTo(DeviceAssertions.thumbprint(key));
    }

    @Test
    void aDeviceWhoseClockIsOffLearnsTheServersTimeFromTheChallengeAndBindsItsTokens() {
        KeyPair key = DeviceAssertions.ecP256();
        server.moveClock(java.time.Duration.ofMinutes(10)); // the device now seems 10 minutes behind the server
        try {
            long deviceNow = System.currentTimeMillis() / 1000;
            Answer withDeviceTime = app.signIn(assertion(key), proof(key));
            assertThat(withDeviceTime.status()).as("a proof dated by the device's clock").isEqualTo(400);

            JsonNode challenge = AdminApi.read(app.requestChallenge().body());
            long offset = challenge.get("server_time").asLong() - deviceNow;
            assertThat(offset).isBetween(590L, 610L);
            String assertion = DeviceAssertions.signedBy(key).challenge(challenge.get("challenge").asText())
                    .claim("iat", deviceNow + offset).build();
            Answer bound = app.signIn(assertion, DpopProofs.proof(key, "POST", app.tokenUrl(), null, deviceNow + offset,
                    java.util.UUID.randomUUID().toString()));

            assertThat(bound.status()).as(bound.body().toString()).isEqualTo(200);
            assertThat(OidcClient.Tokens.claims(bound.body().get("access_token").asText()).path("cnf").path("jkt").asText())
                    .isEqualTo(DeviceAssertions.thumbprint(key));
        } finally {
            server.moveClock(java.time.Duration.ZERO);
        }
    }

    @Test
    void aClientThatRequiresDpopGetsDeviceGuestTokensOnlyWithAProof() {
        admin.addPublicClient(realm, "dpop-app", REDIRECT_URI);
        ObjectNode client = (ObjectNode) admin.get("/admin/realms/" + realm + "/clients?clientId=dpop-app").get(0);
        ((ObjectNode) client.with("attributes")).put("dpop.bound.access.tokens", "true");
        admin.send("PUT", "/admin/realms/" + realm + "/clients/" + client.get("id").asText(), client);
        DeviceKeyClient dpopApp = new DeviceKeyClient(server, realm, "dpop-app");
        KeyPair key = DeviceAssertions.ecP256();

        Answer withoutProof = dpopApp.signIn(assertion(key));
        Answer withProof = dpopApp.signIn(assertion(key), DpopProofs.proof(key, "POST", dpopApp.tokenUrl(), null));

        assertThat(withoutProof.status()).as(withoutProof.body().toString()).isEqualTo(400);
        assertThat(withProof.status()).as(withProof.body().toString()).isEqualTo(200);
        assertThat(withProof.body().get("token_type").asText()).isEqualTo("DPoP");
    }
}
