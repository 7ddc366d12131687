import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Device-key sign-in from Java 17+, with nothing but the JDK.
 *
 *   java examples/DeviceKeyExample.java http://localhost:8080 demo demo-app
 *
 * Run it twice: the second run signs in the same guest (same sub), because the key pair is kept in
 * ./device-key.p8 and ./device-key.pub. A real app keeps its key in Android Keystore or the iOS Secure Enclave
 * instead (see docs/device-keys.md); these files hold a private key in the clear and are for trying only.
 */
public class DeviceKeyExample {

    static final String GRANT_TYPE = "urn:anonymous-users:params:oauth:grant-type:device-key";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://localhost:8080";
        String realm = args.length > 1 ? args[1] : "demo";
        String clientId = args.length > 2 ? args[2] : "demo-app";
        Path keyFile = Path.of(args.length > 3 ? args[3] : "device-key");
        KeyPair keys = loadOrCreate(keyFile);

        // 1. The device assertion: typ device-key+jwt; payload a new jti, action, iat (one request: the clock must be
        //    within 60 s of the server's; otherwise sign a challenge, docs/device-keys.md).
        long now = System.currentTimeMillis() / 1000;
        String assertion = jws("device-key+jwt", "{\"jti\":\"" + UUID.randomUUID() + "\",\"action\":\"auth\",\"iat\":" + now + "}", keys);

        // 2. A DPoP proof signed by the same device key binds the tokens to it: token_type DPoP, cnf.jkt = the key.
        String tokenUrl = url + "/realms/" + realm + "/protocol/openid-connect/token";
        String proof = jws("dpop+jwt", "{\"jti\":\"" + UUID.randomUUID() + "\",\"htm\":\"POST\",\"htu\":\"" + tokenUrl
                + "\",\"iat\":" + now + "}", keys);

        // 3. The token endpoint answers with access, refresh and ID token for the device's guest.
        String tokens = post(tokenUrl, proof, "grant_type=" + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8)
                + "&assertion=" + assertion + "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8));
        String idToken = field(tokens, "id_token");
        String claims = new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8);
        System.out.println("sub=" + field(claims, "sub") + " is_anonymous=" + claims.contains("\"is_anonymous\":true")
                + " token_type=" + field(tokens, "token_type"));
    }

    /** A compact JWS of {@code typ}, signed ES256 by the device key, with its public jwk in the header. */
    static String jws(String typ, String payload, KeyPair keys) throws Exception {
        ECPublicKey publicKey = (ECPublicKey) keys.getPublic();
        String header = "{\"typ\":\"" + typ + "\",\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
                + coordinate(publicKey.getW().getAffineX()) + "\",\"y\":\"" + coordinate(publicKey.getW().getAffineY()) + "\"}}";
        String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        // JOSE wants the 64-byte R||S form (RFC 7518 section 3.4); the JDK gives it with the P1363 variant.
        // Plain SHA256withECDSA (and Android Keystore) give DER, which is refused: see docs/device-keys.md.
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(keys.getPrivate());
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(signer.sign());
    }

    static KeyPair loadOrCreate(Path file) throws Exception {
        Path privateFile = Path.of(file + ".p8");
        Path publicFile = Path.of(file + ".pub");
        KeyFactory factory = KeyFactory.getInstance("EC");
        if (Files.exists(privateFile) && Files.exists(publicFile)) {
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicFile))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateFile))));
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Files.write(privateFile, keys.getPrivate().getEncoded());
        Files.write(publicFile, keys.getPublic().getEncoded());
        return keys;
    }

    /** A P-256 coordinate as JWK wants it: 32 bytes, big-endian, base64url. */
    static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return B64.encodeToString(fixed);
    }

    static String post(String url, String dpopProof, String form) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("DPoP", dpopProof)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("No " + name + " in " + json);
        }
        return matcher.group(1);
    }
}
