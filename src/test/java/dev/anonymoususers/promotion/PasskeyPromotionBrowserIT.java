package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.AppCallback;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.GuestInBrowser;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.Smoke;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

/**
 * A passkey instead of a password, through Keycloak's own WebAuthn passwordless registration, in Chromium with a
 * virtual platform authenticator. WebAuthn needs a host name, so the browser talks to Keycloak as localhost.
 */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasskeyPromotionBrowserIT {

    final AppCallback app = new AppCallback();
    KeycloakServer server;
    AdminApi admin;
    String realm;

    @BeforeAll
    void realmWithPasskeys(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
        realm = admin.importGuestsRealm(app.redirectUri(), true);
        // As the admin console saves Authentication → Policies → Webauthn Passwordless Policy: the whole realm.
        var representation = (com.fasterxml.jackson.databind.node.ObjectNode) admin.get("/admin/realms/" + realm);
        admin.send("PUT", "/admin/realms/" + realm, representation.put("webAuthnPolicyPasswordlessPasskeysEnabled", true));
    }

    @AfterAll
    void stopApp() {
        app.close();
    }

    String viaLocalhost(String url) {
        return url.replace(server.baseUrl(), server.localhostUrl());
    }

    @Smoke
    @Test
    void guestRegistersAPasskeyAndIsPromotedWithoutAPassword() {
        assertThat(admin.get("/admin/realms/" + realm).get("webAuthnPolicyPasswordlessPasskeysEnabled").asBoolean()).isTrue();
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());
        String name = "passkey-" + java.util.UUID.randomUUID().toString().substring(0, 8);

        try (Browser browser = new Browser()) {
            browser.addPasskeyAuthenticator();
            String guestSub = GuestInBrowser.signIn(browser, client, app, this::viaLocalhost);
            browser.open(viaLocalhost(client.authorizationUrl(Map.of("scope", "openid offline_access"))));
            browser.awaitUrlStartingWith(app.redirectUri());
            String offlineToken = client.exchange(new Authorization(302, URI.create(browser.url()), null).code()).refreshToken();
            GuestInBrowser.openSignUpPage(browser, client, this::viaLocalhost);
            browser.fill(Map.of("username", name, "email", name + "@example.com", "firstName", "Grace", "lastName", "Hopper"));
            browser.screenshot("sign-up-with-passkey-offer");
            browser.await(By.id("kc-promote-passkey")).click();
            browser.await(By.id("registerWebAuthn")).click();
            acceptLabelPrompt(browser);
            browser.awaitUrlStartingWith(app.redirectUri());

            Authorization answer = new Authorization(302, URI.create(browser.url()), null);
            assertThat(answer.parameter("kc_action_status")).isEqualTo("success");
            JsonNode claims = client.exchange(answer.code()).idTokenClaims();
            assertThat(claims.get("sub").asText()).isEqualTo(guestSub);
            assertThat(claims.get("is_anonymous").asBoolean()).isFalse();
            assertThat(claims.get("email").asText()).isEqualTo(name + "@example.com");
            assertThat(admin.get("/admin/realms/" + realm + "/users/" + guestSub + "/credentials"))
                    .extracting(credential -> credential.get("type").asText()).containsExactly("webauthn-passwordless");
            JsonNode event = admin.get("/admin/realms/" + realm + "/events?type=CUSTOM_REQUIRED_ACTION&user=" + guestSub).get(0);
            assertThat(event.path("details").path("promote_method").asText()).isEqualTo("passkey");
            assertThat(event.path("details").path("ended_sessions").asText()).isEqualTo("1");
            assertThat(client.tryRefresh(offlineToken).statusCode()).as("the guest's offline token").isEqualTo(400);
        }
    }

    @Test
    void realmWithoutPasskeysOffersNone() {
        String plain = admin.importGuestsRealm(app.redirectUri(), true);
        OidcClient client = new OidcClient(server, plain, "web-app", app.redirectUri());

        try (Browser browser = new Browser()) {
            GuestInBrowser.signIn(browser, client, app);
            GuestInBrowser.openSignUpPage(browser, client);

            assertThat(browser.isPresent(By.id("kc-promote-passkey"))).isFalse();
        }
    }

    /** Keycloak's registration script asks for a label for the new passkey; its default is fine. */
    private static void acceptLabelPrompt(Browser browser) {
        try {
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent()).accept();
        } catch (org.openqa.selenium.TimeoutException noPrompt) {
            // this version of the page asks for no label
        }
    }
}
