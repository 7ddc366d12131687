package dev.anonymoususers.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.DpopProofs;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.WithKeycloak;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

/**
 * The demo web app of the README, as a visitor uses it: keycloak-js, "Continue as guest", a preference saved
 * against the guest's account. It runs the demo's own realm and server, on free ports.
 */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoAppBrowserIT {

    Process demo;
    String appUrl;

    @BeforeAll
    void startDemo(KeycloakServer server, AdminApi admin) throws Exception {
        Path demoDir = Path.of(System.getProperty("demo.dir"));
        int port = KeycloakServer.freePort();
        appUrl = "http://localhost:" + port;

        ObjectNode realm = (ObjectNode) AdminApi.JSON.readTree(Files.readString(demoDir.resolve("demo-realm.json")));
        ObjectNode client = (ObjectNode) realm.get("clients").get(0);
        client.put("rootUrl", appUrl);
        ((ArrayNode) client.putArray("redirectUris")).add(appUrl + "/*");
        ((ArrayNode) client.putArray("webOrigins")).add(appUrl);
        ((ObjectNode) client.get("attributes")).put("post.logout.redirect.uris", appUrl + "/*");
        admin.importRealm(realm);

        Path data = Path.of("target", "demo-it");
        Files.createDirectories(data);
        Files.deleteIfExists(data.resolve("preferences.properties"));
        demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("demo.classpath"),
                demoDir.resolve("DemoServer.java").toString(), Integer.toString(port), server.baseUrl(), data.toString()))
                .directory(demoDir.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("demo-server.log").toFile())
                .start();
        awaitListening(port, data.resolve("demo-server.log"));
    }

    @AfterAll
    void stopDemo() {
        if (demo != null) {
            demo.destroy();
        }
    }

    @Test
    void visitorContinuesAsGuestSavesAPreferenceAndFindsItAgain() {
        try (Browser browser = new Browser()) {
            browser.open(appUrl);
            browser.await(By.id("continue-as-guest")).click();

            String sub = browser.await(By.id("sub")).getText();
            assertThat(sub).isNotBlank();
            browser.awaitText(By.id("is-anonymous"), "true");
            assertThat(browser.await(By.id("username")).getText()).startsWith("guest-");
            browser.awaitText(By.id("tokens"), "Bearer"); // keycloak-js: a web guest's tokens are not bound

            savePreference(browser, "teal");

            browser.open(appUrl); // a new page load: keycloak-js finds the session again
            browser.awaitText(By.id("sub"), sub);
            browser.awaitText(By.id("saved-preference"), "teal");

            browser.await(By.id("sign-out")).click();
            browser.await(By.id("continue-as-guest"));
        }
    }

    @Test
    void secondVisitorGetsAnotherGuestWithNothingSaved() {
        try (Browser browser = new Browser()) {
            browser.open(appUrl);
            browser.await(By.id("continue-as-guest")).click();

            browser.awaitText(By.id("is-anonymous"), "true");
            browser.awaitText(By.id("saved-preference"), "nothing yet");
        }
    }

    @Test
    void rememberedDeviceComesBackAsTheSameGuestAfterCookiesAndTheBrowserAreGone() {
        Path profile = Browser.newProfile();
        String sub;
        try (Browser browser = Browser.withProfile(profile)) {
            browser.open(appUrl);
            browser.await(By.id("remember-device")).click();
            sub = browser.await(By.id("sub")).getText();
            browser.awaitText(By.id("device"), "remembered");
            browser.awaitText(By.id("is-anonymous"), "true");
            browser.awaitText(By.id("tokens"), "DPoP, bound to this device's key");
            savePreference(browser, "amber");

            browser.clearAllCookies();
            browser.open(appUrl);
            browser.awaitText(By.id("sub"), sub);
        }
        try (Browser restarted = Browser.withProfile(profile)) {
            restarted.open(appUrl);

            restarted.awaitText(By.id("sub"), sub);
            restarted.awaitText(By.id("saved-preference"), "amber"); // read through the API with a bound token and its proof
            restarted.awaitText(By.id("is-anonymous"), "true");
            restarted.awaitText(By.id("tokens"), "DPoP, bound to this device's key");
        } finally {
            Browser.deleteProfile(profile);
        }
    }

    @Test
    void signingOutForgetsTheDevice() {
        try (Browser browser = new Browser()) {
            browser.open(appUrl);
            browser.await(By.id("remember-device")).click();
            String sub = browser.await(By.id("sub")).getText();
            assertThat(sub).isNotBlank();

            browser.await(By.id("sign-out")).click();
            browser.await(By.id("remember-device"));
            browser.await(By.id("continue-as-guest")).click();

            browser.awaitText(By.id("is-anonymous"), "true");
            assertThat(browser.await(By.id("sub")).getText()).isNotEqualTo(sub);
        }
    }

    static Map<String, String> signUp(String name) {
        return Map.of("username", name, "email", name + "@example.com", "firstName", "Grace", "lastName", "Hopper",
                "password", "a-long-password-1", "password-confirm", "a-long-password-1");
    }

    @Test
    void guestSignsUpToKeepTheAccountAndKeepsSubAndPreference() {
        String name = "demo-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String sub;
        try (Browser browser = new Browser()) {
            browser.open(appUrl);
            browser.await(By.id("continue-as-guest")).click();
            sub = browser.await(By.id("sub")).getText();
            savePreference(browser, "violet");

            signUpOnThePage(browser, name, "demo-sign-up-page");
            assertThat(browser.await(By.id("sub")).getText()).isEqualTo(sub);
            browser.awaitText(By.id("email"), name + "@example.com");
            browser.awaitText(By.id("saved-preference"), "violet");
            assertThat(browser.isPresent(By.cssSelector("#sign-up:not([hidden])"))).isFalse();
            browser.screenshot("demo-after-sign-up");
        }
        try (Browser fresh = new Browser()) {
            fresh.open(appUrl);
            fresh.await(By.id("sign-in")).click();
            fresh.await(By.id("username")).sendKeys(name + "@example.com");
            fresh.await(By.id("password")).sendKeys("a-long-password-1");
            fresh.await(By.id("kc-login")).click();

            fresh.awaitText(By.id("sub"), sub);
            fresh.awaitText(By.id("is-anonymous"), "false");
            fresh.awaitText(By.id("saved-preference"), "violet");
        }
    }

    @Test
    void guestWhoseEmailIsTakenSignsInToThatAccountInsteadAndTheAppLearnsTheGuest() {
        try (Browser browser = new Browser()) {
            browser.open(appUrl);
            browser.await(By.id("continue-as-guest")).click();
            String guestSub = browser.await(By.id("sub")).getText();

            browser.await(By.id("sign-up")).click();
            browser.fill(signUp("someone-" + java.util.UUID.randomUUID().toString().substring(0, 8)));
            browser.fill(Map.of("email", "alice@example.com"));
            browser.await(By.id("kc-promote")).click();
            assertThat(browser.await(By.id("input-error-email")).getText()).isEqualTo("Email already exists.");
            browser.screenshot("sign-up-email-taken");
            browser.await(By.id("kc-sign-in-instead-button")).click();

            // the sign-up page has username and password fields too: use the login form's own
            assertThat(browser.await(By.cssSelector("#kc-form-login #username")).getAttribute("value")).isEqualTo("alice@example.com");
            browser.await(By.cssSelector("#kc-form-login #password")).sendKeys("alice");
            browser.await(By.id("kc-login")).click();

            browser.awaitText(By.id("username"), "alice");
            browser.awaitText(By.id("is-anonymous"), "false");
            browser.awaitText(By.id("replaced-guest"), guestSub);
            browser.screenshot("demo-signed-in-instead");
        }
    }

    /** The visitor types a favourite colour and saves it; the page shows it saved (the API answered). */
    private static void savePreference(Browser browser, String colour) {
        browser.await(By.id("preference")).sendKeys(colour);
        browser.await(By.id("save-preference")).click();
        browser.awaitText(By.id("saved-preference"), colour);
    }

    /**
     * The visitor clicks "Sign up to keep your account", fills Keycloak's sign-up page as {@code name} and submits;
     * the page shows a regular user. {@code screenshot} names a picture of the sign-up page, or null for none.
     */
    private static void signUpOnThePage(Browser browser, String name, String screenshot) {
        browser.await(By.id("sign-up")).click();
        browser.await(By.id("kc-promote-anonymous-form"));
        if (screenshot != null) {
            browser.screenshot(screenshot);
        }
        browser.fill(signUp(name));
        browser.await(By.id("kc-promote")).click();
        browser.awaitText(By.id("is-anonymous"), "false");
    }

    /** The visitor opens the demo and clicks "Continue as guest and remember this device": the guest's sub. */
    private String rememberThisDevice(Browser browser) {
        browser.open(appUrl);
        browser.await(By.id("remember-device")).click();
        browser.awaitText(By.id("device"), "remembered");
        return browser.await(By.id("sub")).getText();
    }

    @Test
    void rememberedDeviceSignsUpThroughTheBrowserWithItsKey() {
        String name = "device-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (Browser browser = new Browser()) {
            String sub = rememberThisDevice(browser);

            signUpOnThePage(browser, name, null);
            assertThat(browser.await(By.id("sub")).getText()).isEqualTo(sub);
            browser.awaitText(By.id("device"), "not remembered");
            browser.awaitText(By.id("saved-preference"), "nothing yet"); // the API answers the promoted account
        }
    }

    /** A visitor who comes back later (cookies gone, browser restarted) signs up with the remembered device's key. */
    @Test
    void rememberedDeviceComingBackAfterTheBrowserRestartedSignsUp() {
        String name = "back-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Path profile = Browser.newProfile();
        String sub;
        try (Browser browser = Browser.withProfile(profile)) {
            sub = rememberThisDevice(browser);
            savePreference(browser, "coral");
            browser.clearAllCookies();
        }
        try (Browser restarted = Browser.withProfile(profile)) {
            restarted.open(appUrl);
            restarted.awaitText(By.id("sub"), sub);
            restarted.awaitText(By.id("tokens"), "DPoP, bound to this device's key");

            signUpOnThePage(restarted, name, null);
            assertThat(restarted.await(By.id("sub")).getText()).isEqualTo(sub);
            restarted.awaitText(By.id("saved-preference"), "coral");
            restarted.awaitText(By.id("device"), "not remembered");
            restarted.awaitText(By.id("tokens"), "Bearer");
        } finally {
            Browser.deleteProfile(profile);
        }
    }

    /** The guest of a remembered device was deleted by an admin: the page forgets the device and says so. */
    @Test
    void aRememberedDeviceWhoseGuestWasDeletedIsForgottenWithAWordWhy(AdminApi admin) {
        try (Browser browser = new Browser()) {
            String sub = rememberThisDevice(browser);
            admin.send("DELETE", "/admin/realms/demo/users/" + sub, null);

            browser.open(appUrl);

            browser.awaitText(By.id("error"), "This device's guest no longer exists, so the device was forgotten.");
            browser.await(By.id("remember-device"));
            browser.await(By.id("remember-device")).click();
            browser.awaitText(By.id("device"), "remembered");
            assertThat(browser.await(By.id("sub")).getText()).as("a new guest with a new key").isNotEqualTo(sub);
        }
    }

    /** A cancelled device sign-up leaves the browser no session of the guest; the device signs it in again. */
    @Test
    void rememberedDeviceThatCancelsItsSignUpIsTheSameGuestAgain() {
        try (Browser browser = new Browser()) {
            String sub = rememberThisDevice(browser);

            browser.await(By.id("sign-up")).click();
            browser.await(By.id("kc-cancel")).click();

            browser.awaitText(By.id("sub"), sub);
            browser.awaitText(By.id("is-anonymous"), "true");
            assertThat(browser.await(By.id("device")).getText()).isEqualTo("remembered");
            assertThat(browser.driver().findElement(By.id("error")).isDisplayed()).as("no error shown").isFalse();
        }
    }

    /** A device's token answer from the demo realm: signed in with its key, with a proof by that key (bound tokens). */
    private JsonNode boundTokens(KeycloakServer server, KeyPair key) {
        DeviceKeyClient device = new DeviceKeyClient(server, "demo", "demo-app");
        DeviceKeyClient.Answer answer = device.signIn(DeviceAssertions.signedBy(key).challenge(device.challenge()).action("auth").build(),
                DpopProofs.proof(key, "POST", device.tokenUrl(), null));
        assertThat(answer.body().path("token_type").asText()).as(answer.body().toString()).isEqualTo("DPoP");
        return answer.body();
    }

    private HttpResponse<String> callApi(String method, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appUrl + "/api/preference"))
                .method(method, method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("stolen") : HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The demo's API checks a bound token as an app's API should: someone who copied the token but has not the key, or
     * who replays, redirects or strips a proof, gets 401 with the reason, and nothing is saved for the account.
     */
    @Test
    void theDemoApiAcceptsABoundTokenOnlyWithAFreshProofByItsKeyForThisRequest(KeycloakServer server) throws Exception {
        KeyPair key = DeviceAssertions.ecP256();
        JsonNode tokens = boundTokens(server, key);
        String token = tokens.get("access_token").asText();
        String idToken = tokens.get("id_token").asText();
        String api = appUrl + "/api/preference";
        String proof = DpopProofs.proof(key, "PUT", api, token);

        HttpResponse<String> right = callApi("PUT", Map.of("Authorization", "DPoP " + token, "DPoP", proof));
        Map<String, HttpResponse<String>> refused = new java.util.LinkedHashMap<>();
        refused.put("the same proof again", callApi("PUT", Map.of("Authorization", "DPoP " + token, "DPoP", proof)));
        refused.put("the token as Bearer", callApi("PUT", Map.of("Authorization", "Bearer " + token)));
        refused.put("no proof", callApi("PUT", Map.of("Authorization", "DPoP " + token)));
        refused.put("a proof by another key", callApi("PUT", Map.of("Authorization", "DPoP " + token,
                "DPoP", DpopProofs.proof(DeviceAssertions.ecP256(), "PUT", api, token))));
        refused.put("a proof for another URL", callApi("PUT", Map.of("Authorization", "DPoP " + token,
                "DPoP", DpopProofs.proof(key, "PUT", appUrl + "/api/other", token))));
        refused.put("a proof for another method", callApi("PUT", Map.of("Authorization", "DPoP " + token,
                "DPoP", DpopProofs.proof(key, "GET", api, token))));
        refused.put("a proof without the token's hash", callApi("PUT", Map.of("Authorization", "DPoP " + token,
                "DPoP", DpopProofs.proof(key, "PUT", api, null))));
        refused.put("a proof ten minutes old", callApi("PUT", Map.of("Authorization", "DPoP " + token,
                "DPoP", DpopProofs.proof(key, "PUT", api, token, System.currentTimeMillis() / 1000 - 600, java.util.UUID.randomUUID().toString()))));
        refused.put("the ID token instead", callApi("PUT", Map.of("Authorization", "Bearer " + idToken)));
        refused.put("the ID token with a proof", callApi("PUT", Map.of("Authorization", "DPoP " + idToken,
                "DPoP", DpopProofs.proof(key, "PUT", api, idToken))));
        refused.put("a token changed by one character", callApi("PUT", Map.of("Authorization", "DPoP " + token.substring(0, token.length() - 2) + "xx",
                "DPoP", DpopProofs.proof(key, "PUT", api, token))));

        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        assertThat(AdminApi.read(right.body()).get("preference").asText()).isEqualTo("stolen");
        String sub = AdminApi.read(right.body()).get("sub").asText();
        refused.forEach((what, answer) -> {
            assertThat(answer.statusCode()).as(what + ": " + answer.body()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(
                    challenge -> assertThat(challenge).containsAnyOf("invalid_token", "invalid_dpop_proof"));
        });
        System.out.println("The demo API's answers to a copied bound token: " + refused.entrySet().stream()
                .map(entry -> entry.getKey() + " -> " + AdminApi.read(entry.getValue().body()).get("error").asText()).toList());
        HttpResponse<String> read = callApi("GET", Map.of("Authorization", "DPoP " + token, "DPoP", DpopProofs.proof(key, "GET", api, token)));
        assertThat(AdminApi.read(read.body()).get("sub").asText()).isEqualTo(sub);
    }

    private void awaitListening(int port, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (!demo.isAlive()) {
                throw new IllegalStateException("The demo server exited:\n" + Files.readString(log));
            }
            try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("The demo server did not start:\n" + Files.readString(log));
    }
}
