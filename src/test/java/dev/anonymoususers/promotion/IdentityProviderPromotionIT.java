package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.AppCallback;
import dev.anonymoususers.testing.Browser;
import dev.anonymoususers.testing.GuestInBrowser;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A social account instead of a password: a second realm on the same server is the OpenID Connect provider. The
 * guest picks it on the sign-up page, signs in there, and the same user is linked to that identity and promoted with
 * the email the provider gives.
 */
class IdentityProviderPromotionIT extends PromotionRealm {

    static final String ALIAS = "social";
    final AppCallback app = new AppCallback();
    String provider;

    @AfterAll
    void stopApp() {
        app.close();
    }

    @BeforeAll
    void provider() {
        provider = "provider-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode realm = AdminApi.JSON.createObjectNode().put("realm", provider).put("enabled", true);
        ObjectNode broker = realm.putArray("clients").addObject()
                .put("clientId", "broker").put("secret", "broker-secret").put("publicClient", false)
                .put("standardFlowEnabled", true);
        broker.putArray("redirectUris").add(server.realmUrl(this.realm) + "/broker/" + ALIAS + "/endpoint");
        // the Chromium journey comes back to a page of its own
        admin.send("PUT", "/admin/realms/" + this.realm + "/clients/" + admin.get("/admin/realms/" + this.realm
                + "/clients?clientId=web-app").get(0).get("id").asText(), ((ObjectNode) admin.get("/admin/realms/" + this.realm
                + "/clients?clientId=web-app").get(0)).set("redirectUris", AdminApi.JSON.createArrayNode()
                .add(REDIRECT_URI).add(app.redirectUri())));
        admin.importRealm(realm);

        ObjectNode idp = AdminApi.JSON.createObjectNode()
                .put("alias", ALIAS).put("displayName", "Social Login").put("providerId", "oidc").put("enabled", true);
        idp.putObject("config")
                .put("authorizationUrl", server.realmUrl(provider) + "/protocol/openid-connect/auth")
                .put("tokenUrl", server.realmUrl(provider) + "/protocol/openid-connect/token")
                .put("jwksUrl", server.realmUrl(provider) + "/protocol/openid-connect/certs")
                .put("useJwksUrl", "true").put("validateSignature", "true")
                .put("clientId", "broker").put("clientSecret", "broker-secret")
                .put("clientAuthMethod", "client_secret_post").put("defaultScope", "openid email profile")
                .put("syncMode", "IMPORT");
        assertThat(admin.send("POST", "/admin/realms/" + this.realm + "/identity-provider/instances", idp).statusCode()).isEqualTo(201);
    }

    /** A person with an account at the provider. */
    String personAtProvider(String email) {
        String username = "person-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode user = AdminApi.JSON.createObjectNode().put("username", username).put("email", email)
                .put("emailVerified", true).put("firstName", "Bob").put("lastName", "Builder").put("enabled", true);
        user.putArray("credentials").addObject().put("type", "password").put("value", "provider-password").put("temporary", false);
        assertThat(admin.send("POST", "/admin/realms/" + provider + "/users", user).statusCode()).isEqualTo(201);
        return username;
    }

    /** The guest chooses the provider on the sign-up page and signs in there. */
    Authorization signUpWithProvider(Guest guest, String username) {
        Authorization page = startPromotion(guest.browser());
        assertThat(page.page()).contains("id=\"kc-promote-idp-" + ALIAS + "\"").contains("Social Login");
        Authorization providerLogin = guest.browser().submit(page, FORM, Map.of("promote-with-idp", ALIAS));
        assertThat(providerLogin.page()).as("the provider's login page").contains("id=\"kc-form-login\"");
        return guest.browser().submit(providerLogin, "kc-form-login", Map.of("username", username, "password", "provider-password"));
    }

    @Smoke
    @Test
    void guestIsLinkedToTheSocialAccountAndPromotedWithItsEmail() {
        Guest guest = guest();
        OidcClient.Tokens offline = offlineToken(guest);
        String email = unique("bob") + "@example.org";
        String username = personAtProvider(email);

        Authorization done = signUpWithProvider(guest, username);

        assertThat(done.reachedApp()).as(String.valueOf(done.page())).isTrue();
        assertThat(done.parameter("kc_action_status")).isEqualTo("success");
        JsonNode claims = guest.browser().exchange(done).idTokenClaims();
        assertThat(claims.get("sub").asText()).isEqualTo(guest.sub());
        assertThat(claims.get("is_anonymous").asBoolean()).isFalse();
        assertThat(claims.get("email").asText()).isEqualTo(email);
        assertThat(claims.get("given_name").asText()).isEqualTo("Bob");
        JsonNode links = admin.get("/admin/realms/" + realm + "/users/" + guest.sub() + "/federated-identity");
        assertThat(links).extracting(link -> link.get("identityProvider").asText()).containsExactly(ALIAS);
        JsonNode event = eventOf("CUSTOM_REQUIRED_ACTION", guest.sub());
        assertThat(event.path("details").path("promote_method").asText()).isEqualTo(ALIAS);
        assertThat(event.path("details").path("identity_provider").asText()).isEqualTo(ALIAS);
        assertThat(endedSessions(guest.sub())).isEqualTo(1);
        assertNoLongerRefreshes(offline.refreshToken());
    }

    @Test
    void providerEmailOfAnotherAccountLinksNothingAndOffersToSignInInstead() {
        Guest guest = guest();
        String username = personAtProvider("alice@example.com");

        Authorization page = signUpWithProvider(guest, username);

        assertThat(page.reachedApp()).isFalse();
        assertThat(fieldError(page.page(), "email")).isEqualTo("Email already exists.");
        assertThat(page.page()).contains("kc-sign-in-instead-button");
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + guest.sub() + "/federated-identity")).isEmpty();
        assertThat(admin.isGuest(realm, guest.sub())).isTrue();
    }

    @Test
    void socialAccountLinkedToAnotherUserIsRefusedWithKeycloaksMessage() {
        String email = unique("linked") + "@example.org";
        String username = personAtProvider(email);
        Guest first = guest();
        signUpWithProvider(first, username);
        Guest second = guest();

        Authorization page = signUpWithProvider(second, username);

        assertThat(page.reachedApp()).isFalse();
        assertThat(page.page()).contains("id=\"" + FORM + "\"").contains("already linked");
        assertThat(admin.isGuest(realm, second.sub())).isTrue();
    }

    @Test
    void inChromiumTheGuestPicksTheProviderSignsInThereAndIsBackPromoted() {
        String email = unique("chromium") + "@example.org";
        String username = personAtProvider(email);
        OidcClient client = new OidcClient(server, realm, "web-app", app.redirectUri());

        try (Browser browser = new Browser()) {
            String guestSub = GuestInBrowser.signIn(browser, client, app);
            GuestInBrowser.openSignUpPage(browser, client);
            browser.await(By.id("kc-promote-idp-" + ALIAS)).click();
            // the sign-up page has a username field too: wait for the provider's own login page
            browser.awaitUrlStartingWith(server.realmUrl(provider) + "/");
            browser.await(By.cssSelector("#kc-form-login #username")).sendKeys(username);
            browser.await(By.cssSelector("#kc-form-login #password")).sendKeys("provider-password");
            browser.await(By.id("kc-login")).click();
            browser.awaitUrlStartingWith(app.redirectUri());

            Authorization answer = new Authorization(302, URI.create(browser.url()), null);
            assertThat(answer.parameter("kc_action_status")).isEqualTo("success");
            JsonNode claims = client.exchange(answer.code()).idTokenClaims();
            assertThat(claims.get("sub").asText()).isEqualTo(guestSub);
            assertThat(claims.get("email").asText()).isEqualTo(email);
        }
    }

    @Test
    void unknownProviderIsRefusedOnThePage() {
        Guest guest = guest();

        Authorization page = guest.browser().submit(startPromotion(guest.browser()), FORM, Map.of("promote-with-idp", "nope"));

        assertThat(page.reachedApp()).isFalse();
        assertThat(unescape(page.page())).contains("id=\"" + FORM + "\"");
        assertThat(eventOf("CUSTOM_REQUIRED_ACTION_ERROR", guest.sub()).get("error").asText()).isEqualTo("unknown_identity_provider");
        assertThat(admin.isGuest(realm, guest.sub())).isTrue();
    }
}
