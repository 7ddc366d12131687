package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An admin switches anonymous users on and off in the admin console, as the README tells them to. */
@WithKeycloak
class AdminConsoleBrowserIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";
    static final By SWITCH = By.id("enabled");

    @Test
    void adminSwitchesAnonymousUsersOnAndOffUnderAuthentication(KeycloakServer server, AdminApi admin) {
        String realm = admin.createFreshRealm("console");
        admin.addPublicClient(realm, "web-app", REDIRECT_URI);

        try (Browser browser = new Browser()) {
            browser.open(server.baseUrl() + "/admin/master/console/#/" + realm + "/authentication/anonymous-users");
            browser.await(By.id("username")).sendKeys(KeycloakServer.ADMIN);
            browser.await(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
            browser.await(By.id("kc-login")).click();

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
