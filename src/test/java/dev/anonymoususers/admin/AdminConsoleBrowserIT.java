package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.Setting;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * An admin configures anonymous users in the admin console of a server without any feature flag, as the README tells
 * them to: <em>Authentication → Required actions → ⚙</em> of the action that holds the settings.
 */
@WithKeycloak
class AdminConsoleBrowserIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";
    static final By SETTINGS_GEAR = By.xpath("//tr[.//*[contains(text(), 'Anonymous users: guest sign-up')]]"
            + "//button[@aria-label='Settings']");

    @Test
    void newAdminSwitchesAnonymousUsersOnInTheDialogOfADefaultServer(KeycloakServer server, AdminApi admin) {
        String realm = admin.createFreshRealm("console");
        admin.addPublicClient(realm, "web-app", REDIRECT_URI);
        assertThat(new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest().error()).isEqualTo("access_denied");

        try (Browser browser = signedIn(server, realm)) {
            openSettings(browser, realm);
            for (Setting setting : Setting.values()) {
                browser.await(By.xpath("//label[normalize-space()=" + xpathLiteral(setting.label()) + "]"));
            }
            browser.await(By.cssSelector("label[for='enabled']")).click();
            browser.screenshot("settings-dialog");
            browser.await(By.cssSelector("[data-testid='save']")).click();
            browser.await(By.xpath("//*[contains(@class, 'pf-v5-c-alert')][contains(., 'success') or contains(., 'saved')]"));
        }

        assertThat(admin.anonymousUsersSettings(realm).get("enabled").asBoolean()).isTrue();
        assertThat(new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest().code()).isNotBlank();
    }

    @Test
    void everyBadValueTypedIntoTheDialogIsRefusedNamingTheSettingAndChangesNothing(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"maxGuests\": 1000}", admin.adminToken());
        JsonNode before = admin.anonymousUsersSettings(realm);
        Map<String, List<String>> badValues = Map.of(
                "config.maxGuests", List.of("-5", "Maximum guests in the realm (maxGuests) must be 0 or more"),
                "config.guestsPerAddressPerHour", List.of("many", "New guests per address per hour (guestsPerAddressPerHour) must be a whole number"),
                "config.challengeLifetimeSeconds", List.of("7200", "(challengeLifetimeSeconds) must be from 1 to 3600"),
                "config.guestClients.0.value", List.of("no-such-app", "(guestClients) names no-such-app, and realm " + realm + " has no such client"),
                "config.deviceKeyClients.0.value", List.of("account-console", "(deviceKeyClients) cannot name account-console"),
                "config.guestGroups.0.value", List.of("/no-such-group", "Groups guests join (guestGroups) names /no-such-group"));

        try (Browser browser = signedIn(server, realm)) {
            badValues.forEach((field, valueAndRefusal) -> {
                openSettings(browser, realm);
                WebElement input = browser.await(By.name(field));
                input.sendKeys(Keys.chord(Keys.CONTROL, "a"), valueAndRefusal.get(0));
                browser.await(By.cssSelector("[data-testid='save']")).click();
                browser.await(By.xpath("//*[contains(@class, 'pf-v5-c-alert')][contains(., "
                        + xpathLiteral(valueAndRefusal.get(1)) + ")]"));
                if (field.equals("config.maxGuests")) {
                    browser.screenshot("settings-dialog-refusal");
                }
                assertThat(admin.anonymousUsersSettings(realm)).as(field + " " + valueAndRefusal.get(0)).isEqualTo(before);
            });
        }
    }

    @Test
    void clearInTheDialogBringsBackEveryDefault(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"maxGuests\": 1000}", admin.adminToken());

        try (Browser browser = signedIn(server, realm)) {
            openSettings(browser, realm);
            browser.await(By.cssSelector("[data-testid='clear']")).click();
            browser.awaitGone(By.cssSelector("[data-testid='clear']"));
        }

        assertThat(admin.anonymousUsersSettings(realm)).isEqualTo(SettingsApiIT.defaults());
        assertThat(new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest().error()).isEqualTo("access_denied");
    }

    @Test
    void aGuestsDetailsShowTheGuestMarkReadOnly(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        OidcClient app = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        String guest = app.exchange(app.authorizeAsGuest()).idTokenClaims().get("sub").asText();

        try (Browser browser = signedIn(server, realm)) {
            browser.open(server.baseUrl() + "/admin/master/console/#/" + realm + "/users/" + guest + "/settings");
            browser.await(By.xpath("//label[normalize-space()='Guest (anonymous user)']"));
            WebElement mark = browser.await(By.id("anonymous"));
            assertThat(mark.getAttribute("value")).isEqualTo("true");
            assertThat(mark.isEnabled() && mark.getAttribute("readonly") == null).as("read-only").isFalse();
            browser.driver().manage().window().setSize(new Dimension(1280, 1300));
            browser.screenshot("admin-guest-details");
        }
    }

    /** The list of required actions, then the ⚙ of the action that holds the settings. */
    private static void openSettings(Browser browser, String realm) {
        browser.open(browser.driver().getCurrentUrl().replaceAll("#.*", "#/" + realm + "/authentication/required-actions"));
        browser.driver().navigate().refresh();
        browser.await(SETTINGS_GEAR).click();
        browser.await(By.cssSelector("[data-testid='save']"));
    }

    private static Browser signedIn(KeycloakServer server, String realm) {
        Browser browser = new Browser();
        browser.driver().manage().window().setSize(new Dimension(1280, 1400));
        browser.open(server.baseUrl() + "/admin/master/console/#/" + realm + "/authentication/required-actions");
        browser.await(By.id("username")).sendKeys(KeycloakServer.ADMIN);
        browser.await(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
        browser.await(By.id("kc-login")).click();
        browser.await(SETTINGS_GEAR);
        return browser;
    }

    private static String xpathLiteral(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }
}
