package dev.anonymoususers.testing;

import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

/**
 * JWS signatures made by Nimbus JOSE+JWT, in the form RFC 7518 and RFC 8037 define (ES256 as R||S), for the test
 * client: the algorithm follows the key, EC P-256 → ES256 (P-384 → ES384), RSA → RS256, Ed25519 → EdDSA.
 */
public final class JoseSigner {

    private JoseSigner() {
    }

    public static byte[] sign(PrivateKey key, byte[] signingInput) {
        try {
            return switch (key.getAlgorithm()) {
                case "EC" -> {
                    ECDSASigner signer = new ECDSASigner((ECPrivateKey) key);
                    // A P-384 key signs ES384, whatever header a test bends it into.
                    JWSAlgorithm algorithm = signer.supportedJWSAlgorithms().iterator().next();
                    yield signer.sign(new JWSHeader(algorithm), signingInput).decode();
                }
                // Weak keys too, so tests can show the server refusing them.
                case "RSA" -> new RSASSASigner(key, Set.of(AllowWeakRSAKey.getInstance()))
                        .sign(new JWSHeader(JWSAlgorithm.RS256), signingInput).decode();
                default -> new Ed25519Signer(ed25519(key)).sign(new JWSHeader(JWSAlgorithm.EdDSA), signingInput).decode();
            };
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nimbus takes Ed25519 keys as raw 32-byte values: the tail of the JDK's PKCS#8 encoding. */
    private static OctetKeyPair ed25519(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        byte[] d = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        byte[] x = publicOf(d);
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d)).build();
    }

    private static byte[] publicOf(byte[] privateKey) {
        try {
            return com.google.crypto.tink.subtle.Ed25519Sign.KeyPair.newKeyPairFromSeed(privateKey).getPublicKey();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
