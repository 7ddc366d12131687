package dev.anonymoususers.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * DPoP proofs (RFC 9449) made by Nimbus JOSE+JWT, a library the extension does not use, so the test's proofs and the
 * server cannot share a bug: typ {@code dpop+jwt}, ES256 by an EC P-256 key whose public key is in the header.
 */
public final class DpopProofs {

    private DpopProofs() {
    }

    /** A fresh proof for one request; {@code accessToken} adds its {@code ath}, for resource requests. */
    public static String proof(KeyPair key, String method, String url, String accessToken) {
        return proof(key, method, url, accessToken, System.currentTimeMillis() / 1000, UUID.randomUUID().toString());
    }

    /** A proof dated {@code issuedAt} (seconds since the epoch) with this {@code jti}. */
    public static String proof(KeyPair key, String method, String url, String accessToken, long issuedAt, String jti) {
        try {
            ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) key.getPublic()).build();
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt")).jwk(jwk).build();
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .jwtID(jti)
                    .claim("htm", method)
                    .claim("htu", url)
                    .issueTime(new Date(issuedAt * 1000));
            if (accessToken != null) {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
                claims.claim("ath", Base64URL.encode(hash).toString());
            }
            SignedJWT jwt = new SignedJWT(header, claims.build());
            jwt.sign(new ECDSASigner((ECPrivateKey) key.getPrivate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
