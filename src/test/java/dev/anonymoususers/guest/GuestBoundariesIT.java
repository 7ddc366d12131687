package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.DeviceAssertions;
import dev.anonymoususers.testing.DeviceKeyClient;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.RealmWithGuests;
import dev.anonymoususers.testing.SamlRequests;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on where a guest may go: Keycloak's own applications, the master realm, SAML, and the application-initiated
 * actions that would give a guest a credential or an email without the sign-up page. Each runs as an attacker would
 * and shows that nobody is created and nothing is issued.
 */
class GuestBoundariesIT extends RealmWithGuests {

    static final String SAML_ACS = "http://127.0.0.1/saml";

    /**
     * Keycloak's own applications in every realm that an admin can open up (admin-permissions and _system exist only
     * where Keycloak made them; realm-management Keycloak keeps bearer-only, see below).
     */
    static Stream<String> keycloaksOwnClients() {
        return Stream.of("account", "account-console", "admin-cli", "security-admin-console", "broker");
    }

    /** As an admin (or an attacker with a careless admin) could open it: a public client with our redirect URI. */
    void openUp(String clientId) {
        JsonNode client = admin.get("/admin/realms/" + realm + "/clients?clientId=" + clientId).get(0);
        ObjectNode opened = ((ObjectNode) client).put("publicClient", true).put("bearerOnly", false)
                .put("standardFlowEnabled", true).put("directAccessGrantsEnabled", true);
        opened.putArray("redirectUris").add(REDIRECT_URI);
        assertThat(admin.send("PUT", "/admin/realms/" + realm + "/clients/" + client.get("id").asText(), opened).statusCode())
                .isEqualTo(204);
    }

    OidcClient guestBrowser() {
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        assertThat(browser.authorizeAsGuest().code()).isNotNull();
        return browser;
    }

    // Keycloak's own applications

    @ParameterizedTest(name = "{0}")
    @MethodSource("keycloaksOwnClients")
    void guestRequestOfKeycloaksOwnClientCreatesNobody(String clientId) {
        openUp(clientId);
        int users = admin.countUsers(realm);

        Authorization answer = new OidcClient(server, realm, clientId, REDIRECT_URI).authorizeAsGuest();

        assertThat(answer.code()).as(String.valueOf(answer.page())).isNull();
        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).isEqualTo("The client " + clientId + " is one of Keycloak's own applications, "
                + "which never sign guests in");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keycloaksOwnClients")
    void deviceKeyGrantOfKeycloaksOwnClientCreatesNobody(String clientId) {
        openUp(clientId);
        int users = admin.countUsers(realm);

        DeviceKeyClient.Answer answer = new DeviceKeyClient(server, realm, clientId)
                .signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).ownId().build());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("unauthorized_client");
        assertThat(answer.errorDescription()).contains("one of Keycloak's own applications");
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void realmManagementMakesNoGuestOnEitherPath() {
        int users = admin.countUsers(realm);

        Authorization browser = new OidcClient(server, realm, "realm-management", REDIRECT_URI).authorizeAsGuest();
        DeviceKeyClient.Answer grant = new DeviceKeyClient(server, realm, "realm-management")
                .signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).ownId().build());

        assertThat(browser.code()).isNull();
        assertThat(grant.ok()).isFalse();
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void loginPageOfTheAccountConsoleOffersNoGuest() {
        String accountConsole = new OidcClient(server, realm, "account-console", server.realmUrl(realm) + "/account/")
                .authorize(Map.of()).page();
        String webApp = new OidcClient(server, realm, "web-app", REDIRECT_URI).authorize(Map.of()).page();

        assertThat(accountConsole).contains("kc-form-login").doesNotContain("continue-as-guest.js");
        assertThat(webApp).contains("continue-as-guest.js");
    }

    @Smoke
    @Test
    void guestWithASessionIsNotLetIntoTheAccountConsole() {
        OidcClient browser = guestBrowser();
        String accountConsoleUrl = server.realmUrl(realm) + "/account/";

        Authorization answer = browser.as("account-console", accountConsoleUrl).authorize(Map.of());
        Authorization silent = browser.as("account-console", accountConsoleUrl).authorize(Map.of("prompt", "none"));

        assertThat(answer.code()).as(String.valueOf(answer.page())).isNull();
        assertThat(answer.error()).isEqualTo("access_denied");
        assertThat(answer.errorDescription()).contains("one of Keycloak's own applications");
        assertThat(silent.code()).isNull();
        assertThat(silent.error()).isNotNull();
        assertThat(browser.authorize(Map.of()).code()).as("the guest keeps its own app").isNotNull();
    }

    java.net.http.HttpResponse<String> accountApi(String realmName, String method, String accessToken, String body) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(server.realmUrl(realmName) + "/account/"))
                    .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Attack (found while trying the demo as a new user): in a realm whose app gets Keycloak's default scopes, a
     * guest's own access token carried the account audience, and Keycloak's account REST API set an email on the
     * guest without proof (204).
     */
    @Smoke
    @Test
    void guestsAccessTokenIsNoTicketToTheAccountApi() {
        String shop = admin.createFreshRealm("account-api");
        admin.addPublicClient(shop, "shop", REDIRECT_URI);
        admin.setAnonymousUsersEnabled(shop, true);
        ObjectNode bob = AdminApi.JSON.createObjectNode().put("username", "bob").put("email", "bob@example.com")
                .put("firstName", "Bob").put("lastName", "Regular").put("enabled", true).put("emailVerified", true);
        bob.putArray("credentials").addObject().put("type", "password").put("value", "bob-password").put("temporary", false);
        assertThat(admin.send("POST", "/admin/realms/" + shop + "/users", bob).statusCode()).isEqualTo(201);
        OidcClient guestsBrowser = new OidcClient(server, shop, "shop", REDIRECT_URI);
        OidcClient.Tokens guest = guestsBrowser.exchange(guestsBrowser.authorizeAsGuest());
        String sub = guest.idTokenClaims().get("sub").asText();
        OidcClient bobsBrowser = new OidcClient(server, shop, "shop", REDIRECT_URI);
        OidcClient.Tokens regular = bobsBrowser.exchange(bobsBrowser.signInWithPassword("bob", "bob-password"));

        var read = accountApi(shop, "GET", guest.accessToken(), null);
        var write = accountApi(shop, "POST", guest.accessToken(), "{\"email\": \"victim@corp.example\", "
                + "\"firstName\": \"Eve\", \"lastName\": \"Attacker\"}");

        assertThat(regular.accessTokenClaims().path("aud").toString()).as("the realm's apps get the account audience")
                .contains("account");
        assertThat(accountApi(shop, "GET", regular.accessToken(), null).statusCode()).as("a regular user's token").isEqualTo(200);
        assertThat(guest.accessTokenClaims().path("aud").toString()).doesNotContain("account");
        assertThat(guest.accessTokenClaims().path("resource_access").has("account")).isFalse();
        assertThat(read.statusCode()).isEqualTo(401);
        assertThat(write.statusCode()).isEqualTo(401);
        assertThat(admin.user(shop, sub).path("email").isMissingNode()).isTrue();
    }

    @Test
    void settingsThatNameKeycloaksOwnClientAreRefusedAndNothingIsSaved() {
        JsonNode before = admin.get("/admin/realms/" + realm + "/anonymous-users");

        var guestClients = admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users",
                "{\"guestClients\": [\"web-app\", \"account-console\"]}", admin.adminToken());
        var deviceKeyClients = admin.sendRaw("PUT", "/admin/realms/" + realm + "/anonymous-users",
                "{\"deviceKeyClients\": [\"admin-cli\"]}", admin.adminToken());

        assertThat(guestClients.statusCode()).isEqualTo(400);
        assertThat(AdminApi.read(guestClients.body()).get("field").asText()).isEqualTo("guestClients");
        assertThat(AdminApi.read(guestClients.body()).get("errorMessage").asText()).contains("account-console")
                .contains("Keycloak's own applications");
        assertThat(deviceKeyClients.statusCode()).isEqualTo(400);
        assertThat(AdminApi.read(deviceKeyClients.body()).get("field").asText()).isEqualTo("deviceKeyClients");
        assertThat(admin.get("/admin/realms/" + realm + "/anonymous-users")).isEqualTo(before);
    }

    @Test
    void importedSettingThatNamesKeycloaksOwnClientIsIgnoredWithAWarning() {
        String imported = "imported-own-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        ObjectNode json = AdminApi.realmJsonWithWebApp(imported, REDIRECT_URI);
        AdminApi.settingsInRealmJson(json).put("enabled", "true").put("guestClients", "web-app##account-console");
        admin.importRealm(json);

        Authorization accountConsole = new OidcClient(server, imported, "account-console", server.realmUrl(imported) + "/account/")
                .authorizeAsGuest();
        Authorization webApp = new OidcClient(server, imported, "web-app", REDIRECT_URI).authorizeAsGuest();

        assertThat(accountConsole.error()).isEqualTo("access_denied");
        assertThat(webApp.code()).isNotNull();
        assertThat(server.log()).contains("Anonymous users in realm '" + imported + "': guestClients names account-console, "
                + "one of Keycloak's own applications, which never sign guests in; it is ignored");
    }

    // The master realm

    @Test
    void masterRealmCannotBeSwitchedOn() {
        var answer = admin.sendRaw("PUT", "/admin/realms/master/anonymous-users", "{\"enabled\": true}", admin.adminToken());
        var asComponent = admin.trySaveAnonymousUsersSettings("master", Map.of("enabled", List.of("true")));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(AdminApi.read(answer.body()).get("field").asText()).isEqualTo("enabled");
        assertThat(AdminApi.read(answer.body()).get("errorMessage").asText()).contains("master realm");
        assertThat(asComponent.statusCode()).as(asComponent.body()).isEqualTo(400);
        assertThat(admin.get("/admin/realms/master/anonymous-users").get("enabled").asBoolean()).isFalse();
    }

    @Test
    void deviceKeyGrantInTheMasterRealmCreatesNobody() {
        int users = admin.countUsers("master");

        DeviceKeyClient.Answer answer = new DeviceKeyClient(server, "master", "admin-cli")
                .signIn(DeviceAssertions.signedBy(DeviceAssertions.ecP256()).ownId().build());

        assertThat(answer.error()).isEqualTo("unauthorized_client");
        assertThat(admin.countUsers("master")).isEqualTo(users);
    }

    // SAML

    @Smoke
    @Test
    void samlRequestForAGuestGetsSamlsErrorAndCreatesNobody() {
        int users = admin.countUsers(realm);
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);

        Authorization answer = browser.open(SamlRequests.authnRequestUrl(server, realm, "saml-app", SAML_ACS, "anonymous"));

        SamlRequests.Response response = SamlRequests.responseIn(answer.page());
        assertThat(response.status()).isNotEqualTo("urn:oasis:names:tc:SAML:2.0:status:Success");
        assertThat(response.hasAssertion()).isFalse();
        assertThat(admin.countUsers(realm)).isEqualTo(users);
    }

    @Test
    void guestWithASessionIsNotLetIntoASamlApp() {
        OidcClient browser = guestBrowser();

        Authorization answer = browser.open(SamlRequests.authnRequestUrl(server, realm, "saml-app", SAML_ACS, null));

        SamlRequests.Response response = SamlRequests.responseIn(answer.page());
        assertThat(response.status()).isNotEqualTo("urn:oasis:names:tc:SAML:2.0:status:Success");
        assertThat(response.hasAssertion()).isFalse();
    }

    @Test
    void regularUserStillSignsInToTheSamlApp() {
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        assertThat(browser.signInWithPassword("alice", "alice-password").code()).isNotNull();

        Authorization answer = browser.open(SamlRequests.authnRequestUrl(server, realm, "saml-app", SAML_ACS, null));

        assertThat(SamlRequests.responseIn(answer.page()).status()).isEqualTo("urn:oasis:names:tc:SAML:2.0:status:Success");
    }

    // Actions that would give a guest a credential, an email or a username without promotion

    @Smoke
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UPDATE_PASSWORD", "UPDATE_EMAIL", "CONFIGURE_TOTP", "webauthn-register", "UPDATE_PROFILE", "idp_link"})
    void guestSentAnActionThatWouldGiveItACredentialGetsAnErrorAndNoForm(String action) {
        OidcClient browser = guestBrowser();
        String sub = browser.exchange(browser.authorize(Map.of())).idTokenClaims().get("sub").asText();

        Authorization answer = browser.authorize(Map.of("kc_action", action));

        assertThat(answer.reachedApp()).as("no form: %s", answer.page()).isTrue();
        assertThat(answer.parameter("kc_action_status")).isEqualTo("error");
        assertThat(admin.get("/admin/realms/" + realm + "/users/" + sub + "/credentials")).isEmpty();
        assertThat(admin.user(realm, sub).path("email").isMissingNode()).isTrue();
        JsonNode refused = admin.get("/admin/realms/" + realm + "/events?type=CUSTOM_REQUIRED_ACTION_ERROR&user=" + sub).get(0);
        assertThat(refused.get("error").asText()).isEqualTo("anonymous_action_not_allowed");
        assertThat(refused.get("details").get("custom_required_action").asText()).isEqualTo(action);
    }

    @Test
    void regularUserSentUpdatePasswordStillGetsItsForm() {
        OidcClient browser = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        assertThat(browser.signInWithPassword("alice", "alice-password").code()).isNotNull();

        Authorization answer = browser.authorize(Map.of("kc_action", "UPDATE_PASSWORD"));

        assertThat(answer.page()).contains("password-new");
    }
}
