package dev.anonymoususers.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.anonymoususers.testing.BrowserCookies;

/**
 * An app of the demo realm ({@code demo-app}) against a Keycloak in a container, as an app's own tests would talk to
 * it: plain HTTP, tokens checked with Nimbus against the realm's published keys, device assertions signed by Nimbus.
 */
final class DemoRealmClient {

    static final String REALM = "demo";
    static final String CLIENT = "demo-app";
    static final String REDIRECT_URI = "http://localhost:3000/";
    static final String DEVICE_KEY_GRANT = "urn:anonymous-users:params:oauth:grant-type:device-key";
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;

    DemoRealmClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A device assertion in the one-request form: the key's public JWK in the header, a new jti, iat now. */
    static String assertion(ECKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("device-key+jwt"))
                .jwk(key.toPublicJWK()).build(),
                new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).issueTime(new Date()).claim("action", "auth").build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** The device-key grant with a new assertion of {@code key}: the claims of the access token, checked. */
    JWTClaimsSet deviceSignIn(ECKey key) throws Exception {
        JsonNode tokens = token(Map.of("grant_type", DEVICE_KEY_GRANT, "client_id", CLIENT, "assertion", assertion(key)));
        return verified(tokens.get("access_token").asText());
    }

    /**
     * A new device key signs its guest in twice, one request each: both answers are the same guest, marked
     * anonymous. Answers the guest's sub.
     */
    String deviceGuestSignedInTwice() throws Exception {
        ECKey deviceKey = new ECKeyGenerator(Curve.P_256).generate();

        JWTClaimsSet first = deviceSignIn(deviceKey);
        JWTClaimsSet again = deviceSignIn(deviceKey);

        assertThat(first.getBooleanClaim("is_anonymous")).isTrue();
        assertThat(again.getSubject()).isEqualTo(first.getSubject());
        return first.getSubject();
    }

    /** The claims of a token signed by the realm's key (from its JWKS), or a failed test. */
    JWTClaimsSet verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet keys = JWKSet.load(new URL(baseUrl + "/realms/" + REALM + "/protocol/openid-connect/certs"));
        assertThat(jwt.verify(new RSASSAVerifier(keys.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey()))).isTrue();
        return jwt.getJWTClaimsSet();
    }

    JsonNode token(Map<String, String> form) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/realms/" + REALM + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** An access token of the master realm's admin. */
    String adminToken(String username, String password) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id", "admin-cli",
                        "username", username, "password", password)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("access_token").asText();
    }

    HttpResponse<String> send(String method, String path, String bearer, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    Browser browser() {
        return new Browser();
    }

    /** A browser as far as OAuth needs one: cookies, no redirects followed, one PKCE pair. */
    final class Browser {

        // Keycloak's cookies are Secure; Java's CookieManager drops them over plain HTTP, a browser on localhost keeps them.
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new BrowserCookies()).build();
        final String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();

        String authorizeUrl(Map<String, String> extra) throws Exception {
            Map<String, String> query = new LinkedHashMap<>(Map.of("client_id", CLIENT, "response_type", "code", "scope", "openid",
                    "redirect_uri", REDIRECT_URI, "state", "s", "code_challenge_method", "S256",
                    "code_challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)))));
            query.putAll(extra);
            return baseUrl + "/realms/" + REALM + "/protocol/openid-connect/auth?" + form(query);
        }

        HttpResponse<String> authorize(Map<String, String> extra) throws Exception {
            return get(authorizeUrl(extra));
        }

        HttpResponse<String> get(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String url, Map<String, String> fields) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The ID token of the code the answer redirects to the app with. */
        JWTClaimsSet codeExchange(HttpResponse<String> redirect) throws Exception {
            assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
            String location = redirect.headers().firstValue("Location").orElseThrow();
            Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
            assertThat(code.find()).as(location).isTrue();
            JsonNode tokens = token(Map.of("grant_type", "authorization_code", "client_id", CLIENT, "code", code.group(1),
                    "redirect_uri", REDIRECT_URI, "code_verifier", verifier));
            return verified(tokens.get("id_token").asText());
        }

        /** A guest of a plain authorization request with login_hint=anonymous: its ID token's claims. */
        JWTClaimsSet signInAsGuest() throws Exception {
            return codeExchange(authorize(Map.of("login_hint", "anonymous")));
        }
    }
}
