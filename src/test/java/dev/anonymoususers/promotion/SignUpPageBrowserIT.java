package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.AppCallback;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.GuestInBrowser;
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

/**
 * The sign-up page in real headless Chromium, inside the realm's login theme: keycloak.v2 (the default), a theme
 * that extends it, and the older keycloak theme. Screenshots are kept under target/screenshots.
 */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignUpPageBrowserIT {

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

    String realm(String loginTheme) {
        String realm = admin.importGuestsRealm(app.redirectUri(), true);
        ObjectNode update = AdminApi.JSON.createObjectNode().put("loginTheme", loginTheme);
        admin.send("PUT", "/admin/realms/" + realm, update);
        return realm;
    }

    static void openSignUpPageAsGuest(Browser browser, OidcClient client, AppCallback app) {
        GuestInBrowser.signIn(browser, client, app);
        GuestInBrowser.openSignUpPage(browser, client);
    }

    @Smoke
    @ParameterizedTest(name = "login theme {0}")
    @ValueSource(strings = { "keycloak.v2", "custom-v2", "keycloak" })
    void guestSignsUpOnThePageOfTheRealmsTheme(String loginTheme) {
        String realm = realm(loginTheme);
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());
        String name = "theme-" + java.util.UUID.randomUUID().toString().substring(0, 8);

        try (Browser browser = new Browser()) {
            openSignUpPageAsGuest(browser, client, app);
            assertThat(browser.await(By.id("kc-page-title")).getText()).isEqualTo("Create your account");
            assertThat(browser.await(By.id("kc-cancel")).getText()).isEqualTo("Cancel");
            browser.screenshot("sign-up-" + loginTheme);

            browser.fill(Map.of("username", name, "email", name + "@example.com", "firstName", "Grace",
                    "lastName", "Hopper", "password", "a-long-password-1", "password-confirm", "other-password-1"));
            browser.await(By.id("kc-promote")).click();
            assertThat(browser.await(By.id("input-error-password-confirm")).getText())
                    .isEqualTo("Password confirmation doesn't match.");
            assertThat(browser.await(By.name("email")).getAttribute("value")).isEqualTo(name + "@example.com");
            assertThat(browser.await(By.name("password")).getAttribute("value")).isEmpty();
            browser.screenshot("sign-up-" + loginTheme + "-error");

            browser.fill(Map.of("password", "a-long-password-1", "password-confirm", "a-long-password-1"));
            browser.await(By.id("kc-promote")).click();
            browser.awaitUrlStartingWith(app.redirectUri());

            Authorization answer = new Authorization(302, URI.create(browser.url()), null);
            assertThat(answer.parameter("kc_action_status")).isEqualTo("success");
            assertThat(client.exchange(answer.code()).idTokenClaims().get("is_anonymous").asBoolean()).isFalse();
        }
    }

    @Test
    void pageSpeaksTheLanguageOfTheLoginPage() {
        String realm = realm("keycloak.v2");
        admin.send("PUT", "/admin/realms/" + realm, AdminApi.JSON.createObjectNode()
                .put("internationalizationEnabled", true)
                .put("defaultLocale", "en")
                .set("supportedLocales", AdminApi.JSON.createArrayNode().add("en").add("de").add("fr")));
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());

        try (Browser browser = new Browser()) {
            GuestInBrowser.signIn(browser, client, app);
            browser.open(client.authorizationUrl(Map.of("kc_action", "promote-anonymous", "ui_locales", "fr")));

            assertThat(browser.await(By.id("kc-page-title")).getText()).isEqualTo("Créer votre compte");
            assertThat(browser.await(By.id("kc-promote-anonymous-intro")).getText()).contains("en tant qu'invité");
            browser.screenshot("sign-up-fr");
        }
    }

    @Test
    void cancelReturnsToTheAppWithCancelled() {
        String realm = realm("keycloak.v2");
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());

        try (Browser browser = new Browser()) {
            openSignUpPageAsGuest(browser, client, app);
            browser.await(By.id("kc-cancel")).click();
            browser.awaitUrlStartingWith(app.redirectUri());

            Authorization answer = new Authorization(302, URI.create(browser.url()), null);
            assertThat(answer.parameter("kc_action_status")).isEqualTo("cancelled");
            assertThat(client.exchange(answer.code()).idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
        }
    }
}
