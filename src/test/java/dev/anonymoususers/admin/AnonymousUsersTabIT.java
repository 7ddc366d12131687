package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.WithKeycloak;
import dev.anonymoususers.testing.NeedsAdminTab;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.Test;

/** The Authentication → Anonymous users tab: what saving it does to a realm, and what it leaves alone. */
@WithKeycloak
class AnonymousUsersTabIT {

    @Smoke
    @NeedsAdminTab
    @Test
    void tabIsRegisteredUnderAuthentication(AdminApi admin) {
        JsonNode tabs = admin.get("/admin/serverinfo").get("componentTypes").get("org.keycloak.services.ui.extend.UiTabProvider");

        JsonNode tab = null;
        for (JsonNode candidate : tabs) {
            if ("anonymous-users".equals(candidate.get("id").asText())) {
                tab = candidate;
            }
        }
        assertThat(tab).isNotNull();
        assertThat(tab.get("metadata").get("path").asText()).isEqualTo("/:realm/authentication/:tab?");
        assertThat(tab.get("metadata").get("params").get("tab").asText()).isEqualTo("anonymous-users");
        assertThat(tab.get("properties").findValuesAsText("name")).contains("enabled");
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
    void enablingChangesNoFlowOfAFreshRealm(AdminApi admin) {
        String realm = admin.createFreshRealm("flows");
        JsonNode before = admin.flowsWithExecutions(realm);

        admin.setAnonymousUsersEnabled(realm, true);

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
    void enablingAddsTheAnonymousScopeAsADefaultScopeOfTheRealmAndItsClients(AdminApi admin) {
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

    @Smoke
    @Test
    void settingsAreReadBackAsSaved(AdminApi admin) {
        String realm = admin.createFreshRealm("settings");

        admin.setAnonymousUsersEnabled(realm, true);
        assertThat(admin.anonymousUsersComponent(realm).get("config").get("enabled").get(0).asText()).isEqualTo("true");

        admin.setAnonymousUsersEnabled(realm, false);
        assertThat(admin.anonymousUsersComponent(realm).get("config").get("enabled").get(0).asText()).isEqualTo("false");
    }

    @Test
    void settingsTravelWithARealmExport(AdminApi admin) {
        String realm = admin.createFreshRealm("export");
        admin.setAnonymousUsersEnabled(realm, true);

        JsonNode export = AdminApi.read(admin.send("POST", "/admin/realms/" + realm + "/partial-export", null).body());

        assertThat(export.get("components").get("org.keycloak.services.ui.extend.UiTabProvider").toString())
                .contains("\"providerId\":\"anonymous-users\"").contains("\"enabled\":[\"true\"]");
    }
}
