package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.AppCallback;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.GuestInBrowser;
import dev.anonymoususers.testing.OidcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;

/**
 * Every bad sign-up as a visitor meets it in Chromium: the realm's message under the field, what was typed still
 * there (never the password), and the guest unchanged.
 */
class PromotionBadInputBrowserIT extends PromotionRealm {

    final AppCallback app = new AppCallback();

    @BeforeAll
    void policyAndApp() {
        admin.send("PUT", "/admin/realms/" + realm, AdminApi.JSON.createObjectNode().put("passwordPolicy", "length(12)"));
        var client = (com.fasterxml.jackson.databind.node.ObjectNode) admin.get("/admin/realms/" + realm + "/clients?clientId=web-app").get(0);
        client.set("redirectUris", AdminApi.JSON.createArrayNode().add(REDIRECT_URI).add(app.redirectUri()));
        admin.send("PUT", "/admin/realms/" + realm + "/clients/" + client.get("id").asText(), client);
    }

    @AfterAll
    void stopApp() {
        app.close();
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "password         | short-1                    | password         | Invalid password: minimum length 12.",
            "password-confirm | another-long-password      | password-confirm | Password confirmation doesn't match.",
            "password         | ''                         | password         | Please specify password.",
            "email            | not-an-email               | email            | Invalid email address.",
            "firstName        | ''                         | firstName        | Please specify this field.",
            "lastName         | LONG                       | lastName         | Maximal length is 255.",
            "firstName        | <script>alert(1)</script>  | firstName        | invalid character",
            "email            | alice@example.com          | email            | Email already exists.",
            "username         | alice                      | username         | Username already exists.",
    })
    void badSignUpShowsTheRealmsMessageAndChangesNothing(String field, String value, String errorField, String message) {
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());
        String name = unique("browser");
        Map<String, String> form = new java.util.HashMap<>(signUp(name));
        form.put(field, "LONG".equals(value) ? "x".repeat(300) : value);
        if (field.equals("password")) {
            form.put("password-confirm", form.get("password"));
        }

        try (Browser browser = new Browser()) {
            String guestSub = GuestInBrowser.signIn(browser, client, app);
            GuestInBrowser.openSignUpPage(browser, client);
            form.forEach((name1, value1) -> {
                var input = browser.await(By.name(name1));
                input.clear();
                if (!value1.isEmpty()) {
                    input.sendKeys(value1);
                }
            });
            browser.await(By.id("kc-promote")).click();

            assertThat(browser.await(By.id("input-error-" + errorField)).getText()).contains(message);
            assertThat(browser.await(By.name("password")).getAttribute("value")).isEmpty();
            if (!field.equals("email")) {
                assertThat(browser.await(By.cssSelector("#" + FORM + " [name=email]")).getAttribute("value"))
                        .isEqualTo(name + "@example.com");
            }
            assertThat(admin.isGuest(realm, guestSub)).isTrue();
            assertThat(admin.user(realm, guestSub).has("email")).isFalse();
        }
    }
}
