package dev.anonymoususers.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
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
import dasniko.testcontainers.keycloak.KeycloakContainer;
import dev.anonymoususers.testing.BrowserCookies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.utility.MountableFile;

/**
 * The extension in Keycloak's container image, the way app developers test against it: testcontainers-keycloak's
 * {@link KeycloakContainer} on the image of {@code keycloak.image} (the official one unless told otherwise), the
 * built JAR installed the library's way, the demo realm imported. The client side is plain HTTP and Nimbus, as in
 * an app's own tests (and the README's example).
 */
@ExtendWith(DockerEngine.class)
class AnonymousUsersContainerIT {

    static final String REALM = "demo";
    static final String CLIENT = "demo-app";
    static final String REDIRECT_URI = "http://localhost:3000/";
    static final String DEVICE_KEY_GRANT = "urn:anonymous-users:params:oauth:grant-type:device-key";
    static final ObjectMapper JSON = new ObjectMapper();

    static KeycloakContainer keycloak;

    @BeforeAll
    static void startKeycloak() {
        keycloak = new KeycloakContainer(System.getProperty("keycloak.image"))
                .withProviderLibsFrom(List.of(new File(System.getProperty("extension.jar"))))
                .withCopyFileToContainer(MountableFile.forHostPath(Path.of(System.getProperty("demo.dir"), "demo-realm.json")),
                        "/opt/keycloak/data/import/demo-realm.json")
                .withStartupTimeout(Duration.ofMinutes(3));
        keycloak.start();
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.stop();
        }
    }

    @Test
    void aWebGuestSignsInWithAPlainAuthorizationRequest() throws Exception {
        Browser browser = new Browser();

        JWTClaimsSet idToken = browser.codeExchange(browser.authorize(Map.of("login_hint", "anonymous")));

        assertThat(idToken.getSubject()).isNotBlank();
        assertThat(idToken.getBooleanClaim("is_anonymous")).isTrue();
    }

    @Test
    void aDeviceKeySignsTheSameGuestInAgainWithOneRequestEach() throws Exception {
        ECKey deviceKey = new ECKeyGenerator(Curve.P_256).generate();

        JsonNode first = token(Map.of("grant_type", DEVICE_KEY_GRANT, "client_id", CLIENT, "assertion", assertion(deviceKey)));
        JsonNode again = token(Map.of("grant_type", DEVICE_KEY_GRANT, "client_id", CLIENT, "assertion", assertion(deviceKey)));

        JWTClaimsSet firstToken = verified(first.get("access_token").asText());
        assertThat(firstToken.getBooleanClaim("is_anonymous")).isTrue();
        assertThat(verified(again.get("access_token").asText()).getSubject()).isEqualTo(firstToken.getSubject());
    }

    @Test
    void aGuestIsPromotedToARegularUserWithTheSameSub() throws Exception {
        Browser browser = new Browser();
        String guest = browser.codeExchange(browser.authorize(Map.of("login_hint", "anonymous"))).getSubject();

        HttpResponse<String> page = browser.get(browser.authorizeUrl(Map.of("kc_action", "promote-anonymous")));
        if (page.statusCode() == 302) { // Keycloak may first redirect to its login-actions page
            page = browser.get(page.headers().firstValue("Location").orElseThrow());
        }
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher form = Pattern.compile("id=\"kc-promote-anonymous-form\"[^>]*action=\"([^\"]+)\"").matcher(page.body());
        assertThat(form.find()).as(page.body()).isTrue();
        String name = "grace-" + UUID.randomUUID();
        HttpResponse<String> done = browser.post(form.group(1).replace("&amp;", "&"), Map.of("username", name,
                "email", name + "@example.com", "firstName", "Grace", "lastName", "Hopper",
                "password", "a-long-password-1", "password-confirm", "a-long-password-1"));

        String back = done.headers().firstValue("Location").orElseThrow();
        assertThat(back).contains("kc_action_status=success");
        JWTClaimsSet promoted = browser.codeExchange(done);
        assertThat(promoted.getSubject()).isEqualTo(guest);
        assertThat(promoted.getBooleanClaim("is_anonymous")).isFalse();
    }

    @Test
    void theSettingsAreReadAndChangedThroughTheAdminApiAndABadOneChangesNothing() throws Exception {
        String admin = adminToken();
        String settings = keycloak.getAuthServerUrl() + "/admin/realms/" + REALM + "/anonymous-users";

        assertThat(JSON.readTree(send("GET", settings, admin, null).body()).get("enabled").asBoolean()).isTrue();
        HttpResponse<String> changed = send("PUT", settings, admin, "{\"guestsPerAddressPerHour\": 25}");
        HttpResponse<String> refused = send("PUT", settings, admin, "{\"guestsPerAddressPerHour\": -1}");

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("field").asText()).isEqualTo("guestsPerAddressPerHour");
        assertThat(JSON.readTree(send("GET", settings, admin, null).body()).get("guestsPerAddressPerHour").asInt()).isEqualTo(25);
    }

    /** A device assertion in the one-request form: the key's public JWK in the header, a new jti, iat now. */
    static String assertion(ECKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("device-key+jwt"))
                .jwk(key.toPublicJWK()).build(),
                new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).issueTime(new Date()).claim("action", "auth").build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** The claims of a token signed by the realm's key (from its JWKS), or a failed test. */
    static JWTClaimsSet verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet keys = JWKSet.load(new URL(keycloak.getAuthServerUrl() + "/realms/" + REALM + "/protocol/openid-connect/certs"));
        assertThat(jwt.verify(new RSASSAVerifier(keys.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey()))).isTrue();
        return jwt.getJWTClaimsSet();
    }

    static JsonNode token(Map<String, String> form) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    static String adminToken() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(keycloak.getAuthServerUrl() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id", "admin-cli",
                        "username", keycloak.getAdminUsername(), "password", keycloak.getAdminPassword())))).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body()).get("access_token").asText();
    }

    static HttpResponse<String> send(String method, String url, String bearer, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static String tokenUrl() {
        return keycloak.getAuthServerUrl() + "/realms/" + REALM + "/protocol/openid-connect/token";
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A browser as far as OAuth needs one: cookies, no redirects followed, one PKCE pair. */
    static final class Browser {

        // Keycloak's cookies are Secure; Java's CookieManager drops them over plain HTTP, a browser on localhost keeps them.
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new BrowserCookies()).build();
        final String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();

        String authorizeUrl(Map<String, String> extra) throws Exception {
            Map<String, String> query = new LinkedHashMap<>(Map.of("client_id", CLIENT, "response_type", "code", "scope", "openid",
                    "redirect_uri", REDIRECT_URI, "state", "s", "code_challenge_method", "S256",
                    "code_challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)))));
            query.putAll(extra);
            return keycloak.getAuthServerUrl() + "/realms/" + REALM + "/protocol/openid-connect/auth?" + form(query);
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
    }
}
