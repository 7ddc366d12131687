package dev.anonymoususers.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** A native app's side of device keys: the challenge endpoint and the device-key grant at the token endpoint. */
public final class DeviceKeyClient {

    public static final String GRANT_TYPE = "urn:anonymous-users:params:oauth:grant-type:device-key";

    private final KeycloakServer server;
    private final String realm;
    private final String clientId;
    private final String clientSecret;
    private final String forwardedFor;
    private final HttpClient http = HttpClient.newHttpClient();

    public DeviceKeyClient(KeycloakServer server, String realm, String clientId) {
        this(server, realm, clientId, null);
    }

    public DeviceKeyClient(KeycloakServer server, String realm, String clientId, String clientSecret) {
        this(server, realm, clientId, clientSecret, null);
    }

    private DeviceKeyClient(KeycloakServer server, String realm, String clientId, String clientSecret, String forwardedFor) {
        this.server = server;
        this.realm = realm;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.forwardedFor = forwardedFor;
    }

    /** The same app on a device at {@code address}, as a reverse proxy reports it (X-Forwarded-For). */
    public DeviceKeyClient from(String address) {
        return new DeviceKeyClient(server, realm, clientId, clientSecret, address);
    }

    public HttpResponse<String> requestChallenge() {
        return send(HttpRequest.newBuilder(URI.create(server.realmUrl(realm) + "/anonymous/challenge"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public String challenge() {
        HttpResponse<String> response = requestChallenge();
        if (response.statusCode() != 200) {
            throw new AssertionError("No challenge: " + response.statusCode() + " " + response.body());
        }
        return AdminApi.read(response.body()).get("challenge").asText();
    }

    /** The device-key grant with this assertion. */
    public Answer signIn(String assertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        if (assertion != null) {
            form.put("assertion", assertion);
        }
        return token(form);
    }

    /** The device-key grant with this assertion and this DPoP proof (null: none). */
    public Answer signIn(String assertion, String dpopProof) {
        return token(Map.of("grant_type", GRANT_TYPE, "assertion", assertion), dpopProof);
    }

    /** The token endpoint's URL, the {@code htu} of its DPoP proofs. */
    public String tokenUrl() {
        return server.realmUrl(realm) + "/protocol/openid-connect/token";
    }

    public Answer token(Map<String, String> form) {
        return token(form, null);
    }

    public Answer token(Map<String, String> form, String dpopProof) {
        Map<String, String> params = new LinkedHashMap<>(form);
        params.put("client_id", clientId);
        if (clientSecret != null) {
            params.put("client_secret", clientSecret);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (dpopProof != null) {
            request.header("DPoP", dpopProof);
        }
        HttpResponse<String> response = send(request.POST(HttpRequest.BodyPublishers.ofString(OidcClient.form(params))).build());
        return new Answer(response.statusCode(), AdminApi.read(response.body()),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    private HttpResponse<String> send(HttpRequest request) {
        if (forwardedFor != null) {
            HttpRequest.Builder forwarded = HttpRequest.newBuilder(request, (name, value) -> true);
            return Http.send(http, forwarded.header("X-Forwarded-For", forwardedFor).build());
        }
        return Http.send(http, request);
    }

    /** The token endpoint's answer: tokens, or an OAuth error (with {@code Retry-After} for a limit). */
    public record Answer(int status, JsonNode body, String retryAfter) {

        public boolean ok() {
            return status == 200;
        }

        public String error() {
            return body.path("error").asText(null);
        }

        public String errorDescription() {
            return body.path("error_description").asText(null);
        }

        public OidcClient.Tokens tokens() {
            if (!ok()) {
                throw new AssertionError("Expected tokens but got " + status + " " + body);
            }
            return new OidcClient.Tokens(body);
        }

        public String sub() {
            return tokens().idTokenClaims().get("sub").asText();
        }
    }
}
