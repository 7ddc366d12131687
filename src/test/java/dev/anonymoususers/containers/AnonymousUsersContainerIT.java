package dev.anonymoususers.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import dasniko.testcontainers.keycloak.KeycloakContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.utility.MountableFile;

/**
 * The extension in Keycloak's container image, the way app developers test against it: testcontainers-keycloak's
 * {@link KeycloakContainer} on the image of {@code keycloak.image} (the official one unless told otherwise), the
 * built JAR installed the library's way, the demo realm imported. The client side is plain HTTP and Nimbus, as in
 * an app's own tests (and the README's example).
 */
@ExtendWith(DockerEngine.class)
class AnonymousUsersContainerIT {

    static KeycloakContainer keycloak;
    static DemoRealmClient app;

    @BeforeAll
    static void startKeycloak() {
        keycloak = new KeycloakContainer(DockerCli.image(System.getProperty("keycloak.image")))
                .withProviderLibsFrom(List.of(new File(System.getProperty("extension.jar"))))
                .withCopyFileToContainer(MountableFile.forHostPath(Path.of(System.getProperty("demo.dir"), "demo-realm.json")),
                        "/opt/keycloak/data/import/demo-realm.json")
                .withStartupTimeout(Duration.ofMinutes(3));
        keycloak.start();
        app = new DemoRealmClient(keycloak.getAuthServerUrl());
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.stop();
        }
    }

    @Test
    void aWebGuestSignsInWithAPlainAuthorizationRequest() throws Exception {
        JWTClaimsSet idToken = app.browser().signInAsGuest();

        assertThat(idToken.getSubject()).isNotBlank();
        assertThat(idToken.getBooleanClaim("is_anonymous")).isTrue();
    }

    @Test
    void aDeviceKeySignsTheSameGuestInAgainWithOneRequestEach() throws Exception {
        assertThat(app.deviceGuestSignedInTwice()).isNotBlank();
    }

    @Test
    void aGuestIsPromotedToARegularUserWithTheSameSub() throws Exception {
        DemoRealmClient.Browser browser = app.browser();
        String guest = browser.signInAsGuest().getSubject();

        HttpResponse<String> page = browser.authorize(Map.of("kc_action", "promote-anonymous"));
        if (page.statusCode() == 302) { // Keycloak may first redirect to its login-actions page
            page = browser.get(page.headers().firstValue("Location").orElseThrow());
        }
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher form = Pattern.compile("id=\"kc-promote-anonymous-form\"[^>]*action=\"([^\"]+)\"").matcher(page.body());
        assertThat(form.find()).as(page.body()).isTrue();
        String name = "grace-" + UUID.randomUUID();
        HttpResponse<String> done = browser.post(form.group(1).replace("&amp;", "&"), Map.of("username", name,
                "email", name + "@example.com", "firstName", "Grace", "lastName", "Hopper",
                "password", "a-long-password-1", "password-confirm", "a-long-password-1"));

        assertThat(done.headers().firstValue("Location").orElseThrow()).contains("kc_action_status=success");
        JWTClaimsSet promoted = browser.codeExchange(done);
        assertThat(promoted.getSubject()).isEqualTo(guest);
        assertThat(promoted.getBooleanClaim("is_anonymous")).isFalse();
    }

    @Test
    void theSettingsAreReadAndChangedThroughTheAdminApiAndABadOneChangesNothing() throws Exception {
        String admin = app.adminToken(keycloak.getAdminUsername(), keycloak.getAdminPassword());
        String settings = "/admin/realms/" + DemoRealmClient.REALM + "/anonymous-users";

        assertThat(DemoRealmClient.JSON.readTree(app.send("GET", settings, admin, null).body()).get("enabled").asBoolean()).isTrue();
        HttpResponse<String> changed = app.send("PUT", settings, admin, "{\"guestsPerAddressPerHour\": 25}");
        HttpResponse<String> refused = app.send("PUT", settings, admin, "{\"guestsPerAddressPerHour\": -1}");

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(DemoRealmClient.JSON.readTree(refused.body()).get("field").asText()).isEqualTo("guestsPerAddressPerHour");
        assertThat(DemoRealmClient.JSON.readTree(app.send("GET", settings, admin, null).body()).get("guestsPerAddressPerHour").asInt())
                .isEqualTo(25);
    }
}
