package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.RealmPerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** guestGroups: every new guest joins them, on every path, and leaves them when it becomes a regular user. */
class GuestGroupsIT extends RealmPerTest {

    @BeforeEach
    void realmWithAGuestGroup() {
        admin.send("POST", "/admin/realms/" + realm + "/groups", AdminApi.JSON.createObjectNode().put("name", "guests"));
        assertThat(admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"guestGroups\": [\"/guests\"]}",
                admin.adminToken()).statusCode()).isEqualTo(200);
    }

    List<String> groupsOf(String userId) {
        return admin.get("/admin/realms/" + realm + "/users/" + userId + "/groups").findValuesAsText("path");
    }

    @Test
    void webGuestJoinsTheGuestGroups() {
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);

        String sub = browser.exchange(browser.authorizeAsGuest()).idTokenClaims().get("sub").asText();

        assertThat(groupsOf(sub)).containsExactly("/guests");
    }

    @Test
    void deviceGuestJoinsTheGuestGroups() {
        DeviceKeyClient app = new DeviceKeyClient(server, realm, "web-app");

        String sub = app.signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).challenge(app.challenge()).build()).sub();

        assertThat(groupsOf(sub)).containsExactly("/guests");
    }

    @Test
    void promotedUserLeavesTheGuestGroups() {
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        String sub = browser.exchange(browser.authorizeAsGuest()).idTokenClaims().get("sub").asText();
        Map<String, String> signUp = new HashMap<>(Map.of("username", "grouped-" + sub.substring(0, 8),
                "email", "grouped-" + sub.substring(0, 8) + "@example.com", "firstName", "Grace", "lastName", "Hopper",
                "password", "a-long-password-1", "password-confirm", "a-long-password-1"));

        OidcClient.Authorization done = browser.submit(browser.authorize(Map.of("kc_action", "promote-anonymous")),
                "kc-promote-anonymous-form", signUp);

        assertThat(done.parameter("kc_action_status")).isEqualTo("success");
        assertThat(groupsOf(sub)).isEmpty();
    }

    @Test
    void unknownGroupIsRefusedAndNothingIsSaved() {
        var answer = admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"guestGroups\": [\"/nope\"]}",
                admin.adminToken());

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode error = AdminApi.read(answer.body());
        assertThat(error.get("field").asText()).isEqualTo("guestGroups");
        assertThat(error.get("errorMessage").asText()).contains("(guestGroups) names /nope, and realm " + realm + " has no such group");
        assertThat(admin.get("/admin/realms/" + realm + "/anonymous-users").get("guestGroups"))
                .extracting(JsonNode::asText).containsExactly("/guests");
    }
}
