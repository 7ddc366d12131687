package dev.anonymoususers.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An OAuth client and its user's browser, without a browser: the authorization-code flow with PKCE, one cookie
 * jar per instance (so one instance is one browser), and the token, userinfo and introspection endpoints.
 */
public final class OidcClient {

    private final KeycloakServer server;
    private final String realm;
    private final String clientId;
    private final String redirectUri;
    private final HttpClient http;
    private String codeVerifier;
    private String forwardedFor;

    public OidcClient(KeycloakServer server, String realm, String clientId, String redirectUri) {
        this(server, realm, clientId, redirectUri, HttpClient.newBuilder()
                .cookieHandler(new BrowserCookies())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    private OidcClient(KeycloakServer server, String realm, String clientId, String redirectUri, HttpClient http) {
        this.server = server;
        this.realm = realm;
        this.clientId = clientId;
        this.redirectUri = redirectUri;
        this.http = http;
    }

    /** The same browser (cookies, PKCE verifier, address) talking to another node of a cluster from now on. */
    public OidcClient on(KeycloakServer node) {
        OidcClient other = new OidcClient(node, realm, clientId, redirectUri, http);
        other.codeVerifier = codeVerifier;
        other.forwardedFor = forwardedFor;
        return other;
    }

    /** The same browser (its cookies) talking to another app of the realm. */
    public OidcClient as(String otherClientId, String otherRedirectUri) {
        OidcClient other = new OidcClient(server, realm, otherClientId, otherRedirectUri, http);
        other.forwardedFor = forwardedFor;
        return other;
    }

    /** Opens a URL in this browser and follows Keycloak's redirects, as {@link #authorize} does. */
    public Authorization open(String url) {
        return follow(get(url));
    }

    /** From now on, a browser at {@code address}, as a reverse proxy reports it (X-Forwarded-For). */
    public OidcClient from(String address) {
        this.forwardedFor = address;
        return this;
    }

    /** An authorization request; follows Keycloak's own redirects and stops at the app or at a page. */
    public Authorization authorize(Map<String, String> extra) {
        return follow(get(authorizationUrl(extra)));
    }

    /** The URL of an authorization request with a fresh PKCE pair, for a real browser to open. */
    public String authorizationUrl(Map<String, String> extra) {
        codeVerifier = randomString();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", clientId);
        params.put("redirect_uri", redirectUri);
        params.put("response_type", "code");
        params.put("scope", "openid");
        params.put("state", randomString());
        params.put("code_challenge", s256(codeVerifier));
        params.put("code_challenge_method", "S256");
        params.putAll(extra);
        return server.realmUrl(realm) + "/protocol/openid-connect/auth?" + form(params);
    }

    public Authorization authorizeAsGuest() {
        return authorize(Map.of("login_hint", "anonymous"));
    }

    /** Signs a regular user in through Keycloak's login page, as a person would. */
    public Authorization signInWithPassword(String username, String password) {
        return submit(authorize(Map.of()), "kc-form-login", Map.of("username", username, "password", password));
    }

    /** Submits the form {@code formId} of a Keycloak page with these fields, as a browser would, and follows. */
    public Authorization submit(Authorization page, String formId, Map<String, String> fields) {
        if (page.page() == null) {
            throw new AssertionError("Expected a page with the form " + formId + " but was sent to " + page.location());
        }
        Matcher form = Pattern.compile("<form[^>]*id=\"" + Pattern.quote(formId) + "\"[^>]*action=\"([^\"]+)\"").matcher(page.page());
        if (!form.find()) {
            throw new AssertionError("No form " + formId + " on the page:\n" + page.page());
        }
        String action = form.group(1).replace("&amp;", "&");
        return follow(post(action, form(fields), null));
    }

    public Tokens exchange(Authorization authorization) {
        return exchange(authorization.code());
    }

    public Tokens exchange(String code) {
        return new Tokens(postForJson(tokenEndpoint(), Map.of(
                "grant_type", "authorization_code",
                "client_id", clientId,
                "code", code,
                "redirect_uri", redirectUri,
                "code_verifier", codeVerifier)));
    }

    public Tokens refresh(Tokens tokens) {
        return new Tokens(postForJson(tokenEndpoint(), Map.of(
                "grant_type", "refresh_token",
                "client_id", clientId,
                "refresh_token", tokens.refreshToken())));
    }

    /** The code exchange with a DPoP proof (null: none), its answer as it is, refused or not. */
    public HttpResponse<String> tryExchange(String code, String dpopProof) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.onThisNode(tokenEndpoint())))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                        "client_id", clientId, "code", code, "redirect_uri", redirectUri, "code_verifier", codeVerifier))));
        if (dpopProof != null) {
            request.header("DPoP", dpopProof);
        }
        return send(request.build());
    }

    /** The token endpoint's URL, the {@code htu} of its DPoP proofs. */
    public String tokenEndpointUrl() {
        return server.onThisNode(tokenEndpoint());
    }

    /** The refresh-token grant's answer as it is, refused or not. */
    public HttpResponse<String> tryRefresh(String refreshToken) {
        return post(tokenEndpoint(), form(Map.of("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", refreshToken)), null);
    }

    /** The userinfo endpoint's answer as it is, refused or not. */
    public HttpResponse<String> tryUserinfo(String accessToken) {
        return send(HttpRequest.newBuilder(URI.create(server.realmUrl(realm) + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET().build());
    }

    public JsonNode userinfo(Tokens tokens) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(server.realmUrl(realm) + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + tokens.accessToken()).GET().build());
        return json(200, response);
    }

    /** Token introspection, as a resource server with its own client credentials calls it. */
    public JsonNode introspect(String token, String resourceServer, String secret) {
        String basic = Base64.getEncoder().encodeToString((resourceServer + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(tokenEndpoint() + "/introspect"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("token", token)))).build());
        return json(200, response);
    }

    private String tokenEndpoint() {
        return server.realmUrl(realm) + "/protocol/openid-connect/token";
    }

    private JsonNode postForJson(String url, Map<String, String> params) {
        return json(200, post(url, form(params), null));
    }

    private Authorization follow(HttpResponse<String> response) {
        while (response.statusCode() == 302 || response.statusCode() == 303) {
            String location = response.headers().firstValue("Location").orElseThrow();
            if (location.startsWith(redirectUri)) {
                return new Authorization(response.statusCode(), URI.create(location), null);
            }
            response = get(location);
        }
        return new Authorization(response.statusCode(), null, response.body());
    }

    private HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(server.onThisNode(url))).GET().build());
    }

    private HttpResponse<String> post(String url, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.onThisNode(url)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        if (forwardedFor != null) {
            HttpRequest.Builder forwarded = HttpRequest.newBuilder(request, (name, value) -> true);
            return Http.send(http, forwarded.header("X-Forwarded-For", forwardedFor).build());
        }
        return Http.send(http, request);
    }

    private static JsonNode json(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError("Expected HTTP " + status + " from " + response.uri() + " but got "
                    + response.statusCode() + ": " + response.body());
        }
        return AdminApi.read(response.body());
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String randomString() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where an authorization request ended: back at the app ({@code location}) or on a Keycloak page. */
    public record Authorization(int status, URI location, String page) {

        public boolean reachedApp() {
            return location != null;
        }

        public String code() {
            return parameter("code");
        }

        public String error() {
            return parameter("error");
        }

        public String errorDescription() {
            return parameter("error_description");
        }

        public String parameter(String name) {
            if (location == null || location.getRawQuery() == null) {
                return null;
            }
            for (String pair : location.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                if (parts[0].equals(name)) {
                    return parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
                }
            }
            return null;
        }
    }

    /** A token response, with the claims of its tokens decoded (the server's signature is not the test's concern). */
    public record Tokens(JsonNode response) {

        public String accessToken() {
            return response.get("access_token").asText();
        }

        public String refreshToken() {
            return response.get("refresh_token").asText();
        }

        public JsonNode idTokenClaims() {
            return claims(response.get("id_token").asText());
        }

        public JsonNode accessTokenClaims() {
            return claims(accessToken());
        }

        public static JsonNode claims(String jwt) {
            String payload = jwt.split("\\.")[1];
            return AdminApi.read(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
        }
    }
}
