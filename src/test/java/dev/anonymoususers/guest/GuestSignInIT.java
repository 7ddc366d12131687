package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient.Tokens;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.RealmWithGuests;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.Test;

/** A web app signs a visitor in as a guest with one authorization request. */
class GuestSignInIT extends RealmWithGuests {

    OidcClient browser() {
        return new OidcClient(server, realm, "web-app", REDIRECT_URI);
    }

    @Smoke
    @Test
    void guestRequestReturnsToTheAppWithACodeAndNoPage() {
        Authorization authorization = browser().authorizeAsGuest();

        assertThat(authorization.reachedApp()).as("returned to the app, page: %s", authorization.page()).isTrue();
        assertThat(authorization.code()).isNotBlank();
        assertThat(authorization.error()).isNull();
    }

    @Test
    void guestRequestCreatesExactlyOneNewUser() {
        int before = admin.countUsers(realm);

        browser().authorizeAsGuest();

        assertThat(admin.countUsers(realm)).isEqualTo(before + 1);
    }

    @Smoke
    @Test
    void guestIsMarkedAnonymousInIdTokenAccessTokenUserinfoAndIntrospection() {
        OidcClient browser = browser();
        Tokens tokens = browser.exchange(browser.authorizeAsGuest());

        assertThat(tokens.idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
        assertThat(tokens.accessTokenClaims().get("is_anonymous").asBoolean()).isTrue();
        assertThat(browser.userinfo(tokens).get("is_anonymous").asBoolean()).isTrue();
        JsonNode introspection = browser.introspect(tokens.accessToken(), "resource-server", "resource-server-secret");
        assertThat(introspection.get("active").asBoolean()).isTrue();
        assertThat(introspection.get("is_anonymous").asBoolean()).isTrue();
    }

    @Test
    void isAnonymousIsABooleanClaimNotAString() {
        OidcClient browser = browser();
        Tokens tokens = browser.exchange(browser.authorizeAsGuest());

        assertThat(tokens.idTokenClaims().get("is_anonymous").isBoolean()).isTrue();
    }

    @Test
    void guestIsABrandNewEnabledUserWithoutEmailNameOrCredentials() {
        OidcClient browser = browser();
        String sub = browser.exchange(browser.authorizeAsGuest()).idTokenClaims().get("sub").asText();

        JsonNode user = admin.user(realm, sub);
        assertThat(user.get("enabled").asBoolean()).isTrue();
        assertThat(user.path("email").isMissingNode()).isTrue();
        assertThat(user.path("firstName").isMissingNode()).isTrue();
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + sub + "/credentials")).isEmpty();
        assertThat(user.path("requiredActions")).isEmpty();
    }

    @Test
    void guestWorksLikeAnyUserWhileItsSessionLives() {
        OidcClient browser = browser();
        Tokens tokens = browser.exchange(browser.authorizeAsGuest());

        Tokens refreshed = browser.refresh(tokens);

        assertThat(refreshed.idTokenClaims().get("sub").asText()).isEqualTo(tokens.idTokenClaims().get("sub").asText());
        assertThat(refreshed.accessTokenClaims().get("is_anonymous").asBoolean()).isTrue();
        assertThat(browser.userinfo(refreshed).get("sub").asText()).isEqualTo(tokens.idTokenClaims().get("sub").asText());
    }

    @Test
    void secondGuestRequestInTheSameBrowserReusesTheSessionsUser() {
        OidcClient browser = browser();
        String first = browser.exchange(browser.authorizeAsGuest()).idTokenClaims().get("sub").asText();
        int users = admin.countUsers(realm);

        String second = browser.exchange(browser.authorizeAsGuest()).idTokenClaims().get("sub").asText();

        assertThat(second).isEqualTo(first);
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void guestRequestInABrowserWhereARegularUserIsSignedInKeepsThatUser() {
        OidcClient browser = browser();
        Tokens alice = browser.exchange(browser.signInWithPassword("alice", "alice-password"));
        int users = admin.countUsers(realm);

        Tokens again = browser.exchange(browser.authorizeAsGuest());

        assertThat(again.idTokenClaims().get("sub").asText()).isEqualTo(alice.idTokenClaims().get("sub").asText());
        assertThat(again.idTokenClaims().get("is_anonymous").asBoolean()).isFalse();
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void differentBrowsersGetDifferentGuests() {
        OidcClient one = browser();
        OidcClient two = browser();

        String first = one.exchange(one.authorizeAsGuest()).idTokenClaims().get("sub").asText();
        String second = two.exchange(two.authorizeAsGuest()).idTokenClaims().get("sub").asText();

        assertThat(first).isNotEqualTo(second);
    }

    @Smoke
    @Test
    void regularUserIsNotAnonymousInAnyToken() {
        OidcClient browser = browser();
        Tokens tokens = browser.exchange(browser.signInWithPassword("alice", "alice-password"));

        assertThat(tokens.idTokenClaims().get("is_anonymous").asBoolean()).isFalse();
        assertThat(tokens.accessTokenClaims().get("is_anonymous").asBoolean()).isFalse();
        assertThat(browser.userinfo(tokens).get("is_anonymous").asBoolean()).isFalse();
        assertThat(browser.introspect(tokens.accessToken(), "resource-server", "resource-server-secret")
                .get("is_anonymous").asBoolean()).isFalse();
    }

    @Test
    void guestCreationIsARegisterEventThatSaysItIsAnonymous() {
        OidcClient browser = browser();
        String sub = browser.exchange(browser.authorizeAsGuest()).idTokenClaims().get("sub").asText();

        JsonNode register = null;
        for (JsonNode event : admin.events(realm, "REGISTER")) {
            if (sub.equals(event.path("userId").asText())) {
                register = event;
            }
        }
        assertThat(register).as("REGISTER event for %s", sub).isNotNull();
        assertThat(register.get("details").get("register_method").asText()).isEqualTo("anonymous");
        assertThat(register.get("details").get("anonymous").asText()).isEqualTo("true");
        assertThat(register.get("clientId").asText()).isEqualTo("web-app");
    }

    @Test
    void guestIsFoundByItsAttributeInTheAdminUserSearch() {
        OidcClient browser = browser();
        String sub = browser.exchange(browser.authorizeAsGuest()).idTokenClaims().get("sub").asText();

        JsonNode found = admin.get("/admin/realms/" + realm + "/users?q=anonymous:true&max=1000");

        assertThat(found.findValuesAsText("id")).contains(sub);
    }

    @Test
    void adminSavingAGuestInTheConsoleKeepsItAGuest() {
        OidcClient browser = browser();
        String sub = browser.exchange(browser.authorizeAsGuest()).idTokenClaims().get("sub").asText();
        JsonNode user = admin.user(realm, sub);
        ((com.fasterxml.jackson.databind.node.ObjectNode) user).remove("attributes");

        admin.send("PUT", "/admin/realms/" + realm + "/users/" + sub, user);

        Tokens again = browser.exchange(browser.authorizeAsGuest());
        assertThat(again.idTokenClaims().get("sub").asText()).isEqualTo(sub);
        assertThat(again.idTokenClaims().get("is_anonymous").asBoolean()).isTrue();
    }
}
