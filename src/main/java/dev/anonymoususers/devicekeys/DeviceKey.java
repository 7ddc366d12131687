package dev.anonymoususers.devicekeys;

import java.io.IOException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.Set;

import org.keycloak.common.VerificationException;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyType;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JWKSUtils;
import org.keycloak.util.JsonSerialization;

/**
 * A device's public key, with the one algorithm it signs with. The algorithm is fixed by the key — EC P-256 signs
 * ES256, RSA of 2048 to 4096 bits with exponent 65537 RS256, Ed25519 EdDSA — never by an assertion's header.
 *
 * @param jwk        the public JWK, without any private member
 * @param algorithm  the JWS algorithm of this key
 * @param thumbprint the key's RFC 7638 SHA-256 thumbprint, base64url: its {@code kid}
 */
public record DeviceKey(JWK jwk, String algorithm, String thumbprint) {

    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 4096;
    private static final java.math.BigInteger RSA_EXPONENT = java.math.BigInteger.valueOf(65537);

    /** JWK members that carry private key material (RFC 7518 §6). */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /** Reads and checks a public key sent in an assertion's {@code jwk} header. */
    static DeviceKey fromHeader(Object jwkMember) throws DeviceKeyError {
        if (!(jwkMember instanceof Map<?, ?> members)) {
            throw DeviceKeyError.invalidGrant("The jwk header is not a JSON object");
        }
        for (Object name : members.keySet()) {
            if (PRIVATE_MEMBERS.contains(String.valueOf(name))) {
                throw DeviceKeyError.invalidGrant("The jwk header carries private key material (" + name
                        + "); send the public key only, and treat this key as compromised");
            }
        }
        JWK jwk;
        try {
            jwk = JsonSerialization.mapper.convertValue(members, JWK.class);
        } catch (IllegalArgumentException e) {
            throw DeviceKeyError.invalidGrant("The jwk header is not a valid JSON Web Key");
        }
        return of(jwk);
    }

    /** A key as stored with its guest; checked again, so a stored key obeys today's rules. */
    static DeviceKey fromStored(String jwkJson) throws DeviceKeyError {
        try {
            return of(JsonSerialization.readValue(jwkJson, JWK.class));
        } catch (IOException e) {
            throw DeviceKeyError.invalidGrant("The stored device key cannot be read");
        }
    }

    private static DeviceKey of(JWK jwk) throws DeviceKeyError {
        String algorithm = algorithmOf(jwk);
        PublicKey publicKey = publicKey(jwk);
        if (publicKey instanceof RSAPublicKey rsa) {
            checkRsa(rsa);
        }
        JWK publicJwk = new JWK();
        publicJwk.setKeyType(jwk.getKeyType());
        for (String member : switch (jwk.getKeyType()) {
            case KeyType.EC -> new String[] { "crv", "x", "y" };
            case KeyType.RSA -> new String[] { "n", "e" };
            default -> new String[] { "crv", "x" };
        }) {
            publicJwk.setOtherClaims(member, jwk.getOtherClaim(member, String.class));
        }
        return new DeviceKey(publicJwk, algorithm, JWKSUtils.computeThumbprint(publicJwk));
    }

    /**
     * RSA keys of 2048 to 4096 bits with the public exponent 65537, as every platform key store makes them: a
     * verification then costs what an honest key costs, and a forged assertion with a huge modulus or exponent is
     * refused before any signature is checked. A stored key outside the range is refused at its next sign-in.
     */
    private static void checkRsa(RSAPublicKey rsa) throws DeviceKeyError {
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
            throw DeviceKeyError.invalidGrant("RSA device keys must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS
                    + " bits; this one has " + bits + ": create a new key pair on the device");
        }
        if (!RSA_EXPONENT.equals(rsa.getPublicExponent())) {
            throw DeviceKeyError.invalidGrant("RSA device keys must have the public exponent 65537 (AQAB); "
                    + "create a new key pair on the device");
        }
    }

    private static String algorithmOf(JWK jwk) throws DeviceKeyError {
        String type = jwk.getKeyType();
        String curve = jwk.getOtherClaim("crv", String.class);
        if (KeyType.EC.equals(type)) {
            if (!"P-256".equals(curve)) {
                throw DeviceKeyError.invalidGrant("EC device keys must use the curve P-256 (for ES256)");
            }
            return Algorithm.ES256;
        }
        if (KeyType.RSA.equals(type)) {
            return Algorithm.RS256;
        }
        if (KeyType.OKP.equals(type)) {
            if (!"Ed25519".equals(curve)) {
                throw DeviceKeyError.invalidGrant("OKP device keys must use the curve Ed25519 (for EdDSA)");
            }
            return Algorithm.EdDSA;
        }
        throw DeviceKeyError.invalidGrant("Device keys must be EC P-256, RSA or Ed25519: the jwk's kty is none of them");
    }

    private static PublicKey publicKey(JWK jwk) throws DeviceKeyError {
        try {
            KeyWrapper wrapper = JWKSUtils.getKeyWrapper(jwk);
            if (wrapper == null || wrapper.getPublicKey() == null) {
                throw DeviceKeyError.invalidGrant("The jwk is not a public key Keycloak can read");
            }
            return (PublicKey) wrapper.getPublicKey();
        } catch (RuntimeException e) {
            throw DeviceKeyError.invalidGrant("The jwk is not a valid public key: its members do not describe a key of its kty and crv");
        }
    }

    /**
     * Why {@code signature} is not in the form the JOSE specifications give for this key's algorithm, or null if it
     * is: ES256 and EdDSA (Ed25519) signatures are 64 bytes (RFC 7518 §3.4: R||S; RFC 8037), RS256 signatures as
     * long as the modulus. Other encodings, such as the DER form of ECDSA signatures, are refused, not converted.
     */
    String signatureFormProblem(byte[] signature) {
        int expected = switch (algorithm) {
            case Algorithm.ES256, Algorithm.EdDSA -> 64;
            default -> (rsaModulusBits() + 7) / 8;
        };
        if (signature.length == expected) {
            return null;
        }
        if (algorithm.equals(Algorithm.ES256)) {
            return "An ES256 signature must be the 64-byte R||S value of RFC 7518 section 3.4; this one has " + signature.length
                    + " bytes" + (signature.length > 0 && signature[0] == 0x30 ? " and is DER-encoded, as Android Keystore, "
                    + "iOS SecKeyCreateSignature and Java's SHA256withECDSA give it: convert it to R||S (docs/device-keys.md)" : "");
        }
        return "A " + algorithm + " signature of this key has " + expected + " bytes; this one has " + signature.length;
    }

    private int rsaModulusBits() {
        try {
            return ((RSAPublicKey) JWKSUtils.getKeyWrapper(jwk).getPublicKey()).getModulus().bitLength();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Checks {@code signature} over {@code signingInput} with Keycloak's own signature provider for this key's algorithm. */
    boolean verifies(KeycloakSession session, byte[] signingInput, byte[] signature) {
        try {
            KeyWrapper key = JWKSUtils.getKeyWrapper(jwk);
            key.setAlgorithm(algorithm);
            return session.getProvider(SignatureProvider.class, algorithm).verifier(key).verify(signingInput, signature);
        } catch (VerificationException | RuntimeException e) {
            return false;
        }
    }
}
