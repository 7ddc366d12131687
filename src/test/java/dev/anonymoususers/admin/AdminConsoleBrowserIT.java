package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.NeedsAdminTab;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An admin switches anonymous users on and off in the admin console, as the README tells them to. */
@WithKeycloak
@NeedsAdminTab
class AdminConsoleBrowserIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";
    static final By SWITCH = By.id("enabled");

    @Test
    void adminSwitchesAnonymousUsersOnAndOffUnderAuthentication(KeycloakServer server, AdminApi admin) {
        String realm = admin.createFreshRealm("console");
        admin.addPublicClient(realm, "web-app", REDIRECT_URI);

        try (Browser browser = signedIn(server, realm + "/authentication/anonymous-users")) {
            WebElement tab = browser.await(By.xpath("//*[@role='tab'][normalize-space()='Anonymous users']"));
            assertThat(tab.getText()).isEqualTo("Anonymous users");
            assertThat(switchIsOn(browser)).as("off by default").isFalse();

            toggleAndSave(browser);
            awaitSaved(admin, realm, "true");
            assertThat(new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest().code()).isNotBlank();

            toggleAndSave(browser);
            awaitSaved(admin, realm, "false");
            assertThat(new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest().error()).isEqualTo("access_denied");
        }
    }

    @Test
    void adminSeesEverySettingWithTheGuestsAtAGlanceAndARefusalForABadValue(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        for (int i = 0; i < 2; i++) {
            new OidcClient(server, realm, "web-app", REDIRECT_URI).authorizeAsGuest();
        }
        admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users", "{\"maxGuests\": 1000}", admin.adminToken());

        try (Browser browser = signedIn(server, realm + "/authentication/anonymous-users")) {
            for (String label : new String[] { "Enable anonymous users", "Clients that may create guests",
                    "Clients that may use device keys", "New guests per address per hour", "Maximum guests in the realm",
                    "Device challenge lifetime (seconds)", "Groups guests join", "Remove inactive guests after (days)",
                    "At a glance" }) {
                browser.await(By.xpath("//label[normalize-space()=" + xpathLiteral(label) + "]"));
            }
            WebElement glance = browser.await(By.id("config.statistics"));
            assertThat(glance.getAttribute("value")).startsWith("2 guests now · 2 created in the last 24 hours");
            assertThat(browser.await(By.id("config.maxGuests")).getAttribute("value")).isEqualTo("1000");
            browser.driver().manage().window().setSize(new Dimension(1280, 1400));
            browser.screenshot("admin-tab");

            WebElement maxGuests = browser.await(By.id("config.maxGuests"));
            maxGuests.sendKeys(Keys.chord(Keys.CONTROL, "a"), "-5");
            browser.await(By.cssSelector("[data-testid='save']")).click();
            browser.await(By.xpath("//*[contains(@class, 'alert')][contains(., 'maxGuests must be 0 or more (0 means no limit)')]"));
            browser.screenshot("admin-tab-refusal");
            assertThat(admin.get("/admin/realms/" + realm + "/anonymous-users").get("maxGuests").asInt()).isEqualTo(1000);
        }
    }

    @Test
    void aGuestsDetailsShowTheGuestMarkReadOnly(KeycloakServer server, AdminApi admin) {
        String realm = admin.importGuestsRealm(REDIRECT_URI, true);
        OidcClient app = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        String guest = app.exchange(app.authorizeAsGuest()).idTokenClaims().get("sub").asText();

        try (Browser browser = signedIn(server, realm + "/users/" + guest + "/settings")) {
            browser.await(By.xpath("//label[normalize-space()='Guest (anonymous user)']"));
            WebElement mark = browser.await(By.id("anonymous"));
            assertThat(mark.getAttribute("value")).isEqualTo("true");
            assertThat(mark.isEnabled() && mark.getAttribute("readonly") == null).as("read-only").isFalse();
            browser.driver().manage().window().setSize(new Dimension(1280, 1300));
            browser.screenshot("admin-guest-details");
        }
    }

    private static Browser signedIn(KeycloakServer server, String consolePath) {
        Browser browser = new Browser();
        browser.open(server.baseUrl() + "/admin/master/console/#/" + consolePath);
        browser.await(By.id("username")).sendKeys(KeycloakServer.ADMIN);
        browser.await(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
        browser.await(By.id("kc-login")).click();
        return browser;
    }

    private static String xpathLiteral(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }

    private static boolean switchIsOn(Browser browser) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
                .until(d -> !d.findElements(SWITCH).isEmpty());
        return browser.driver().findElement(SWITCH).isSelected();
    }

    private static void toggleAndSave(Browser browser) {
        browser.await(By.cssSelector("label[for='enabled'], label.pf-v5-c-switch")).click();
        browser.await(By.cssSelector("[data-testid='save']")).click();
    }

    private static void awaitSaved(AdminApi admin, String realm, String enabled) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            var component = admin.anonymousUsersComponent(realm);
            if (component != null && enabled.equals(component.path("config").path("enabled").path(0).asText())) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("The console did not save enabled=" + enabled + " for realm " + realm);
    }
}
