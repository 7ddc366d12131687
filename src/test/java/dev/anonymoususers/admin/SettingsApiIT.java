package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.Smoke;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET and PUT /admin/realms/{realm}/anonymous-users: the settings for scripts, the same that the console's dialog shows. */
@WithKeycloak
class SettingsApiIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";

    KeycloakServer server;
    AdminApi admin;
    String realm;
    String path;

    @BeforeEach
    void realmWithAnonymousUsersOff(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        realm = admin.importGuestsRealm(REDIRECT_URI, false);
        path = "/admin/realms/" + realm + "/anonymous-users";
    }

    /** The settings of a realm where no admin saved any. */
    static JsonNode defaults() {
        return AdminApi.read("{\"enabled\": false, \"guestClients\": [], \"deviceKeyClients\": [],"
                + " \"guestsPerAddressPerHour\": 30, \"maxGuests\": 0, \"challengeLifetimeSeconds\": 120,"
                + " \"guestGroups\": [], \"removeInactiveGuestsAfterDays\": 30}");
    }

    HttpResponse<String> put(String body) {
        return admin.sendRaw("PUT", path, body, admin.adminToken());
    }

    @Smoke
    @Test
    void getAnswersTheRealmsSettings() {
        JsonNode settings = admin.get(path);

        assertThat(settings).isEqualTo(defaults());
        assertThat(AdminApi.read(settings.toString()).size()).as("every setting").isEqualTo(dev.anonymoususers.Setting.values().length);
        assertThat(settings.get("enabled").asBoolean()).isFalse();
        assertThat(settings.get("guestClients")).isEmpty();
        assertThat(settings.get("deviceKeyClients")).isEmpty();
        assertThat(settings.get("challengeLifetimeSeconds").asInt()).isEqualTo(120);
        assertThat(settings.get("guestsPerAddressPerHour").asInt()).isEqualTo(30);
        assertThat(settings.get("maxGuests").asInt()).isZero();
        assertThat(settings.get("removeInactiveGuestsAfterDays").asInt()).isEqualTo(30);
        assertThat(settings.get("guestGroups")).isEmpty();
    }

    @Test
    void putSetsTheLimitsAndTheCleanUp() {
        HttpResponse<String> answer = put("{\"guestsPerAddressPerHour\": 0, \"maxGuests\": 5000, \"removeInactiveGuestsAfterDays\": 7}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode settings = admin.get(path);
        assertThat(settings.get("guestsPerAddressPerHour").asInt()).isZero();
        assertThat(settings.get("maxGuests").asInt()).isEqualTo(5000);
        assertThat(settings.get("removeInactiveGuestsAfterDays").asInt()).isEqualTo(7);
    }

    @Smoke
    @Test
    void putSwitchesAnonymousUsersOnWithoutTheAdminConsole() {
        OidcClient client = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        assertThat(client.authorizeAsGuest().error()).isEqualTo("access_denied");

        HttpResponse<String> answer = put("{\"enabled\": true}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(AdminApi.read(answer.body()).get("enabled").asBoolean()).isTrue();
        OidcClient fresh = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        assertThat(fresh.exchange(fresh.authorizeAsGuest()).idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
    }

    @Test
    void putChangesOnlyTheKeysItCarries() {
        put("{\"enabled\": true, \"deviceKeyClients\": [\"web-app\"]}");

        put("{\"challengeLifetimeSeconds\": 300}");

        JsonNode settings = admin.get(path);
        assertThat(settings.get("enabled").asBoolean()).isTrue();
        assertThat(settings.get("deviceKeyClients")).extracting(JsonNode::asText).containsExactly("web-app");
        assertThat(settings.get("challengeLifetimeSeconds").asInt()).isEqualTo(300);
    }

    @Test
    void whatTheApiSavesTheConsolesDialogShowsAtOnce() {
        put("{\"challengeLifetimeSeconds\": 42, \"deviceKeyClients\": [\"web-app\"]}");

        JsonNode dialog = admin.anonymousUsersSettingsConfig(realm);

        assertThat(dialog.path("challengeLifetimeSeconds").asText()).isEqualTo("42");
        assertThat(dialog.path("deviceKeyClients").asText()).isEqualTo("web-app");
    }

    @Test
    void whatTheConsolesDialogSavesTheApiShowsAtOnce() {
        admin.saveAnonymousUsersSettings(realm, java.util.Map.of("enabled", java.util.List.of("true"),
                "guestClients", java.util.List.of("web-app"), "maxGuests", java.util.List.of("7")));

        JsonNode settings = admin.get(path);

        assertThat(settings.get("enabled").asBoolean()).isTrue();
        assertThat(settings.get("guestClients")).extracting(JsonNode::asText).containsExactly("web-app");
        assertThat(settings.get("maxGuests").asInt()).isEqualTo(7);
        assertThat(settings.get("challengeLifetimeSeconds").asInt()).as("not in the dialog's save: its default").isEqualTo(120);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"challengeLifetimeSeconds\": 0}              | challengeLifetimeSeconds | from 1 to 3600",
            "{\"challengeLifetimeSeconds\": 3601}           | challengeLifetimeSeconds | from 1 to 3600",
            "{\"challengeLifetimeSeconds\": \"abc\"}        | challengeLifetimeSeconds | whole number",
            "{\"challengeLifetimeSeconds\": 1.5}            | challengeLifetimeSeconds | whole number",
            "{\"enabled\": \"yes\"}                         | enabled                  | true or false",
            "{\"deviceKeyClients\": \"web-app\"}            | deviceKeyClients         | list of client ids",
            "{\"deviceKeyClients\": [\"no-such-client\"]}   | deviceKeyClients         | has no such client",
            "{\"guestClients\": [\"no-such-client\"]}       | guestClients             | has no such client",
            "{\"guestClients\": [1]}                        | guestClients             | list of client ids",
            "{\"enabled\": true, \"guestz\": 1}             | guestz                   | Unknown setting guestz",
            "{\"guestsPerAddressPerHour\": -1}              | guestsPerAddressPerHour  | 0 or more",
            "{\"guestsPerAddressPerHour\": \"30\"}          | guestsPerAddressPerHour  | whole number",
            "{\"maxGuests\": -5}                            | maxGuests                | 0 or more",
            "{\"maxGuests\": 1e3}                           | maxGuests                | whole number",
            "{\"maxGuests\": 99999999999}                   | maxGuests                | from 0 to 2147483647",
            "{\"removeInactiveGuestsAfterDays\": -1}        | removeInactiveGuestsAfterDays | from 0 to 36500",
            "{\"removeInactiveGuestsAfterDays\": null}      | removeInactiveGuestsAfterDays | whole number, 0 for never",
            "{\"guestGroups\": [\"/no-such-group\"]}        | guestGroups              | has no such group",
            "{\"guestClients\": [\"a##b\"]}                 | guestClients             | list of client ids",
    })
    void badSettingsAreRefusedWithTheFieldAndNothingIsSaved(String body, String field, String message) {
        JsonNode before = admin.get(path);

        HttpResponse<String> answer = put(body);

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode error = AdminApi.read(answer.body());
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("errorMessage").asText()).contains(message);
        assertThat(admin.get(path)).isEqualTo(before);
    }

    @Test
    void bodyThatIsNotAnObjectIsRefused() {
        assertThat(put("not json").statusCode()).isEqualTo(400);
        assertThat(put("[true]").statusCode()).isEqualTo(400);
        assertThat(AdminApi.read(put("[true]").body()).get("errorMessage").asText()).contains("JSON object");
        assertThat(admin.get(path).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void removingTheExtensionFromARealmNeedsManageRealmAndARefusalChangesNothing() {
        put("{\"enabled\": true}");
        String viewer = admin.tokenOfUserWithRealmManagementRole(realm, "view-realm");
        JsonNode flows = admin.flowsWithExecutions(realm);

        assertThat(admin.sendRaw("POST", path + "/remove", null, null).statusCode()).isEqualTo(401);
        assertThat(admin.sendRaw("POST", path + "/remove", null, viewer).statusCode()).isEqualTo(403);

        assertThat(admin.flowsWithExecutions(realm)).isEqualTo(flows);
        assertThat(admin.get(path).get("enabled").asBoolean()).isTrue();
        assertThat(new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest().code()).isNotBlank();
    }

    @Test
    void readingNeedsViewRealmAndChangingNeedsManageRealm() {
        String viewer = admin.tokenOfUserWithRealmManagementRole(realm, "view-realm");
        String nobody = admin.tokenOfUserWithRealmManagementRole(realm, null);

        assertThat(admin.sendRaw("GET", path, null, null).statusCode()).isEqualTo(401);
        assertThat(admin.sendRaw("GET", path, null, nobody).statusCode()).isEqualTo(403);
        assertThat(admin.sendRaw("GET", path, null, viewer).statusCode()).isEqualTo(200);
        assertThat(admin.sendRaw("PUT", path, "{\"enabled\": true}", viewer).statusCode()).isEqualTo(403);
        assertThat(admin.get(path).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void settingsTravelWithAPartialExport() {
        put("{\"enabled\": true, \"challengeLifetimeSeconds\": 77}");

        JsonNode export = AdminApi.read(admin.send("POST", "/admin/realms/" + realm + "/partial-export", null).body());

        JsonNode action = null;
        for (JsonNode candidate : export.path("requiredActions")) {
            if ("promote-anonymous".equals(candidate.path("alias").asText())) {
                action = candidate;
            }
        }
        assertThat(action).isNotNull();
        assertThat(action.path("config").path("challengeLifetimeSeconds").asText()).isEqualTo("77");
        assertThat(action.path("config").path("enabled").asText()).isEqualTo("true");
        assertThat(export.path("components").path("org.keycloak.services.ui.extend.UiTabProvider").isMissingNode()).isTrue();
    }

    @Smoke
    @Test
    void everySettingSurvivesAnExportAndAnImportIntoANewRealm() {
        admin.send("POST", "/admin/realms/" + realm + "/groups", AdminApi.read("{\"name\": \"guests\"}"));
        String all = "{\"enabled\": true, \"guestClients\": [\"web-app\"], \"deviceKeyClients\": [\"web-app\"],"
                + " \"guestsPerAddressPerHour\": 12, \"maxGuests\": 345, \"challengeLifetimeSeconds\": 77,"
                + " \"guestGroups\": [\"/guests\"], \"removeInactiveGuestsAfterDays\": 9}";
        assertThat(put(all).statusCode()).isEqualTo(200);
        JsonNode before = admin.get(path);

        ObjectNode export = (ObjectNode) AdminApi.read(admin.send("POST", "/admin/realms/" + realm
                + "/partial-export?exportClients=true&exportGroupsAndRoles=true", null).body());
        String copy = realm + "-copy";
        withoutIds(export.put("realm", copy));
        admin.importRealm(export);

        assertThat(admin.get("/admin/realms/" + copy + "/anonymous-users")).isEqualTo(before);
    }

    /** Drops the ids of an export, as for an import next to the original on the same server. */
    static void withoutIds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(java.util.List.of("id", "containerId", "parentId"));
        }
        node.forEach(SettingsApiIT::withoutIds);
    }
}
