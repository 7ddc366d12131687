package dev.anonymoususers.devicekeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A native app signs in silently with its device key: same key, same guest, for as long as the key exists. */
class DeviceKeyGrantIT extends DeviceKeyRealm {

    String assertion(KeyPair key) {
        return DeviceAssertions.signedBy(key).challenge(app.challenge()).build();
    }

    @Test
    void challengeEndpointAnswersAFreshChallengeThatIsNotCached() {
        HttpResponse<String> first = app.requestChallenge();
        HttpResponse<String> second = app.requestChallenge();

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        JsonNode body = AdminApi.read(first.body());
        assertThat(body.get("challenge").asText()).matches("[A-Za-z0-9_.-]+").hasSizeLessThan(512);
        assertThat(body.get("expires_in").asInt()).isPositive();
        assertThat(AdminApi.read(second.body()).get("challenge").asText()).isNotEqualTo(body.get("challenge").asText());
    }

    @Smoke
    @Test
    void firstAssertionOfAKeyCreatesAGuestAndAnsersWithOrdinaryTokens() {
        int users = admin.countUsers(realm);

        DeviceKeyClient.Answer answer = app.signIn(assertion(DeviceAssertions.ecP256()));

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.body().get("access_token").asText()).isNotBlank();
        assertThat(answer.body().get("refresh_token").asText()).isNotBlank();
        assertThat(answer.body().get("id_token").asText()).isNotBlank();
        assertThat(answer.tokens().idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
        assertThat(answer.tokens().accessTokenClaims().get("is_anonymous").asBoolean()).isTrue();
        assertThat(admin.countUsers(realm)).isEqualTo(users + 1);
    }

    @Test
    void keyIsStoredAsADeviceKeyCredentialWithAReadableLabel() {
        KeyPair key = DeviceAssertions.ecP256();
        String sub = app.signIn(assertion(key)).sub();

        JsonNode credentials = admin.get("/admin/realms/" + realm + "/users/" + sub + "/credentials");

        assertThat(credentials).hasSize(1);
        assertThat(credentials.get(0).get("type").asText()).isEqualTo("device-key");
        assertThat(credentials.get(0).get("userLabel").asText())
                .startsWith("Device key ES256 " + DeviceAssertions.thumbprint(key).substring(0, 8)).contains("web-app");
    }

    @Smoke
    @Test
    void laterAssertionsOfTheSameKeySignInTheSameGuest() {
        KeyPair key = DeviceAssertions.ecP256();
        String first = app.signIn(assertion(key)).sub();
        int users = admin.countUsers(realm);

        String second = app.signIn(assertion(key)).sub();

        assertThat(second).isEqualTo(first);
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    /** The one-request form: the assertion carries its own jti and the current iat, no challenge. */
    String oneRequest(KeyPair key) {
        return DeviceAssertions.signedBy(key).ownId().build();
    }

    @Smoke
    @Test
    void aDeviceSignsUpAndBackInWithOneRequestEachAndNoChallenge() {
        KeyPair key = DeviceAssertions.ecP256();
        int users = admin.countUsers(realm);

        DeviceKeyClient.Answer first = app.signIn(oneRequest(key));
        DeviceKeyClient.Answer again = app.signIn(DeviceAssertions.signedBy(key).ownId().kidInsteadOfJwk().build());

        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
        assertThat(first.tokens().idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
        assertThat(again.status()).as(again.body().toString()).isEqualTo(200);
        assertThat(again.sub()).isEqualTo(first.sub());
        assertThat(admin.countUsers(realm)).isEqualTo(users + 1);
        assertThat(app.signIn(assertion(key)).sub()).as("the challenge form keeps working").isEqualTo(first.sub());
    }

    @Test
    void aOneRequestAssertionIsSpentByItsFirstUseAndAReplayChangesNothing() {
        KeyPair key = DeviceAssertions.ecP256();
        String assertion = oneRequest(key);
        String sub = app.signIn(assertion).sub();
        int sessions = admin.get("/admin/realms/" + realm + "/users/" + sub + "/sessions").size();

        DeviceKeyClient.Answer replay = app.signIn(assertion);

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.error()).isEqualTo("invalid_grant");
        assertThat(replay.errorDescription()).contains("already used").contains("new jti");
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + sub + "/sessions")).hasSize(sessions);
    }

    @Test
    void aOneRequestAssertionFromADeviceWhoseClockIsOffIsRefusedWithWhatToDo() {
        long now = System.currentTimeMillis() / 1000;
        int users = admin.countUsers(realm);

        DeviceKeyClient.Answer late = app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).ownId().claim("iat", now - 120).build());

        assertThat(late.status()).isEqualTo(400);
        assertThat(late.errorDescription()).contains("at most 60 are accepted").contains("signs a challenge instead");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void knownKeyMaySendItsThumbprintAsKidInsteadOfTheKey() {
        KeyPair key = DeviceAssertions.ecP256();
        String first = app.signIn(assertion(key)).sub();

        String again = app.signIn(DeviceAssertions.signedBy(key).kidInsteadOfJwk().challenge(app.challenge()).build()).sub();

        assertThat(again).isEqualTo(first);
    }

    @Test
    void es256SignatureInDerFormIsRefusedNamingTheEncoding() {
        KeyPair key = DeviceAssertions.ecP256();
        int users = admin.countUsers(realm);

        DeviceKeyClient.Answer answer = app.signIn(DeviceAssertions.signedBy(key).derSignature().challenge(app.challenge()).build());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("invalid_grant");
        assertThat(answer.errorDescription()).contains("64-byte R||S value of RFC 7518").contains("DER-encoded");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @ParameterizedTest
    @ValueSource(strings = { "ES256", "RS256", "EdDSA" })
    void assertionsMadeEntirelyByNimbusJoseJwtSignInAndTheirKidIsNimbusThumbprint(String algorithm) throws Exception {
        JWK key = switch (algorithm) {
            case "ES256" -> new ECKeyGenerator(Curve.P_256).generate();
            case "RS256" -> new RSAKeyGenerator(2048).generate();
            default -> new OctetKeyPairGenerator(Curve.Ed25519).generate();
        };
        String first = app.signIn(nimbusAssertion(key, algorithm, true)).sub();

        DeviceKeyClient.Answer byKid = app.signIn(nimbusAssertion(key, algorithm, false));

        assertThat(byKid.status()).as(byKid.body().toString()).isEqualTo(200);
        assertThat(byKid.sub()).isEqualTo(first);
    }

    /** A device assertion as an app makes it with Nimbus JOSE+JWT: its own header, payload and signature. */
    String nimbusAssertion(JWK key, String algorithm, boolean withJwk) throws Exception {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.parse(algorithm)).type(new JOSEObjectType("device-key+jwt"));
        if (withJwk) {
            header.jwk(key.toPublicJWK());
        } else {
            header.keyID(key.computeThumbprint().toString());
        }
        JWSObject jws = new JWSObject(header.build(), new Payload(Map.of("challenge", app.challenge(), "action", "auth",
                "iat", System.currentTimeMillis() / 1000)));
        jws.sign(switch (algorithm) {
            case "ES256" -> new ECDSASigner((ECKey) key);
            case "RS256" -> new RSASSASigner((RSAKey) key);
            default -> new Ed25519Signer((OctetKeyPair) key);
        });
        return jws.serialize();
    }

    @Test
    void rs256WithA2048BitKeyIsAccepted() {
        DeviceKeyClient.Answer answer = app.signIn(assertion(DeviceAssertions.rsa(2048)));

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    }

    @Test
    void edDsaWithEd25519IsAccepted() {
        DeviceKeyClient.Answer answer = app.signIn(assertion(DeviceAssertions.ed25519()));

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    }

    @Test
    void guestOfADeviceRefreshesLikeAnyUser() {
        OidcClient.Tokens tokens = app.signIn(assertion(DeviceAssertions.ecP256())).tokens();

        DeviceKeyClient.Answer refreshed = app.token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.refreshToken()));

        assertThat(refreshed.status()).as(refreshed.body().toString()).isEqualTo(200);
        assertThat(refreshed.sub()).isEqualTo(tokens.idTokenClaims().get("sub").asText());
    }

    @Test
    void confidentialClientAuthenticatesAsUsual() {
        DeviceKeyClient confidential = new DeviceKeyClient(server, realm, "resource-server", "resource-server-secret");

        DeviceKeyClient.Answer answer = confidential.signIn(
                DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(confidential.challenge()).build());

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    }

    /**
     * Login CSRF: a link with someone's assertion would sign any browser in to that someone's guest. In the browser an
     * assertion only promotes; signing in is the token endpoint's, and the refused assertion is not spent.
     */
    @Smoke
    @ParameterizedTest(name = "one request: {0}")
    @ValueSource(booleans = {false, true})
    void browserRefusesADeviceAssertionOutsideAPromotionAndSpendsNothing(boolean oneRequest) {
        KeyPair key = DeviceAssertions.ecP256();
        String sub = app.signIn(oneRequest ? oneRequest(key) : assertion(key)).sub();
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        String assertion = oneRequest ? oneRequest(key) : assertion(key);
        int users = admin.countUsers(realm);

        OidcClient.Authorization answer = browser.authorize(Map.of("login_hint", "anonymous:" + assertion));

        assertThat(answer.code()).isNull();
        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).isEqualTo("A device assertion is accepted in the browser only to promote its "
                + "guest, with kc_action=promote-anonymous; a device signs in at the token endpoint");
        assertThat(browser.authorize(Map.of("prompt", "none")).error()).isEqualTo("login_required");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
        assertThat(app.signIn(assertion).sub()).as("the assertion was not spent").isEqualTo(sub);
    }

    /**
     * Found by reading: the node's memory of key → guest never read a revocation, so a revoked key whose credential a
     * partial import (OVERWRITE, same realm) brought back signed in again on a node that remembered it.
     */
    @Test
    void revokedKeyStaysRevokedWhenAPartialImportBringsItsCredentialBack() {
        KeyPair key = DeviceAssertions.ecP256();
        String sub = app.signIn(oneRequest(key)).sub();
        assertThat(app.signIn(oneRequest(key)).sub()).as("the node now remembers the key").isEqualTo(sub);
        JsonNode user = admin.user(realm, sub);
        JsonNode credential = admin.get("/admin/realms/" + realm + "/users/" + sub + "/credentials").get(0);
        assertThat(admin.send("DELETE", "/admin/realms/" + realm + "/users/" + sub + "/credentials/"
                + credential.get("id").asText(), null).statusCode()).isEqualTo(204);

        var partial = AdminApi.JSON.createObjectNode().put("ifResourceExists", "OVERWRITE");
        var restored = partial.putArray("users").addObject().put("id", sub).put("username", user.get("username").asText())
                .put("enabled", true);
        restored.putObject("attributes").putArray("anonymous").add("true");
        restored.putArray("credentials").addObject().put("type", "device-key").put("userLabel", credential.get("userLabel").asText())
                .put("secretData", "{}").put("credentialData", credential.get("credentialData").asText());
        assertThat(admin.send("POST", "/admin/realms/" + realm + "/partialImport", partial).statusCode()).isEqualTo(200);
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + sub + "/credentials")).as("the credential is back").hasSize(1);

        DeviceKeyClient.Answer again = app.signIn(oneRequest(key));

        assertThat(again.error()).isEqualTo("invalid_grant");
        assertThat(again.errorDescription()).contains("revoked");
    }

    @Test
    void guestsOfAnImportedRealmSignInWithTheirDeviceKeysAsBefore() {
        KeyPair key = DeviceAssertions.ecP256();
        String sub = app.signIn(assertion(key)).sub();
        JsonNode credential = admin.get("/admin/realms/" + realm + "/users/" + sub + "/credentials").get(0);

        var imported = AdminApi.JSON.createObjectNode().put("realm", realm + "-moved").put("enabled", true);
        imported.putArray("clients").addObject().put("clientId", "web-app").put("publicClient", true);
        // On another server the guest keeps its id; on this one ids are taken, so it gets a new one.
        String movedId = java.util.UUID.randomUUID().toString();
        var guest = imported.putArray("users").addObject().put("id", movedId).put("username", "moved-guest").put("enabled", true);
        guest.putObject("attributes").putArray("anonymous").add("true");
        guest.putArray("credentials").addObject()
                .put("type", "device-key").put("userLabel", credential.get("userLabel").asText())
                .put("secretData", "{}").put("credentialData", credential.get("credentialData").asText());
        imported.putObject("components").putArray("org.keycloak.services.ui.extend.UiTabProvider").addObject()
                .put("name", "anonymous-users").put("providerId", "anonymous-users")
                .putObject("config").putArray("enabled").add("true");
        admin.importRealm(imported);
        DeviceKeyClient moved = new DeviceKeyClient(server, realm + "-moved", "web-app");

        assertThat(moved.signIn(DeviceAssertions.signedBy(key).kidInsteadOfJwk().challenge(moved.challenge()).build()).sub()).isEqualTo(movedId);
        assertThat(moved.signIn(DeviceAssertions.signedBy(key).challenge(moved.challenge()).build()).sub()).isEqualTo(movedId);
        assertThat(admin.countUsers(realm + "-moved")).isEqualTo(1);
    }

    @Test
    void signInIsALoginEventWithTheDeviceKey() {
        KeyPair key = DeviceAssertions.ecP256();
        String sub = app.signIn(assertion(key)).sub();

        JsonNode logins = admin.events(realm, "LOGIN");

        JsonNode login = null;
        for (JsonNode event : logins) {
            if (sub.equals(event.path("userId").asText())) {
                login = event;
            }
        }
        assertThat(login).isNotNull();
        assertThat(login.get("details").get("device_key").asText()).isEqualTo(DeviceAssertions.thumbprint(key));
        assertThat(login.get("details").get("grant_type").asText()).isEqualTo(DeviceKeyClient.GRANT_TYPE);
    }
}
