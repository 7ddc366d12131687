package dev.anonymoususers.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the client library does against a real Keycloak, the same in every place it runs (Node.js, Chromium): each
 * test has a realm of its own. What the library says is checked with Nimbus and with Keycloak's own answers, and
 * every typed error comes from the server's answer to a real request.
 */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClientLibraryScenarios {

    KeycloakServer server;
    AdminApi admin;
    ClientLibrary library;
    String realm;

    /** The library, started once per class. */
    abstract ClientLibrary startLibrary();

    /** The origin the app runs on, which the realm's client allows (its web origins follow its redirect URI). */
    abstract String appOrigin();

    /** X-Forwarded-For for the guest's requests, or null where a page cannot send it. */
    abstract String address();

    @BeforeAll
    void startLibrary(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        library = startLibrary();
    }

    @BeforeEach
    void newRealm() {
        realm = admin.importGuestsRealm(appOrigin() + "/callback", true);
    }

    @AfterAll
    void stopLibrary() throws Exception {
        if (library != null) {
            library.close();
        }
    }

    /** Makes the guest {@code name} of the realm's web-app; extra options (scope, bind, keyStore, …) as given. */
    JsonNode guest(String name, Map<String, Object> options) {
        Map<String, Object> args = new HashMap<>(Map.of("name", name, "url", server.baseUrl(), "realm", realm, "clientId", "web-app"));
        if (address() != null) {
            args.put("address", address());
        }
        args.putAll(options);
        return library.call("guest", args);
    }

    JsonNode guest(String name) {
        return guest(name, Map.of());
    }

    JsonNode signIn(String guest) {
        return library.call("signIn", Map.of("guest", guest));
    }

    JsonNode signInFailing(String guest) {
        return library.failing("signIn", Map.of("guest", guest));
    }

    String thumbprint(String guest) {
        return library.call("keyThumbprint", Map.of("guest", guest)).get("thumbprint").asText();
    }

    static String cnfJkt(String accessToken) throws Exception {
        return (String) SignedJWT.parse(accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf").get("jkt");
    }

    String userinfoUrl() {
        return server.realmUrl(realm) + "/protocol/openid-connect/userinfo";
    }

    void saveSettings(Map<String, String> settings) {
        Map<String, List<String>> values = new HashMap<>(Map.of("enabled", List.of("true")));
        settings.forEach((name, value) -> values.put(name, List.of(value)));
        admin.saveAnonymousUsersSettings(realm, values);
    }

    @Test
    void aNewDeviceSignsInAsAGuestWhoseTokensAreBoundToItsKeyAndComesBackAsTheSameGuest() throws Exception {
        guest("device");

        JsonNode first = signIn("device");
        JsonNode again = signIn("device");

        assertThat(first.get("isAnonymous").asBoolean()).isTrue();
        assertThat(first.get("tokenType").asText()).isEqualTo("DPoP");
        assertThat(cnfJkt(first.get("accessToken").asText())).as("cnf.jkt").isEqualTo(thumbprint("device"));
        assertThat(admin.isGuest(realm, first.get("sub").asText())).isTrue();
        assertThat(again.get("sub").asText()).isEqualTo(first.get("sub").asText());
    }

    @Test
    void theSessionsProofsNameTheRequestAndHashTheTokenAndKeycloaksUserinfoAcceptsThem() throws Exception {
        guest("device");
        JsonNode session = signIn("device");
        String api = "https://api.example.com/notes/7?draft=1";

        JsonNode headers = library.call("authorizationHeaders", Map.of("session", "device", "method", "PUT", "url", api));
        JsonNode userinfo = library.call("fetch", Map.of("session", "device", "url", userinfoUrl()));

        String accessToken = session.get("accessToken").asText();
        assertThat(headers.get("Authorization").asText()).isEqualTo("DPoP " + accessToken);
        JWSObject proof = JWSObject.parse(headers.get("DPoP").asText());
        ECKey jwk = proof.getHeader().getJWK().toECKey();
        assertThat(proof.verify(new ECDSAVerifier(jwk))).as("signed by the key in its header").isTrue();
        assertThat(jwk.computeThumbprint().toString()).as("by the device key").isEqualTo(cnfJkt(accessToken));
        Map<String, Object> claims = proof.getPayload().toJSONObject();
        assertThat(claims).containsEntry("htm", "PUT").containsEntry("htu", "https://api.example.com/notes/7")
                .containsEntry("ath", Base64.getUrlEncoder().withoutPadding().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII))));
        assertThat(userinfo.get("status").asInt()).as(userinfo.toString()).isEqualTo(200);
        assertThat(AdminApi.read(userinfo.get("body").asText()).get("sub").asText()).isEqualTo(session.get("sub").asText());
    }

    @Test
    void refreshGivesNewTokensStillBoundToTheDeviceKey() throws Exception {
        guest("device");
        JsonNode before = signIn("device");

        JsonNode after = library.call("refresh", Map.of("session", "device"));

        assertThat(after.get("accessToken").asText()).isNotEqualTo(before.get("accessToken").asText());
        assertThat(after.get("sub").asText()).isEqualTo(before.get("sub").asText());
        assertThat(cnfJkt(after.get("accessToken").asText())).isEqualTo(thumbprint("device"));
        assertThat(library.call("fetch", Map.of("session", "device", "url", userinfoUrl())).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void aCallWithATokenAboutToExpireRefreshesItFirst() {
        admin.send("PUT", "/admin/realms/" + realm, AdminApi.JSON.createObjectNode().put("accessTokenLifespan", 20));
        guest("device");
        JsonNode before = signIn("device"); // its access token has 20 s left: less than the 30 s the library keeps in hand

        JsonNode userinfo = library.call("fetch", Map.of("session", "device", "url", userinfoUrl()));
        JsonNode after = library.call("session", Map.of("session", "device"));

        assertThat(userinfo.get("status").asInt()).isEqualTo(200);
        assertThat(after.get("accessToken").asText()).as("refreshed before the call").isNotEqualTo(before.get("accessToken").asText());
        assertThat(after.get("refreshToken").asText()).isNotEqualTo(before.get("refreshToken").asText());
        assertThat(admin.events(realm, "LOGIN")).as("a refresh (with a proof by the key), not a new sign-in").hasSize(1);
    }

    @Test
    void aSessionThatEndedAtKeycloakIsReplacedByASignInWithTheKeyAsTheSameGuest() {
        guest("device");
        String sub = signIn("device").get("sub").asText();
        admin.send("POST", "/admin/realms/" + realm + "/users/" + sub + "/logout", null);

        JsonNode after = library.call("refresh", Map.of("session", "device"));

        assertThat(after.get("sub").asText()).isEqualTo(sub);
        assertThat(library.call("fetch", Map.of("session", "device", "url", userinfoUrl())).get("status").asInt()).isEqualTo(200);
        assertThat(admin.events(realm, "LOGIN").toString()).as("a new sign-in, with the device key").contains("device_key");
    }

    @Test
    void aDeviceWhoseClockIsOffSignsInWithAChallengeAndDatesItsProofsByTheServersClock() {
        guest("device");
        JsonNode session;
        JsonNode userinfo;
        JsonNode refreshed;
        server.moveClock(Duration.ofMinutes(3)); // the device now seems 3 minutes behind the server
        try {
            session = signIn("device");
            userinfo = library.call("fetch", Map.of("session", "device", "url", userinfoUrl()));
            refreshed = library.call("refresh", Map.of("session", "device"));
        } finally {
            server.moveClock(Duration.ZERO);
        }

        assertThat(session.get("tokenType").asText()).isEqualTo("DPoP");
        assertThat(library.call("clockOffset", Map.of("guest", "device")).get("clockOffset").asInt()).isBetween(175, 185);
        assertThat(userinfo.get("status").asInt()).as("a proof dated by the server's clock: " + userinfo).isEqualTo(200);
        assertThat(refreshed.get("sub").asText()).isEqualTo(session.get("sub").asText());
    }

    @Test
    void aDeviceThatSignsInMoreOftenThanItsKeysLimitGoesOnWithChallenges() {
        guest("device");
        String sub = signIn("device").get("sub").asText();

        for (int i = 0; i < 34; i++) { // the server allows a key 30 one-request sign-ins a minute
            assertThat(signIn("device").get("sub").asText()).isEqualTo(sub);
        }

        assertThat(admin.events(realm, "LOGIN_ERROR").toString()).as("the key's limit was reached, and a challenge took over")
                .contains("anonymous_key_limit");
    }

    @Test
    void forgettingTheDeviceEndsItsSessionAndRemovesItsKey() {
        guest("device");
        String sub = signIn("device").get("sub").asText();
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + sub + "/sessions")).hasSize(1);

        JsonNode forgotten = library.call("forget", Map.of("guest", "device"));

        assertThat(forgotten.get("hasKey").asBoolean()).isFalse();
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + sub + "/sessions")).as("the session ended").isEmpty();
        assertThat(library.failing("refresh", Map.of("session", "device")).get("reason").asText()).isEqualTo("signed-out");
        assertThat(library.failing("signIn", Map.of("guest", "device", "create", false)).get("reason").asText()).isEqualTo("no-device-key");
        assertThat(signIn("device").get("sub").asText()).as("a new key is a new guest").isNotEqualTo(sub);
    }

    @Test
    void thePromotionLoginHintOpensTheSignUpPageForTheDevicesGuest() throws Exception {
        guest("device");
        signIn("device");
        String loginHint = library.call("promotionLoginHint", Map.of("guest", "device")).get("loginHint").asText();

        JWSObject assertion = JWSObject.parse(loginHint.substring("anonymous:".length()));
        assertThat(loginHint).startsWith("anonymous:");
        assertThat(assertion.getPayload().toJSONObject()).containsEntry("action", "promote");
        assertThat(assertion.getHeader().getJWK().computeThumbprint().toString()).isEqualTo(thumbprint("device"));
        OidcClient.Authorization page = new OidcClient(server, realm, "web-app", appOrigin() + "/callback")
                .authorize(Map.of("kc_action", "promote-anonymous", "login_hint", loginHint));
        assertThat(page.page()).as("Keycloak's sign-up page for the guest").contains("kc-promote-anonymous-form");
    }

    // Each typed error, from the server's answer to a real request.

    @Test
    void aRealmWithAnonymousUsersOffIsAnonymousUsersDisabled() {
        admin.setAnonymousUsersEnabled(realm, false);
        guest("device");

        JsonNode error = signInFailing("device");

        assertThat(error.get("reason").asText()).isEqualTo("anonymous-users-disabled");
        assertThat(error.get("error").asText()).isEqualTo("unauthorized_client");
        assertThat(error.get("status").asInt()).isEqualTo(400);
    }

    @Test
    void aClientTheRealmDoesNotAllowDeviceKeysIsClientNotAllowed() {
        saveSettings(Map.of("deviceKeyClients", "resource-server"));
        guest("device");

        JsonNode error = signInFailing("device");

        assertThat(error.get("reason").asText()).isEqualTo("client-not-allowed");
        assertThat(error.get("errorDescription").asText()).contains("web-app may not use device keys");
    }

    /** With one setting saved, a first device signs in ("first") and a second new device tries: its error. */
    private JsonNode secondNewDeviceWith(String setting, String value) {
        saveSettings(Map.of(setting, value));
        guest("first", Map.of("keyStore", "memory"));
        guest("second", Map.of("keyStore", "memory"));
        signIn("first");
        return signInFailing("second");
    }

    @Test
    void aSecondNewDevicePastTheAddressLimitIsTooManyRequestsWithWhenToRetry() {
        JsonNode error = secondNewDeviceWith("guestsPerAddressPerHour", "1");

        assertThat(error.get("reason").asText()).isEqualTo("too-many-requests");
        assertThat(error.get("status").asInt()).isEqualTo(429);
        assertThat(error.get("retryAfterSeconds").asInt()).isBetween(1, 3600);
    }

    @Test
    void aNewDeviceInARealmThatHoldsItsMaximumOfGuestsIsRealmFull() {
        JsonNode error = secondNewDeviceWith("maxGuests", "1");

        assertThat(error.get("reason").asText()).isEqualTo("realm-full");
        assertThat(error.get("retryAfterSeconds").asInt()).isPositive();
        assertThat(signIn("first").get("isAnonymous").asBoolean()).as("a known device still signs in").isTrue();
    }

    @Test
    void aDeviceWhoseGuestWasDeletedIsDeviceKeyRevokedAtSignInAndAtRefresh() {
        guest("device");
        String sub = signIn("device").get("sub").asText();
        admin.send("DELETE", "/admin/realms/" + realm + "/users/" + sub, null);

        JsonNode atRefresh = library.failing("refresh", Map.of("session", "device"));
        JsonNode atSignIn = signInFailing("device");

        assertThat(atRefresh.get("reason").asText()).isEqualTo("device-key-revoked");
        assertThat(atSignIn.get("reason").asText()).isEqualTo("device-key-revoked");
        assertThat(atSignIn.get("errorDescription").asText()).startsWith("This device key was revoked (guest deleted)");
    }

    @Test
    void aDeviceWhoseAccountIsDisabledIsAccountDisabled() {
        guest("device");
        String sub = signIn("device").get("sub").asText();
        JsonNode user = admin.user(realm, sub);
        ((com.fasterxml.jackson.databind.node.ObjectNode) user).put("enabled", false);
        admin.send("PUT", "/admin/realms/" + realm + "/users/" + sub, user);

        assertThat(signInFailing("device").get("reason").asText()).isEqualTo("account-disabled");
    }

    @Test
    void aDpopProofKeycloakRefusesIsDpopProofRefusedAndSpendsNothing() {
        guest("device", Map.of("replayFirstProof", true)); // its fetch sends the first proof again, as a replay would
        String sub = signIn("device").get("sub").asText();

        JsonNode error = signInFailing("device");

        assertThat(error.get("reason").asText()).as(error.toString()).isEqualTo("dpop-proof-refused");
        assertThat(error.get("error").asText()).isEqualTo("invalid_request");
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + sub + "/sessions")).as("no new session").hasSize(1);
    }

    @Test
    void aScopeTheClientDoesNotHaveIsRefusedWithKeycloaksWords() {
        guest("device", Map.of("scope", "no-such-scope"));

        JsonNode error = signInFailing("device");

        assertThat(error.get("reason").asText()).isEqualTo("refused");
        assertThat(error.get("error").asText()).isEqualTo("invalid_scope");
        assertThat(admin.countUsers(realm)).as("nobody was created").isEqualTo(1);
    }
}
