package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.AppCallback;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A realm exactly as Keycloak makes it — a user profile that requires email, first and last name, and Verify
 * Profile on — where the admin did nothing but switch anonymous users on: a guest sees no form.
 */
@WithKeycloak
class FreshRealmBrowserIT {

    @Test
    void guestOfAFreshRealmSeesNoFormAndLandsInTheApp(KeycloakServer server, AdminApi admin) {
        String realm = admin.createFreshRealm("fresh");
        assertFreshRealmDefaults(admin, realm);
        try (AppCallback app = new AppCallback(); Browser browser = new Browser()) {
            admin.addPublicClient(realm, "web-app", app.redirectUri());
            admin.setAnonymousUsersEnabled(realm, true);
            OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());

            browser.open(client.authorizationUrl(Map.of("login_hint", "anonymous")));
            browser.await(By.id("app"));

            assertThat(browser.url()).startsWith(app.redirectUri());
            Authorization answer = new Authorization(302, URI.create(browser.url()), null);
            JsonNode claims = client.exchange(answer.code()).idTokenClaims();
            assertThat(claims.get("is_anonymous").asBoolean()).isTrue();
            assertThat(admin.user(realm, claims.get("sub").asText()).path("requiredActions")).isEmpty();
        }
    }

    private static void assertFreshRealmDefaults(AdminApi admin, String realm) {
        JsonNode verifyProfile = admin.get("/admin/realms/" + realm + "/authentication/required-actions/VERIFY_PROFILE");
        assertThat(verifyProfile.get("enabled").asBoolean()).as("Verify Profile is on").isTrue();
        String profile = admin.get("/admin/realms/" + realm + "/users/profile").toString();
        assertThat(profile).as("the default user profile requires email and names")
                .contains("\"name\":\"email\"").contains("\"name\":\"firstName\"").contains("\"required\"");
    }
}
