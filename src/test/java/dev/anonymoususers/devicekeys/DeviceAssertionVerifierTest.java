package dev.anonymoususers.devicekeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.anonymoususers.testing.DeviceAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.common.crypto.CryptoIntegration;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.util.JWKSUtils;

class DeviceAssertionVerifierTest {

    final List<String> consumed = new ArrayList<>();
    final java.util.Map<String, Long> ownIdsSpent = new java.util.LinkedHashMap<>();
    final KeyPair registered = DeviceAssertions.ecP256();

    @BeforeAll
    static void keycloakCrypto() {
        CryptoIntegration.init(DeviceAssertionVerifierTest.class.getClassLoader());
    }

    DeviceAssertionVerifier verifier() {
        return new DeviceAssertionVerifier(
                new DeviceAssertionVerifier.Freshness() {
                    @Override
                    public void spendChallenge(String challenge) {
                        consumed.add(challenge);
                    }

                    @Override
                    public void spendOwnId(String thumbprint, String jti, long seconds) throws DeviceKeyError {
                        if (ownIdsSpent.putIfAbsent(thumbprint + "." + jti, seconds) != null) {
                            throw DeviceKeyError.invalidGrant("already used");
                        }
                    }
                },
                thumbprint -> {
                    if (!thumbprint.equals(DeviceAssertions.thumbprint(registered))) {
                        throw DeviceKeyError.invalidGrant("No device key with this kid");
                    }
                    return DeviceKey.fromHeader(toMap(DeviceAssertions.publicJwk(registered)));
                },
                DeviceAssertionVerifierTest::jcaVerifies);
    }

    DeviceAssertions.Builder assertion(KeyPair key) {
        return DeviceAssertions.signedBy(key).challenge("challenge-1");
    }

    @Test
    void wellFormedEs256AssertionProvesItsKeyAndAction() throws Exception {
        KeyPair key = DeviceAssertions.ecP256();

        DeviceAssertionVerifier.Verified verified = verifier().verify(assertion(key).build());

        assertThat(verified.key().algorithm()).isEqualTo("ES256");
        assertThat(verified.key().thumbprint()).isEqualTo(DeviceAssertions.thumbprint(key));
        assertThat(verified.action()).isEqualTo(DeviceAction.AUTH);
        assertThat(consumed).containsExactly("challenge-1");
    }

    @Test
    void rs256AndEdDsaKeysSignWithTheirOwnAlgorithm() throws Exception {
        assertThat(verifier().verify(assertion(DeviceAssertions.rsa(2048)).build()).key().algorithm()).isEqualTo("RS256");
        assertThat(verifier().verify(assertion(DeviceAssertions.ed25519()).build()).key().algorithm()).isEqualTo("EdDSA");
    }

    @Test
    void registeredKeyIsFoundByItsKid() throws Exception {
        DeviceAssertionVerifier.Verified verified = verifier().verify(assertion(registered).kidInsteadOfJwk().build());

        assertThat(verified.key().thumbprint()).isEqualTo(DeviceAssertions.thumbprint(registered));
    }

    @Test
    void challengeIsUsedUpBeforeAnythingElseIsChecked() {
        assertThatThrownBy(() -> verifier().verify(assertion(DeviceAssertions.ecP256()).header("typ", "JWT").build()))
                .isInstanceOf(DeviceKeyError.class);

        assertThat(consumed).containsExactly("challenge-1");
    }

    @Test
    void thumbprintIgnoresOptionalJwkMembers() throws Exception {
        KeyPair key = DeviceAssertions.ecP256();

        DeviceAssertionVerifier.Verified verified = verifier().verify(assertion(key).build());

        assertThat(verified.key().jwk().getOtherClaims()).containsOnlyKeys("crv", "x", "y");
        assertThat(verified.key().jwk().getKeyId()).isNull();
    }

    @Test
    void malformedAssertionsAreInvalidRequests() {
        assertRefused(null, "invalid_request", "Missing parameter: assertion");
        assertRefused("", "invalid_request", "Missing parameter: assertion");
        assertRefused("a.b", "invalid_request", "not a compact JWS");
        assertRefused("a.b.c.d.e", "invalid_request", "Encrypted JWTs are not accepted");
        assertRefused("e30=.e30.c2ln", "invalid_request", "header is not base64url without padding");
        assertRefused(b64("[1,2]") + ".e30.c2ln", "invalid_request", "header is not a JSON object");
        assertRefused(b64("{}") + "." + b64("nope") + ".c2ln", "invalid_request", "payload is not a JSON object");
        assertRefused("x".repeat(DeviceAssertion.MAX_LENGTH + 1), "invalid_request", "larger than 8 KiB");
        assertThat(consumed).isEmpty();
    }

    @Test
    void headerProblemsAreInvalidGrants() {
        KeyPair key = DeviceAssertions.ecP256();
        assertRefused(assertion(key).header("alg", null).build(), "invalid_grant", "has no alg");
        assertRefused(assertion(key).header("alg", "ES512").build(), "invalid_grant", "The assertion alg is not accepted");
        assertRefused(assertion(key).header("crit", List.of("exp")).build(), "invalid_grant", "crit extensions");
        assertRefused(assertion(key).header("jwk", null).build(), "invalid_grant", "needs jwk (the public key) or kid");
        assertRefused(assertion(key).header("jwk", "not an object").build(), "invalid_grant", "jwk header is not a JSON object");
        assertRefused(assertion(key).kidInsteadOfJwk().header("kid", "unknown").build(), "invalid_grant", "No device key with this kid");
    }

    @Test
    void claimProblemsAreInvalidGrants() {
        KeyPair key = DeviceAssertions.ecP256();
        assertRefused(assertion(key).claim("iat", "yesterday").build(), "invalid_grant", "no numeric iat claim");
        assertRefused(assertion(key).claim("iat", System.currentTimeMillis() / 1000 + 3600).build(), "invalid_grant", "seconds away");
        assertRefused(assertion(key).claim("challenge", "").build(), "invalid_grant", "neither a challenge nor a jti claim");
    }

    @Test
    void iatWithinFiveMinutesOfTheServerClockIsAccepted() throws Exception {
        verifier().verify(assertion(DeviceAssertions.ecP256()).claim("iat", System.currentTimeMillis() / 1000 - 250).build());
    }

    DeviceAssertions.Builder oneRequest(KeyPair key) {
        return DeviceAssertions.signedBy(key).ownId();
    }

    @Test
    void assertionWithItsOwnJtiNeedsNoChallengeAndIsSpentForItsWindow() throws Exception {
        KeyPair key = DeviceAssertions.ecP256();
        String jti = "k3Hq0Z6yYwV2nS8pXb1tGg";

        DeviceAssertionVerifier.Verified verified = verifier().verify(oneRequest(key).claim("jti", jti).build());

        assertThat(verified.key().thumbprint()).isEqualTo(DeviceAssertions.thumbprint(key));
        assertThat(consumed).isEmpty();
        assertThat(ownIdsSpent).containsOnlyKeys(DeviceAssertions.thumbprint(key) + "." + jti);
        assertThat(ownIdsSpent.values().iterator().next()).isBetween(60L, 62L); // iat now: the rest of its minute, and one
        assertRefused(oneRequest(key).claim("jti", jti).build(), "invalid_grant", "already used");
    }

    @Test
    void aUuidIsAGoodJti() throws Exception {
        verifier().verify(oneRequest(DeviceAssertions.ecP256()).claim("jti", java.util.UUID.randomUUID().toString()).build());
        assertThat(ownIdsSpent).hasSize(1);
    }

    @Test
    void ownJtiIsSpentOnlyWhenTheSignatureVerifies() {
        assertRefused(oneRequest(DeviceAssertions.ecP256()).signWith(DeviceAssertions.ecP256()).build(), "invalid_grant",
                "signature does not verify");
        assertRefused(oneRequest(DeviceAssertions.ecP256()).header("typ", "JWT").build(), "invalid_grant", "typ");

        assertThat(ownIdsSpent).isEmpty();
    }

    @Test
    void freshnessIsAChallengeOrAnOwnJtiNeverBothAndNeverNeither() {
        KeyPair key = DeviceAssertions.ecP256();
        assertRefused(oneRequest(key).challenge("challenge-1").build(), "invalid_grant", "both a challenge and a jti");
        assertRefused(DeviceAssertions.signedBy(key).build(), "invalid_grant", "neither a challenge nor a jti claim");
        assertThat(consumed).isEmpty();
        assertThat(ownIdsSpent).isEmpty();
    }

    @Test
    void ownJtiMustBeLongAndRandomLooking() {
        KeyPair key = DeviceAssertions.ecP256();
        for (Object bad : List.of("1", "short-id", "x".repeat(65), "has spaces in it 0123456789", "slash/slash/slash/slash/", 12345678901234567L)) {
            assertRefused(oneRequest(key).claim("jti", bad).build(), "invalid_grant", "jti must be a new random string");
        }
        assertThat(ownIdsSpent).isEmpty();
    }

    @Test
    void ownJtiNeedsAnIatWithinAMinuteAndSaysWhatToDoWhenTheClockIsOff() throws Exception {
        KeyPair key = DeviceAssertions.ecP256();
        long now = System.currentTimeMillis() / 1000;
        verifier().verify(oneRequest(key).claim("iat", now - 50).build());
        verifier().verify(oneRequest(key).claim("iat", now + 50).build());
        verifier().verify(oneRequest(key).claim("iat", now + 0.5).build()); // a NumericDate may have a fraction (RFC 7519)

        assertRefused(oneRequest(key).claim("iat", now - 90).build(), "invalid_grant", "signs a challenge instead");
        assertRefused(oneRequest(key).claim("iat", now + 90).build(), "invalid_grant", "at most 60 are accepted");
        assertRefused(oneRequest(key).claim("iat", null).build(), "invalid_grant", "no numeric iat claim");
    }

    @Test
    void keyTypesOutsideTheAllowListAreRefused() {
        assertRefused(assertion(DeviceAssertions.ecP384()).header("alg", "ES256").build(), "invalid_grant", "curve P-256");
        assertRefused(assertion(DeviceAssertions.rsa(1024)).build(), "invalid_grant", "2048 to 4096 bits; this one has 1024");
        assertRefused(assertion(DeviceAssertions.ecP256()).jwkWithPrivateMember("d", "AAAA").build(), "invalid_grant", "private key material (d)");
    }

    @Test
    void tamperedPayloadDoesNotVerify() {
        String good = assertion(DeviceAssertions.ecP256()).build();
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + b64("{\"challenge\":\"challenge-1\",\"action\":\"auth\",\"iat\":"
                + System.currentTimeMillis() / 1000 + ",\"x\":1}") + "." + parts[2];

        assertRefused(tampered, "invalid_grant", "signature does not verify");
    }

    private void assertRefused(String compact, String error, String descriptionPart) {
        assertThatThrownBy(() -> verifier().verify(compact))
                .isInstanceOfSatisfying(DeviceKeyError.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.description()).contains(descriptionPart);
                });
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> toMap(org.keycloak.jose.jwk.JWK jwk) {
        return dev.anonymoususers.testing.AdminApi.JSON.convertValue(jwk, java.util.Map.class);
    }

    /** The JDK's own check, so the verifier's logic is tested apart from Keycloak's providers (the ITs cover those). */
    private static boolean jcaVerifies(DeviceKey key, byte[] signingInput, byte[] signature) {
        try {
            KeyWrapper wrapper = JWKSUtils.getKeyWrapper(key.jwk());
            PublicKey publicKey = (PublicKey) wrapper.getPublicKey();
            String jca = switch (key.algorithm()) {
                case "ES256" -> "SHA256withECDSAinP1363Format";
                case "RS256" -> "SHA256withRSA";
                default -> "Ed25519";
            };
            boolean ec = key.algorithm().equals("ES256");
            // The JDK's providers by name: Keycloak's crypto puts BouncyCastle first, which lacks the P1363 form.
            Signature verifier = ec ? Signature.getInstance(jca, "SunEC") : Signature.getInstance(jca);
            KeyFactory keys = ec ? KeyFactory.getInstance("EC", "SunEC") : KeyFactory.getInstance(publicKey.getAlgorithm());
            verifier.initVerify(keys.generatePublic(new X509EncodedKeySpec(publicKey.getEncoded())));
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }
}
