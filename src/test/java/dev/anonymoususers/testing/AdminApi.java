package dev.anonymoususers.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Keycloak's admin REST API, as the admin console and scripts use it. */
public final class AdminApi {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String token;
    private Instant tokenExpires = Instant.MIN;

    public AdminApi(KeycloakServer server) {
        this.server = server;
    }

    /** Imports a realm fixture from the test resources under a fresh name, with {@code ${…}} placeholders filled. */
    public String importRealm(String fixture, Map<String, String> values) {
        String name = fixture.replaceAll(".*/|\\.json$", "") + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (InputStream in = AdminApi.class.getResourceAsStream("/realms/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("No realm fixture " + fixture);
            }
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                json = json.replace("${" + value.getKey() + "}", value.getValue());
            }
            ObjectNode realm = (ObjectNode) JSON.readTree(json);
            realm.put("realm", name);
            expect(201, send("POST", "/admin/realms", realm));
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The realm most tests use (realms/guests.json): a public web-app, a resource server, a regular user alice. */
    public String importGuestsRealm(String redirectUri, boolean anonymousUsersEnabled) {
        return importRealm("guests.json", Map.of("redirectUri", redirectUri, "anonymousUsersEnabled", Boolean.toString(anonymousUsersEnabled)));
    }

    /** Imports a realm as it is, under its own name. */
    public void importRealm(ObjectNode realm) {
        expect(201, send("POST", "/admin/realms", realm));
    }

    /** A realm exactly as a fresh one made in the admin console: only a name. */
    public String createFreshRealm(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        expect(201, send("POST", "/admin/realms", JSON.createObjectNode().put("realm", name).put("enabled", true)));
        return name;
    }

    /** Adds a public client with PKCE, as a web app's developer registers one. */
    public void addPublicClient(String realm, String clientId, String redirectUri) {
        ObjectNode client = JSON.createObjectNode().put("clientId", clientId).put("publicClient", true);
        client.putArray("redirectUris").add(redirectUri);
        client.putObject("attributes").put("pkce.code.challenge.method", "S256");
        expect(201, send("POST", "/admin/realms/" + realm + "/clients", client));
    }

    /** Saves the settings the way the admin console's ⚙ dialog of the settings' required action does. */
    public void setAnonymousUsersEnabled(String realm, boolean enabled) {
        saveAnonymousUsersSettings(realm, Map.of("enabled", java.util.List.of(Boolean.toString(enabled))));
    }

    /** Saves the dialog with these settings; unnamed ones take their defaults. */
    public void saveAnonymousUsersSettings(String realm, Map<String, java.util.List<String>> settings) {
        HttpResponse<String> response = trySaveAnonymousUsersSettings(realm, settings);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("Saving the settings failed: " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * Saves the dialog and returns Keycloak's answer, for settings an admin gets wrong: every field the dialog shows
     * is sent, lists joined with ## as the console joins them.
     */
    public HttpResponse<String> trySaveAnonymousUsersSettings(String realm, Map<String, java.util.List<String>> settings) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode config = body.putObject("config");
        settings.forEach((name, values) -> config.put(name, String.join("##", values)));
        return send("PUT", SETTINGS_ACTION_PATH.formatted(realm) + "/config", body);
    }

    /** The stored settings as Keycloak's required-action config shows them (what the dialog reads). */
    public JsonNode anonymousUsersSettingsConfig(String realm) {
        return get(SETTINGS_ACTION_PATH.formatted(realm) + "/config").path("config");
    }

    /** The console's Clear: removes the stored settings without a check. */
    public HttpResponse<String> clearAnonymousUsersSettings(String realm) {
        return send("DELETE", SETTINGS_ACTION_PATH.formatted(realm) + "/config", null);
    }

    /** The settings as the settings API answers them. */
    public JsonNode anonymousUsersSettings(String realm) {
        return get("/admin/realms/" + realm + "/anonymous-users");
    }

    /** A realm JSON written by hand, as an admin writes one: a name, and a public client web-app with this redirect URI. */
    public static ObjectNode realmJsonWithWebApp(String name, String redirectUri) {
        ObjectNode json = JSON.createObjectNode().put("realm", name).put("enabled", true);
        json.putArray("clients").addObject().put("clientId", "web-app").put("publicClient", true)
                .putArray("redirectUris").add(redirectUri);
        return json;
    }

    /**
     * Adds the settings' required action to a realm JSON, as a hand-written realm JSON configures the extension, and
     * returns its config to fill (each value a string, lists joined with ##).
     */
    public static ObjectNode settingsInRealmJson(ObjectNode realmJson) {
        return realmJson.withArray("requiredActions").addObject()
                .put("alias", "promote-anonymous").put("providerId", "promote-anonymous")
                .put("name", "Anonymous users: guest sign-up (all settings under ⚙)").put("enabled", true)
                .put("defaultAction", false).put("priority", 2147483646)
                .putObject("config");
    }

    private static final String SETTINGS_ACTION_PATH = "/admin/realms/%s/authentication/required-actions/promote-anonymous";

    public int countUsers(String realm) {
        return get("/admin/realms/" + realm + "/users/count").asInt();
    }

    /** Whether the user carries the guest mark, as an admin finds guests: by the attribute anonymous=true. */
    public boolean isGuest(String realm, String id) {
        for (JsonNode user : get("/admin/realms/" + realm + "/users?q=anonymous:true&briefRepresentation=true&max=100000")) {
            if (user.get("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    public JsonNode user(String realm, String id) {
        return get("/admin/realms/" + realm + "/users/" + id);
    }

    /** Every flow of the realm with its executions, as the admin console shows them. */
    public ArrayNode flowsWithExecutions(String realm) {
        ArrayNode result = JSON.createArrayNode();
        for (JsonNode flow : get("/admin/realms/" + realm + "/authentication/flows")) {
            ObjectNode entry = result.addObject();
            entry.set("flow", flow);
            entry.set("executions", get("/admin/realms/" + realm + "/authentication/flows/"
                    + URLEncoder.encode(flow.get("alias").asText(), StandardCharsets.UTF_8).replace("+", "%20") + "/executions"));
        }
        return result;
    }

    /** A user of the realm with one role of its realm-management client (or none), and its token. */
    public String tokenOfUserWithRealmManagementRole(String realm, String role) {
        String username = "admin-" + (role == null ? "none" : role) + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        ObjectNode user = JSON.createObjectNode().put("username", username).put("enabled", true)
                .put("email", username + "@example.com").put("firstName", "A").put("lastName", "B").put("emailVerified", true);
        user.putArray("credentials").addObject().put("type", "password").put("value", "admin-password").put("temporary", false);
        send("POST", "/admin/realms/" + realm + "/users", user);
        String userId = get("/admin/realms/" + realm + "/users?username=" + username + "&exact=true").get(0).get("id").asText();
        if (role != null) {
            String managementId = get("/admin/realms/" + realm + "/clients?clientId=realm-management").get(0).get("id").asText();
            JsonNode roleRep = get("/admin/realms/" + realm + "/clients/" + managementId + "/roles/" + role);
            send("POST", "/admin/realms/" + realm + "/users/" + userId + "/role-mappings/clients/" + managementId,
                    JSON.createArrayNode().add(roleRep));
        }
        return tokenOf(realm, username, "admin-password");
    }

    public JsonNode events(String realm, String type) {
        return get("/admin/realms/" + realm + "/events?type=" + type);
    }

    public JsonNode get(String path) {
        HttpResponse<String> response = send("GET", path, null);
        expect(200, response);
        return read(response.body());
    }

    /** Sends {@code body} as it is, with the token given (null: none), for requests an admin gets wrong. */
    public HttpResponse<String> sendRaw(String method, String path, String body, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return Http.send(http, request.build());
    }

    /** The master admin's token, for {@link #sendRaw}. */
    public String adminToken() {
        return token();
    }

    /** A token of a user of {@code realm} from its admin-cli client, as a realm's own admin signs in to scripts. */
    public String tokenOf(String realm, String username, String password) {
        HttpResponse<String> response = Http.send(http, HttpRequest.newBuilder(
                        URI.create(server.realmUrl(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=" + username
                        + "&password=" + password)).build());
        expect(200, response);
        return read(response.body()).get("access_token").asText();
    }

    public HttpResponse<String> send(String method, String path, JsonNode body) {
        HttpResponse<String> response = sendWithToken(method, path, body);
        if (response.statusCode() == 401) {
            tokenExpires = Instant.MIN; // the server's clock moved past the token (KeycloakServer.moveClock): a new one
            response = sendWithToken(method, path, body);
        }
        return response;
    }

    private HttpResponse<String> sendWithToken(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        return Http.send(http, request.build());
    }

    private String token() {
        if (Instant.now().isAfter(tokenExpires)) {
            String form = "grant_type=password&client_id=admin-cli&username=" + KeycloakServer.ADMIN
                    + "&password=" + KeycloakServer.ADMIN_PASSWORD;
            HttpResponse<String> response = Http.send(http, HttpRequest.newBuilder(
                            URI.create(server.realmUrl("master") + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
            expect(200, response);
            JsonNode answer = read(response.body());
            token = answer.get("access_token").asText();
            tokenExpires = Instant.now().plusSeconds(answer.get("expires_in").asLong() - 15);
        }
        return token;
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError("Expected HTTP " + status + " from " + response.request().method() + " "
                    + response.uri() + " but got " + response.statusCode() + ": " + response.body());
        }
    }
}
