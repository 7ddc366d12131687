package dev.anonymoususers.devicekeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient.Answer;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.OidcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad device assertion gets HTTP 400 with an OAuth error and a description that says what was wrong, and
 * changes nothing: no user, no credential, no session; an existing guest stays as it was.
 */
class DeviceKeyBadInputIT extends DeviceKeyRealm {

    DeviceAssertions.Builder fresh(KeyPair key) {
        return DeviceAssertions.signedBy(key).challenge(app.challenge());
    }

    /** Asserts the refusal, and that the realm has exactly as many users as before the attempt. */
    void refused(Supplier<Answer> attempt, String error, String descriptionPart) {
        refusedIn(realm, attempt, error, descriptionPart);
    }

    void refusedIn(String realmName, Supplier<Answer> attempt, String error, String descriptionPart) {
        int users = admin.countUsers(realmName);
        int sessions = sessionCount(realmName);

        Answer answer = attempt.get();

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo(error);
        assertThat(answer.errorDescription()).contains(descriptionPart);
        assertThat(admin.countUsers(realmName)).as("users").isEqualTo(users);
        assertThat(sessionCount(realmName)).as("sessions").isEqualTo(sessions);
    }

    int sessionCount(String realmName) {
        int count = 0;
        for (JsonNode client : admin.get("/admin/realms/" + realmName + "/client-session-stats")) {
            count += client.path("active").asInt();
        }
        return count;
    }

    /** An existing guest with its device key, and a snapshot of what it has. */
    record Guest(KeyPair key, String id, JsonNode credentials) {
    }

    Guest existingGuest() {
        KeyPair key = DeviceAssertions.ecP256();
        String id = app.signIn(fresh(key).build()).sub();
        return new Guest(key, id, admin.get("/admin/realms/" + realm + "/users/" + id + "/credentials"));
    }

    void unchanged(Guest guest) {
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + guest.id() + "/credentials")).isEqualTo(guest.credentials());
    }

    // Algorithms

    @Test
    void algNoneIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).unsigned().build()), "invalid_grant", "alg none is not accepted");
    }

    @Test
    void hs256WithThePublicKeyAsSecretIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).hs256WithPublicKeyAsSecret().build()),
                "invalid_grant", "The assertion alg is not accepted");
    }

    @Test
    void algThatDoesNotMatchTheKeyIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).header("alg", "RS256").build()),
                "invalid_grant", "The assertion alg does not match the key: this key signs with ES256");
    }

    @Test
    void rsaKeyBelow2048BitsIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.rsa(1024)).build()), "invalid_grant", "RSA device keys must have 2048 to 4096 bits; this one has 1024");
    }

    @Test
    void curveOtherThanP256ForEs256IsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP384()).header("alg", "ES256").build()),
                "invalid_grant", "must use the curve P-256");
    }

    @Test
    void jwkWithPrivateMembersIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).jwkWithPrivateMember("d", "c2VjcmV0").build()),
                "invalid_grant", "carries private key material (d)");
    }

    // Challenges

    @Test
    void missingChallengeIsRefused() {
        refused(() -> app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).build()),
                "invalid_grant", "neither a challenge nor a jti claim");
    }

    @Test
    void challengeWithAlteredClaimsIsRefused() {
        String[] parts = app.challenge().split("\\.");
        JsonNode claims = AdminApi.read(new String(Base64.getUrlDecoder().decode(parts[1])));
        String longer = ((com.fasterxml.jackson.databind.node.ObjectNode) claims).put("exp", claims.get("exp").asLong() + 86400).toString();
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(longer.getBytes()) + "." + parts[2];

        refused(() -> app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(altered).build()),
                "invalid_grant", "unknown or expired");
    }

    @Test
    void challengeSignedWithAnotherKeyIsRefused() throws Exception {
        String[] parts = app.challenge().split("\\.");
        JWSObject forged = new JWSObject(JWSHeader.parse(Base64URL.from(parts[0]).decodeToString()), new Payload(Base64URL.from(parts[1])));
        byte[] secret = new byte[64];
        new java.security.SecureRandom().nextBytes(secret);
        forged.sign(new MACSigner(secret));

        refused(() -> app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(forged.serialize()).build()),
                "invalid_grant", "unknown or expired");
    }

    @Test
    void aTokenTheRealmSignedForSomethingElseIsNoChallenge() {
        String accessToken = admin.tokenOf(realm, "alice", "alice-password");

        refused(() -> app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(accessToken).build()),
                "invalid_grant", "unknown or expired");
    }

    @Test
    void aFloodOfChallengeRequestsLeavesNothingInTheClustersStore() {
        double before = server.singleUseStoreEntries();

        int issued = 0;
        for (int i = 0; i < 500; i++) {
            issued += app.requestChallenge().statusCode() == 200 ? 1 : 0;
        }
        double after = server.singleUseStoreEntries();

        System.out.printf("Challenge flood: %d requests, %d challenges issued, single-use store entries %.0f before, %.0f after%n",
                500, issued, before, after);
        assertThat(issued).isEqualTo(300);
        assertThat(after - before).isLessThanOrEqualTo(5); // nothing from the flood; 5 for other traffic, if any
    }

    @Test
    void unknownChallengeIsRefused() {
        refused(() -> app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256())
                .challenge(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32])).build()),
                "invalid_grant", "unknown or expired");
    }

    @Test
    void expiredChallengeIsRefused() throws InterruptedException {
        String shortLived = admin.importGuestsRealm(REDIRECT_URI, true);
        admin.saveAnonymousUsersSettings(shortLived, Map.of("enabled", List.of("true"), "challengeLifetimeSeconds", List.of("1")));
        DeviceKeyClient client = new DeviceKeyClient(server, shortLived, "web-app");
        String challenge = client.challenge();
        Thread.sleep(2500); // let the one-second challenge expire

        refusedIn(shortLived, () -> client.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(challenge).build()),
                "invalid_grant", "unknown or expired");
    }

    @Test
    void usedChallengeIsRefused() {
        String challenge = app.challenge();
        assertThat(app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(challenge).build()).ok()).isTrue();

        refused(() -> app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(challenge).build()),
                "invalid_grant", "already used");
    }

    @Test
    void challengeIsUsedUpByAFailedAttemptToo() {
        KeyPair key = DeviceAssertions.ecP256();
        String challenge = app.challenge();
        app.signIn(DeviceAssertions.signedBy(key).challenge(challenge).header("typ", "JWT").build());

        refused(() -> app.signIn(DeviceAssertions.signedBy(key).challenge(challenge).build()), "invalid_grant", "already used");
    }

    @Test
    void challengeOfAnotherRealmIsRefused() {
        String other = admin.importGuestsRealm(REDIRECT_URI, true);
        String challenge = new DeviceKeyClient(server, other, "web-app").challenge();

        refused(() -> app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(challenge).build()),
                "invalid_grant", "issued by another realm");
    }

    @Test
    void sameChallengeSentTwiceAtTheSameMomentSucceedsExactlyOnce() throws Exception {
        KeyPair key = DeviceAssertions.ecP256();
        String assertion = fresh(key).build();
        int users = admin.countUsers(realm);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            Callable<Answer> attempt = () -> {
                start.await();
                return app.signIn(assertion);
            };
            answers.add(pool.submit(attempt));
            answers.add(pool.submit(attempt));
            start.countDown();

            List<Answer> results = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                results.add(answer.get());
            }
            assertThat(results).filteredOn(Answer::ok).hasSize(1);
            assertThat(results).filteredOn(answer -> !answer.ok())
                    .singleElement().satisfies(answer -> assertThat(answer.error()).isEqualTo("invalid_grant"));
            assertThat(admin.countUsers(realm)).isEqualTo(users + 1);
        } finally {
            pool.shutdownNow();
        }
    }

    // Claims

    @Test
    void missingActionIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).claim("action", null).build()), "invalid_grant", "no action claim");
    }

    @Test
    void unknownActionIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).action("delete").build()), "invalid_grant", "The assertion action is unknown; use auth or promote");
    }

    @Test
    void promoteActionIsNotASignIn() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).action("promote").build()), "invalid_grant", "is for promoting a guest");
    }

    @Test
    void missingTypIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).header("typ", null).build()), "invalid_grant", "has no typ");
    }

    @Test
    void wrongTypIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).header("typ", "JWT").build()),
                "invalid_grant", "The assertion header typ is not device-key+jwt");
    }

    @Test
    void aChallengeSentAsTheAssertionIsToldWhereTheChallengeGoes() {
        refused(() -> app.signIn(app.challenge()), "invalid_grant",
                "This is a challenge from the challenge endpoint, not an assertion: put it in the challenge claim");
    }

    @Test
    void iatInMillisecondsIsToldToBeInSeconds() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).claim("iat", System.currentTimeMillis()).build()),
                "invalid_grant", "The assertion iat is in milliseconds; it must be in seconds since the epoch");
    }

    @Test
    void iatFarFromNowIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).claim("iat", System.currentTimeMillis() / 1000 - 3600).build()),
                "invalid_grant", "seconds away from the server's clock");
    }

    // Keys

    @Test
    void signatureByAnotherKeyThanTheOneInTheHeaderIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).signWith(DeviceAssertions.ecP256()).build()),
                "invalid_grant", "signature does not verify");
    }

    @Test
    void signatureByAnotherKeyThanTheRegisteredKidIsRefusedAndTheGuestIsUntouched() {
        Guest guest = existingGuest();

        refused(() -> app.signIn(fresh(guest.key()).kidInsteadOfJwk().signWith(DeviceAssertions.ecP256()).build()),
                "invalid_grant", "signature does not verify");
        unchanged(guest);
    }

    @Test
    void kidThatMatchesNoKeyIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).kidInsteadOfJwk().build()), "invalid_grant", "No device key with this kid");
    }

    @Test
    void keyOfADeletedGuestIsRefusedAndCreatesNoNewGuest() {
        Guest guest = existingGuest();
        admin.send("DELETE", "/admin/realms/" + realm + "/users/" + guest.id(), null);

        refused(() -> app.signIn(fresh(guest.key()).build()), "invalid_grant", "revoked (guest deleted)");
        refused(() -> app.signIn(fresh(guest.key()).kidInsteadOfJwk().build()), "invalid_grant", "revoked (guest deleted)");
    }

    @Test
    void keyOfADisabledGuestIsRefused() {
        Guest guest = existingGuest();
        JsonNode user = admin.user(realm, guest.id());
        ((com.fasterxml.jackson.databind.node.ObjectNode) user).put("enabled", false);
        admin.send("PUT", "/admin/realms/" + realm + "/users/" + guest.id(), user);

        refused(() -> app.signIn(fresh(guest.key()).build()), "invalid_grant", "disabled");
        unchanged(guest);
    }

    @Test
    void keyWhoseCredentialWasRemovedAsPromotionDoesIsRefused() {
        Guest guest = existingGuest();
        admin.send("DELETE", "/admin/realms/" + realm + "/users/" + guest.id() + "/credentials/"
                + guest.credentials().get(0).get("id").asText(), null);

        refused(() -> app.signIn(fresh(guest.key()).build()), "invalid_grant", "revoked (device key removed from its account)");
    }

    // MalformedRequests

    @Test
    void unknownScopeIsRefusedBeforeAnyGuestIsCreated() {
        refused(() -> app.token(Map.of("grant_type", DeviceKeyClient.GRANT_TYPE, "scope", "openid no-such-scope",
                "assertion", fresh(DeviceAssertions.ecP256()).build())), "invalid_scope", "Invalid scopes");
    }

    @Test
    void missingAssertionIsRefused() {
        refused(() -> app.signIn(null), "invalid_request", "Missing parameter: assertion");
    }

    @Test
    void malformedBase64IsRefused() {
        refused(() -> app.signIn("eyJ@@@.eyJhIjoxfQ.c2ln"), "invalid_request", "not base64url");
    }

    @Test
    void malformedJsonIsRefused() {
        String notJson = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"typ\":".getBytes());
        refused(() -> app.signIn(notJson + ".eyJhIjoxfQ.c2ln"), "invalid_request", "header is not a JSON object");
    }

    @Test
    void nestedJwtIsRefused() {
        String inner = fresh(DeviceAssertions.ecP256()).build();
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"typ\":\"device-key+jwt\",\"alg\":\"ES256\",\"cty\":\"JWT\"}".getBytes());
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(inner.getBytes());
        refused(() -> app.signIn(header + "." + payload + ".c2ln"), "invalid_request", "Nested JWTs are not accepted");
    }

    @Test
    void encryptedJwtIsRefused() {
        refused(() -> app.signIn("a.b.c.d.e"), "invalid_request", "Encrypted JWTs are not accepted");
    }

    @Test
    void assertionOver8KibIsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.ecP256()).claim("padding", "x".repeat(9000)).build()),
                "invalid_request", "larger than 8 KiB");
    }

    // RealmAndClient

    @Test
    void realmWithAnonymousUsersOffRefusesTheGrant() {
        String off = admin.importGuestsRealm(REDIRECT_URI, false);
        DeviceKeyClient client = new DeviceKeyClient(server, off, "web-app");

        refusedIn(off, () -> client.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge("x").build()),
                "unauthorized_client", "Anonymous users are disabled for this realm");
        assertThat(client.requestChallenge().statusCode()).isEqualTo(403);
    }

    @Test
    void clientThatIsNotAllowedToUseDeviceKeysIsRefused() {
        String limited = admin.importGuestsRealm(REDIRECT_URI, true);
        admin.addPublicClient(limited, "mobile-app", REDIRECT_URI);
        admin.saveAnonymousUsersSettings(limited, Map.of("enabled", List.of("true"), "deviceKeyClients", List.of("mobile-app")));
        DeviceKeyClient client = new DeviceKeyClient(server, limited, "web-app");

        refusedIn(limited, () -> client.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(client.challenge()).build()),
                "unauthorized_client", "The client web-app may not use device keys");
    }

    @Test
    void challengeLifetimeAnAdminGetsWrongIsRefusedWithAClearError() {
        var answer = admin.trySaveAnonymousUsersSettings(realm, Map.of("enabled", List.of("true"), "challengeLifetimeSeconds", List.of("0")));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("Device challenge lifetime (seconds) (challengeLifetimeSeconds) must be from 1 to 3600");
        assertThat(admin.anonymousUsersSettingsConfig(realm).path("challengeLifetimeSeconds").isMissingNode()).isTrue();
    }

    @Test
    void rsaKeyOfMoreThan4096BitsIsRefusedBeforeItsSignatureIsChecked() {
        refused(() -> app.signIn(fresh(DeviceAssertions.rsa(4104)).build()), "invalid_grant",
                "RSA device keys must have 2048 to 4096 bits; this one has 4104");
    }

    /** Attack: a forged RS256 assertion with a huge public exponent costs the server several ES256 verifications. */
    @Test
    void rsaKeyWithAnotherExponentThan65537IsRefused() {
        refused(() -> app.signIn(fresh(DeviceAssertions.rsa(2048, 3)).build()), "invalid_grant",
                "RSA device keys must have the public exponent 65537");
    }

    @Test
    void rsaKeysOf2048To4096BitsWithExponent65537SignIn() {
        assertThat(app.signIn(fresh(DeviceAssertions.rsa(2048)).build()).ok()).isTrue();
        assertThat(app.signIn(fresh(DeviceAssertions.rsa(4096)).build()).ok()).isTrue();
    }

    /**
     * Attack: a phishing line in a header or claim came back to the app in error_description, which apps show. The
     * description names the problem in our words, on the token endpoint and in the browser alike.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"typ", "alg", "action", "crv", "kty"})
    void errorDescriptionsNeverEchoWhatTheAssertionSays(String member) {
        String phishing = "Your-account-is-locked-call-0800-123456";
        KeyPair key = DeviceAssertions.ecP256();
        Supplier<String> forged = () -> (switch (member) {
            case "typ" -> fresh(key).header("typ", phishing);
            case "alg" -> fresh(key).header("alg", phishing);
            case "action" -> fresh(key).action(phishing);
            case "crv" -> fresh(key).header("jwk", Map.of("kty", "EC", "crv", phishing, "x", "AAAA", "y", "AAAA"));
            default -> fresh(key).header("jwk", Map.of("kty", phishing, "x", "AAAA"));
        }).build();

        Answer grant = app.signIn(forged.get());
        OidcClient.Authorization browser = new OidcClient(server, realm, "web-app", REDIRECT_URI)
                .authorize(Map.of("kc_action", "promote-anonymous", "login_hint", "anonymous:" + forged.get()));

        assertThat(grant.error()).isEqualTo("invalid_grant");
        assertThat(grant.errorDescription()).doesNotContain(phishing);
        assertThat(browser.error()).isEqualTo("access_denied");
        assertThat(browser.errorDescription()).isNotBlank().doesNotContain(phishing);
    }

    // Browser

    @Test
    void badAssertionInTheLoginHintReturnsAnOAuthErrorAndCreatesNobody() {
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        int users = admin.countUsers(realm);

        OidcClient.Authorization answer = browser.authorize(Map.of("kc_action", "promote-anonymous", "login_hint",
                "anonymous:" + fresh(DeviceAssertions.ecP256()).action("promote").signWith(DeviceAssertions.ecP256()).build()));

        assertThat(answer.reachedApp()).as("page: %s", answer.page()).isTrue();
        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).contains("signature does not verify");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void malformedAssertionInTheLoginHintReturnsAnOAuthError() {
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);

        OidcClient.Authorization answer = browser.authorize(Map.of("kc_action", "promote-anonymous",
                "login_hint", "anonymous:not-a-jws"));

        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).contains("not a compact JWS");
    }
}
