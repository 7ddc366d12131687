package dev.anonymoususers.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.keycloak.jose.jwk.JWK;
import org.keycloak.jose.jwk.JWKBuilder;
import org.keycloak.util.JWKSUtils;

/**
 * Device assertions as apps make them, and as attackers bend them: a builder over a real key pair, with every
 * header, claim and signature open to change. Signatures come from Nimbus JOSE+JWT ({@link JoseSigner}), a JOSE
 * library we did not write, so a leniency shared by our server and our test client cannot pass unnoticed.
 */
public final class DeviceAssertions {

    public static final String TYPE = "device-key+jwt";

    private DeviceAssertions() {
    }

    public static KeyPair ecP256() {
        return ec("secp256r1");
    }

    public static KeyPair ecP384() {
        return ec("secp384r1");
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA pair with another public exponent than 65537, as no platform key store makes one. */
    public static KeyPair rsa(int bits, long publicExponent) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new java.security.spec.RSAKeyGenParameterSpec(bits, java.math.BigInteger.valueOf(publicExponent)));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK of a key pair, as an app puts it in the header. */
    public static JWK publicJwk(KeyPair keys) {
        String algorithm = keys.getPublic().getAlgorithm();
        JWKBuilder builder = JWKBuilder.create();
        return switch (algorithm) {
            case "EC" -> builder.ec(keys.getPublic());
            case "RSA" -> builder.rsa(keys.getPublic());
            default -> builder.okp(keys.getPublic());
        };
    }

    public static String thumbprint(KeyPair keys) {
        return JWKSUtils.computeThumbprint(publicJwk(keys));
    }

    public static Builder signedBy(KeyPair keys) {
        return new Builder(keys);
    }

    public static final class Builder {
        private final KeyPair keys;
        private final Map<String, Object> header = new LinkedHashMap<>();
        private final Map<String, Object> payload = new LinkedHashMap<>();
        private PrivateKey signingKey;
        private boolean derSignature;
        private byte[] hmacSecret;
        private boolean unsigned;

        Builder(KeyPair keys) {
            this.keys = keys;
            this.signingKey = keys.getPrivate();
            header.put("typ", TYPE);
            header.put("alg", switch (keys.getPublic().getAlgorithm()) {
                case "EC" -> "ES256";
                case "RSA" -> "RS256";
                default -> "EdDSA";
            });
            header.put("jwk", jwkMap(publicJwk(keys)));
            payload.put("action", "auth");
            payload.put("iat", System.currentTimeMillis() / 1000);
        }

        public Builder challenge(String challenge) {
            payload.put("challenge", challenge);
            return this;
        }

        /** A new random {@code jti} instead of a challenge: the one-request form (16 random bytes, base64url). */
        public Builder ownId() {
            byte[] random = new byte[16];
            new java.security.SecureRandom().nextBytes(random);
            payload.put("jti", Base64.getUrlEncoder().withoutPadding().encodeToString(random));
            return this;
        }

        public Builder action(String action) {
            payload.put("action", action);
            return this;
        }

        public Builder header(String name, Object value) {
            if (value == null) {
                header.remove(name);
            } else {
                header.put(name, value);
            }
            return this;
        }

        public Builder claim(String name, Object value) {
            if (value == null) {
                payload.remove(name);
            } else {
                payload.put(name, value);
            }
            return this;
        }

        /** Sends the RFC 7638 thumbprint as {@code kid} instead of the public key. */
        public Builder kidInsteadOfJwk() {
            header.remove("jwk");
            header.put("kid", thumbprint(keys));
            return this;
        }

        /** Adds private members to the jwk header, as a careless app might. */
        public Builder jwkWithPrivateMember(String name, String value) {
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = new LinkedHashMap<>((Map<String, Object>) header.get("jwk"));
            jwk.put(name, value);
            header.put("jwk", jwk);
            return this;
        }

        /** Signs with another private key than the one in the header. */
        public Builder signWith(KeyPair other) {
            this.signingKey = other.getPrivate();
            return this;
        }

        /** ES256 signature in DER form, as Android Keystore and Java's SHA256withECDSA give it: not JOSE, refused. */
        public Builder derSignature() {
            this.derSignature = true;
            return this;
        }

        /** HS256 with the public key as the HMAC secret: the classic algorithm-confusion attack. */
        public Builder hs256WithPublicKeyAsSecret() {
            this.hmacSecret = keys.getPublic().getEncoded();
            header.put("alg", "HS256");
            return this;
        }

        /** alg none and an empty signature. */
        public Builder unsigned() {
            this.unsigned = true;
            header.put("alg", "none");
            return this;
        }

        public String build() {
            String signingInput = part(header) + "." + part(payload);
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(signingInput));
        }

        private byte[] sign(String signingInput) {
            byte[] data = signingInput.getBytes(StandardCharsets.US_ASCII);
            try {
                if (unsigned) {
                    return new byte[0];
                }
                if (hmacSecret != null) {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(hmacSecret, "HmacSHA256"));
                    return mac.doFinal(data);
                }
                if (derSignature) {
                    Signature der = Signature.getInstance("SHA256withECDSA");
                    der.initSign(signingKey);
                    der.update(data);
                    return der.sign();
                }
                return JoseSigner.sign(signingKey, data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String part(Map<String, Object> json) {
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(AdminApi.JSON.writeValueAsBytes(json));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> jwkMap(JWK jwk) {
            try {
                return AdminApi.JSON.readValue(AdminApi.JSON.writeValueAsBytes(jwk), LinkedHashMap.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
