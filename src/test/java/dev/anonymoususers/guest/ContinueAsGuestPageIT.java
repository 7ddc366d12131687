package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.AppCallback;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.WithKeycloak;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;

/** "Continue as guest" on Keycloak's own login page, in real headless Chromium. */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContinueAsGuestPageIT {

    static final By CONTINUE_AS_GUEST = By.id("kc-continue-as-guest");
    static final By LOGIN_FORM = By.id("kc-form-login");

    final AppCallback app = new AppCallback();
    KeycloakServer server;
    AdminApi admin;

    @BeforeAll
    void setUp(KeycloakServer server, AdminApi admin) {
        this.server = server;
        this.admin = admin;
    }

    @AfterAll
    void stopApp() {
        app.close();
    }

    String realm(boolean enabled, String loginTheme) {
        String realm = admin.importGuestsRealm(app.redirectUri(), enabled);
        if (loginTheme != null) {
            ObjectNode update = AdminApi.JSON.createObjectNode().put("loginTheme", loginTheme);
            admin.send("PUT", "/admin/realms/" + realm, update);
        }
        return realm;
    }

    @Smoke
    @ParameterizedTest(name = "login theme {0}")
    @ValueSource(strings = { "keycloak.v2", "custom-v2", "keycloak" })
    void guestContinuesFromTheLoginPageAndTheAppGetsAGuest(String loginTheme) {
        String realm = realm(true, loginTheme);
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());
        int users = admin.countUsers(realm);

        try (Browser browser = new Browser()) {
            String request = client.authorizationUrl(Map.of("state", "app-state-1"));
            browser.open(request);
            browser.await(LOGIN_FORM);
            assertThat(browser.await(CONTINUE_AS_GUEST).getText()).isEqualTo("Continue as guest");

            browser.await(CONTINUE_AS_GUEST).click();
            browser.awaitUrlStartingWith(app.redirectUri());

            Authorization answer = new Authorization(302, URI.create(browser.url()), null);
            assertThat(answer.parameter("state")).isEqualTo("app-state-1");
            OidcClient.Tokens tokens = client.exchange(answer.code());
            assertThat(tokens.idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
            assertThat(admin.countUsers(realm)).isEqualTo(users + 1);
        }
    }

    @Smoke
    @ParameterizedTest(name = "login theme {0}")
    @ValueSource(strings = { "keycloak.v2", "custom-v2", "keycloak" })
    void visitorWhoMistypedThePasswordCanStillContinueAsGuest(String loginTheme) {
        String realm = realm(true, loginTheme);
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());

        try (Browser browser = new Browser()) {
            browser.open(client.authorizationUrl(Map.of("state", "app-state-2")));
            browser.await(By.id("username")).sendKeys("alice");
            browser.await(By.id("password")).sendKeys("not-her-password");
            browser.await(By.id("kc-login")).click();
            browser.await(By.cssSelector("#input-error, #input-error-username"));
            browser.screenshot("continue-as-guest-after-wrong-password-" + loginTheme);

            browser.await(CONTINUE_AS_GUEST).click();
            browser.awaitUrlStartingWith(app.redirectUri());

            Authorization answer = new Authorization(302, URI.create(browser.url()), null);
            assertThat(answer.parameter("state")).isEqualTo("app-state-2");
            assertThat(client.exchange(answer.code()).idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
        }
    }

    @Test
    void labelFollowsTheLoginPageLanguage() {
        String realm = realm(true, null);
        admin.send("PUT", "/admin/realms/" + realm, AdminApi.JSON.createObjectNode()
                .put("internationalizationEnabled", true)
                .put("defaultLocale", "en")
                .set("supportedLocales", AdminApi.JSON.createArrayNode().add("en").add("de")));
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());

        try (Browser browser = new Browser()) {
            browser.open(client.authorizationUrl(Map.of("ui_locales", "de")));

            assertThat(browser.await(CONTINUE_AS_GUEST).getText()).isEqualTo("Als Gast fortfahren");
        }
    }

    @Test
    void loginPageOfARealmWithAnonymousUsersOffHasNoGuestButton() {
        String realm = realm(false, null);
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());

        try (Browser browser = new Browser()) {
            browser.open(client.authorizationUrl(Map.of()));
            browser.await(LOGIN_FORM);

            assertThat(browser.isPresent(CONTINUE_AS_GUEST)).isFalse();
        }
    }

    @Test
    void regularUserStillSignsInWithPasswordOnTheSamePage() {
        String realm = realm(true, null);
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());

        try (Browser browser = new Browser()) {
            browser.open(client.authorizationUrl(Map.of()));
            browser.await(By.id("username")).sendKeys("alice");
            browser.await(By.id("password")).sendKeys("alice-password");
            browser.await(By.id("kc-login")).click();
            browser.awaitUrlStartingWith(app.redirectUri());

            Authorization answer = new Authorization(302, URI.create(browser.url()), null);
            assertThat(client.exchange(answer.code()).idTokenClaims().get("is_anonymous").asBoolean()).isFalse();
        }
    }
}
