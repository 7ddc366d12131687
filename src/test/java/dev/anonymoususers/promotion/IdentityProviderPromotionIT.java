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
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient;
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
    /** A provider whose Trust email switch is off. */
    static final String UNTRUSTED = "unproven";
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
        broker.putArray("redirectUris").add(server.realmUrl(this.realm) + "/broker/" + ALIAS + "/endpoint")
                .add(server.realmUrl(this.realm) + "/broker/" + UNTRUSTED + "/endpoint");
        // the Chromium journey comes back to a page of its own
        admin.send("PUT", "/admin/realms/" + this.realm + "/clients/" + admin.get("/admin/realms/" + this.realm
                + "/clients?clientId=web-app").get(0).get("id").asText(), ((ObjectNode) admin.get("/admin/realms/" + this.realm
                + "/clients?clientId=web-app").get(0)).set("redirectUris", AdminApi.JSON.createArrayNode()
                .add(REDIRECT_URI).add(app.redirectUri())));
        admin.importRealm(realm);
        addProvider(ALIAS, "Social Login", true);
        addProvider(UNTRUSTED, "Unproven Login", false);
        // A rule of this realm's profile that the provider's own profile does not have.
        ObjectNode profile = (ObjectNode) admin.get("/admin/realms/" + this.realm + "/users/profile");
        for (JsonNode attribute : profile.get("attributes")) {
            if ("firstName".equals(attribute.get("name").asText())) {
                ((ObjectNode) attribute.with("validations")).putObject("length").put("max", 20);
            }
        }
        assertThat(admin.send("PUT", "/admin/realms/" + this.realm + "/users/profile", profile).statusCode()).isEqualTo(200);
    }

    JsonNode links(Guest guest) {
        return admin.get("/admin/realms/" + realm + "/users/" + guest.sub() + "/federated-identity");
    }

    /** The value a page's input field {@code name} is filled with ("" when it has none), or null without the field. */
    static String inputValue(String page, String name) {
        java.util.regex.Matcher input = java.util.regex.Pattern.compile("<input[^>]*\\bname=\"" + name + "\"[^>]*>").matcher(page);
        if (!input.find()) {
            return null;
        }
        java.util.regex.Matcher value = java.util.regex.Pattern.compile("\\bvalue=\"([^\"]*)\"").matcher(input.group());
        return value.find() ? unescape(value.group(1)) : "";
    }

    /** The second realm as an OpenID Connect provider of this realm, with its Trust email switch as given. */
    void addProvider(String alias, String displayName, boolean trustEmail) {
        ObjectNode idp = AdminApi.JSON.createObjectNode().put("alias", alias).put("displayName", displayName)
                .put("providerId", "oidc").put("enabled", true).put("trustEmail", trustEmail);
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

    /** A person with an account at the provider, whose email the provider has verified. */
    String personAtProvider(String email) {
        return personAtProvider(email, true, "Bob");
    }

    /** A person with an account at the provider. */
    String personAtProvider(String email, boolean emailVerified, String firstName) {
        String username = "person-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode user = AdminApi.JSON.createObjectNode().put("username", username).put("email", email)
                .put("emailVerified", emailVerified).put("firstName", firstName).put("lastName", "Builder").put("enabled", true);
        user.putArray("credentials").addObject().put("type", "password").put("value", "provider-password").put("temporary", false);
        assertThat(admin.send("POST", "/admin/realms/" + provider + "/users", user).statusCode()).isEqualTo(201);
        return username;
    }

    /** The guest chooses the provider on the sign-up page and signs in there. */
    Authorization signUpWithProvider(Guest guest, String username) {
        return signUpWithProvider(guest, username, ALIAS);
    }

    Authorization signUpWithProvider(Guest guest, String username, String alias) {
        Authorization page = startPromotion(guest.browser());
        assertThat(page.page()).contains("id=\"kc-promote-idp-" + alias + "\"");
        Authorization providerLogin = guest.browser().submit(page, FORM, Map.of("promote-with-idp", alias));
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
        assertThat(admin.user(realm, guest.sub()).get("emailVerified").asBoolean()).as("the provider proved it").isTrue();
        JsonNode links = admin.get("/admin/realms/" + realm + "/users/" + guest.sub() + "/federated-identity");
        assertThat(links).extracting(link -> link.get("identityProvider").asText()).containsExactly(ALIAS);
        JsonNode event = eventOf("CUSTOM_REQUIRED_ACTION", guest.sub());
        assertThat(event.path("details").path("promote_method").asText()).isEqualTo(ALIAS);
        assertThat(event.path("details").path("identity_provider").asText()).isEqualTo(ALIAS);
        assertThat(endedSessions(guest.sub())).isEqualTo(1);
        assertNoLongerRefreshes(offline.refreshToken());
    }

    /**
     * Attack (pre-account takeover): a provider account that claims the victim's email, never verified, would get an
     * account holding that email and linked to the attacker, who signs in through the provider after the victim
     * resets "their" password. A provider whose email is not trusted gives no email: the page asks for one.
     */
    @Test
    void emailOfAProviderThatIsNotTrustedIsNotTakenAndThePageAsksForOne() {
        Guest guest = guest();
        String username = personAtProvider(unique("victim") + "@corp.example", true, "Mallory");

        Authorization page = signUpWithProvider(guest, username, UNTRUSTED);

        assertThat(page.reachedApp()).as("the page asks").isFalse();
        assertThat(page.page()).contains("Unproven Login").contains("value=\"provider\"").doesNotContain("name=\"password\"");
        assertThat(inputValue(page.page(), "email")).isEmpty();
        assertThat(inputValue(page.page(), "firstName")).isEqualTo("Mallory");
        assertThat(links(guest)).as("nothing linked while the page waits").isEmpty();
        assertThat(admin.isGuest(realm, guest.sub())).isTrue();

        String own = unique("mallory") + "@example.org";
        Authorization done = guest.browser().submit(page, FORM, Map.of("email", own, "username", unique("mallory"),
                "firstName", "Mallory", "lastName", "Builder", "promote", "provider"));

        assertThat(done.parameter("kc_action_status")).as(String.valueOf(done.page())).isEqualTo("success");
        JsonNode promoted = admin.user(realm, guest.sub());
        assertThat(promoted.get("email").asText()).isEqualTo(own);
        assertThat(promoted.get("emailVerified").asBoolean()).isFalse();
        assertThat(links(guest)).extracting(link -> link.get("identityProvider").asText()).containsExactly(UNTRUSTED);
        assertThat(eventOf("CUSTOM_REQUIRED_ACTION", guest.sub()).path("details").path("promote_method").asText()).isEqualTo(UNTRUSTED);
    }

    @Test
    void trustedProviderThatSaysTheEmailIsUnverifiedIsNotTakenAtItsWord() {
        Guest guest = guest();
        String username = personAtProvider(unique("unverified") + "@example.org", false, "Bob");

        Authorization page = signUpWithProvider(guest, username);

        assertThat(page.reachedApp()).isFalse();
        assertThat(page.page()).contains("value=\"provider\"");
        assertThat(inputValue(page.page(), "email")).isEmpty();
        assertThat(links(guest)).isEmpty();
        assertThat(admin.isGuest(realm, guest.sub())).isTrue();
    }

    @Test
    void providerValueTheRealmsProfileRefusesIsShownWithItsMessageAndLinksNothing() {
        Guest guest = guest();
        String username = personAtProvider(unique("long") + "@example.org", true, "Bartholomew-Maximilian");

        Authorization page = signUpWithProvider(guest, username);

        assertThat(page.reachedApp()).isFalse();
        assertThat(fieldError(page.page(), "firstName")).isNotNull();
        assertThat(inputValue(page.page(), "firstName")).isEqualTo("Bartholomew-Maximilian");
        assertThat(links(guest)).isEmpty();
        assertThat(admin.isGuest(realm, guest.sub())).isTrue();
        assertThat(eventOf("CUSTOM_REQUIRED_ACTION_ERROR", guest.sub()).get("details").get("reason").asText())
                .startsWith(ALIAS + ": firstName");
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
