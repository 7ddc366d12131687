package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.Setting;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.Smoke;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;

/**
 * The settings where every Keycloak's admin console shows them, with no feature flag: the configuration of the
 * required action {@code promote-anonymous} (<em>Authentication → Required actions → ⚙</em>), its one copy, and what
 * an import, Keycloak's Clear and an export of an earlier version do to it.
 */
@WithKeycloak
class SettingsInConsoleIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";
    static final String ACTION = "/admin/realms/%s/authentication/required-actions/promote-anonymous";

    @Smoke
    @Test
    void theDialogDescribesEverySettingWithItsLabelAndHelp(AdminApi admin) {
        String realm = admin.createFreshRealm("dialog");

        JsonNode description = admin.get(ACTION.formatted(realm) + "/config-description").get("properties");

        assertThat(description.findValuesAsText("name")).containsExactly(
                java.util.Arrays.stream(Setting.values()).map(Setting::json).toArray(String[]::new));
        for (JsonNode field : description) {
            Setting setting = Setting.byJsonName(field.get("name").asText()).orElseThrow();
            assertThat(field.get("label").asText()).isEqualTo(setting.label());
            assertThat(field.get("helpText").asText()).isEqualTo(setting.help());
        }
        assertThat(Setting.ENABLED.help()).contains("/admin/realms/{realm}/anonymous-users/stats");
    }

    @Test
    void onlyTheSettingsActionOfTheExtensionHasAGear(AdminApi admin) {
        String realm = admin.createFreshRealm("gears");
        List<String> configurable = new ArrayList<>();

        for (JsonNode action : admin.get("/admin/realms/" + realm + "/ui-ext/authentication-management/required-actions")) {
            if (action.path("configurable").asBoolean() && action.path("providerId").asText().contains("anonymous")) {
                configurable.add(action.path("alias").asText() + " " + action.path("name").asText());
            }
        }

        assertThat(configurable).containsExactly("promote-anonymous Anonymous users: guest sign-up (all settings under ⚙)");
    }

    @Smoke
    @Test
    void clearRemovesTheStoredSettingsAndEveryDefaultApplies(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"maxGuests\": 1000}", admin.adminToken());

        assertThat(admin.clearAnonymousUsersSettings(realm).statusCode()).isEqualTo(204);

        assertThat(admin.anonymousUsersSettings(realm)).isEqualTo(SettingsApiIT.defaults());
        assertThat(new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest().error()).isEqualTo("access_denied");
    }

    @Test
    void switchingTheActionOffStopsPromotionAndLeavesTheSettingsInForce(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        ObjectNode action = (ObjectNode) admin.get(ACTION.formatted(realm));

        admin.send("PUT", ACTION.formatted(realm), action.put("enabled", false));

        assertThat(admin.anonymousUsersSettings(realm).get("enabled").asBoolean()).isTrue();
        assertThat(admin.anonymousUsersSettingsConfig(realm).path("enabled").asText()).isEqualTo("true");
        OidcClient app = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        assertThat(app.authorizeAsGuest().code()).as("guests still sign in").isNotBlank();
    }

    @Test
    void importedValuesNoAdminCouldSaveCountAsTheirDefaultsWithAWarningAndSignInStillWorks(KeycloakServer server, AdminApi admin) {
        String realm = "imported-bad-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode json = AdminApi.realmJsonWithWebApp(realm, REDIRECT_URI);
        AdminApi.settingsInRealmJson(json).put("enabled", "true").put("maxGuests", "-3")
                .put("challengeLifetimeSeconds", "forever").put("removeInactiveGuestsAfterDays", "99999");
        admin.importRealm(json);

        OidcClient app = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        assertThat(app.authorizeAsGuest().code()).isNotBlank();
        JsonNode settings = admin.anonymousUsersSettings(realm);
        assertThat(settings.get("maxGuests").asInt()).isZero();
        assertThat(settings.get("challengeLifetimeSeconds").asInt()).isEqualTo(120);
        assertThat(settings.get("removeInactiveGuestsAfterDays").asInt()).isEqualTo(30);
        assertThat(server.log()).contains("Anonymous users in realm '" + realm + "': the stored maxGuests is not valid (\"-3\"), so its default 0 applies")
                .contains("the stored challengeLifetimeSeconds is not valid (\"forever\")");
    }

    @Smoke
    @Test
    void aRealmJsonThatListsOnlyTheSettingsActionStillGetsKeycloaksDefaultActions(AdminApi admin) {
        String realm = "only-ours-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode json = AdminApi.JSON.createObjectNode().put("realm", realm).put("enabled", true);
        AdminApi.settingsInRealmJson(json).put("enabled", "true").put("maxGuests", "12");
        admin.importRealm(json);

        List<String> aliases = admin.get("/admin/realms/" + realm + "/authentication/required-actions").findValuesAsText("alias");

        assertThat(aliases).contains("UPDATE_PASSWORD", "VERIFY_EMAIL", "CONFIGURE_TOTP", "promote-anonymous", "anonymous-guest-no-forms");
        assertThat(admin.anonymousUsersSettings(realm).get("maxGuests").asInt()).isEqualTo(12);
    }

    @Smoke
    @Test
    void anExportOfAnEarlierVersionImportsWithItsSettingsMovedToTheAction(KeycloakServer server, AdminApi admin) {
        String realm = "earlier-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode json = AdminApi.realmJsonWithWebApp(realm, REDIRECT_URI);
        ObjectNode config = json.putObject("components").putArray("org.keycloak.services.ui.extend.UiTabProvider").addObject()
                .put("name", "anonymous-users").put("providerId", "anonymous-users").putObject("config");
        config.putArray("enabled").add("true");
        config.putArray("guestClients").add("web-app");
        config.putArray("challengeLifetime").add("45");
        config.putArray("statistics").add("3 guests now");
        admin.importRealm(json);

        JsonNode settings = admin.anonymousUsersSettings(realm);
        assertThat(settings.get("enabled").asBoolean()).isTrue();
        assertThat(settings.get("guestClients")).extracting(JsonNode::asText).containsExactly("web-app");
        assertThat(settings.get("challengeLifetimeSeconds").asInt()).isEqualTo(45);
        assertThat(admin.anonymousUsersSettingsConfig(realm).path("challengeLifetimeSeconds").asText()).isEqualTo("45");
        assertThat(admin.get("/admin/realms/" + realm + "/components?type=org.keycloak.services.ui.extend.UiTabProvider"))
                .as("one copy remains").isEmpty();
        assertThat(new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest().code()).isNotBlank();
    }

    @Test
    void anExportOfAnEarlierVersionGetsTheActionsNamesThatSayWhatTheyAre(AdminApi admin) {
        String realm = "earlier-names-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode json = AdminApi.JSON.createObjectNode().put("realm", realm).put("enabled", true);
        AdminApi.settingsInRealmJson(json).put("enabled", "true");
        ((ObjectNode) json.get("requiredActions").get(0)).put("name", "Anonymous users: promote a guest to a regular user");
        json.withArray("requiredActions").addObject().put("alias", "anonymous-guest-no-forms")
                .put("providerId", "anonymous-guest-no-forms").put("name", "Anonymous users: no forms for guests")
                .put("enabled", true).put("priority", Integer.MAX_VALUE);
        json.withArray("requiredActions").addObject().put("alias", "UPDATE_PASSWORD").put("providerId", "UPDATE_PASSWORD")
                .put("name", "My own name for it").put("enabled", true);
        admin.importRealm(json);

        JsonNode actions = admin.get("/admin/realms/" + realm + "/authentication/required-actions");

        assertThat(actions.findValuesAsText("name")).contains("Anonymous users: guest sign-up (all settings under ⚙)",
                "Anonymous users: keep guests in bounds (leave on)", "My own name for it");
    }

    @Test
    void theRetiredTabSavesNothingAndSaysWhereTheSettingsAre(AdminApi admin) {
        String realm = admin.createFreshRealm("retired");
        ObjectNode component = AdminApi.JSON.createObjectNode().put("name", "anonymous-users").put("providerId", "anonymous-users")
                .put("providerType", "org.keycloak.services.ui.extend.UiTabProvider")
                .put("parentId", admin.get("/admin/realms/" + realm).get("id").asText());
        component.putObject("config").putArray("enabled").add("true");

        var answer = admin.send("POST", "/admin/realms/" + realm + "/components", component);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("Authentication > Required actions > Anonymous users: guest sign-up");
        assertThat(admin.anonymousUsersSettings(realm).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void enablingAndThenDisablingLeavesEveryFlowAsItWas(AdminApi admin) {
        String realm = admin.createFreshRealm("flows");
        JsonNode before = admin.flowsWithExecutions(realm);

        admin.setAnonymousUsersEnabled(realm, true);
        admin.setAnonymousUsersEnabled(realm, false);

        assertThat(admin.flowsWithExecutions(realm)).isEqualTo(before);
    }

    @Test
    void everyNewRealmGetsTheGuestStepRightAfterTheCookieStep(AdminApi admin) {
        String realm = admin.createFreshRealm("steps");

        JsonNode executions = admin.get("/admin/realms/" + realm + "/authentication/flows/browser/executions");

        assertThat(executions.get(0).get("providerId").asText()).isEqualTo("auth-cookie");
        assertThat(executions.get(1).get("providerId").asText()).isEqualTo("anonymous-guest");
        assertThat(executions.get(1).get("requirement").asText()).isEqualTo("ALTERNATIVE");
    }

    @Test
    void enablingInTheDialogAddsTheAnonymousScopeToTheRealmAndItsClients(AdminApi admin) {
        String realm = admin.createFreshRealm("scope");

        admin.setAnonymousUsersEnabled(realm, true);

        assertThat(admin.get("/admin/realms/" + realm + "/default-default-client-scopes").findValuesAsText("name"))
                .contains("anonymous");
        for (JsonNode client : admin.get("/admin/realms/" + realm + "/clients")) {
            if ("openid-connect".equals(client.path("protocol").asText("openid-connect"))) {
                assertThat(client.get("defaultClientScopes").toString()).as(client.get("clientId").asText()).contains("\"anonymous\"");
            }
        }
    }
}
