package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.RealmPerTest;
import dev.anonymoususers.testing.Smoke;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guest mark in the realm's default user profile: admins see it read-only on every guest; guests and users can
 * neither see nor change it; admins find guests by searching it.
 */
class GuestMarkIT extends RealmPerTest {

    OidcClient.Tokens guest;
    String guestId;

    @BeforeEach
    void aGuestInARealmWithTheDefaultUserProfile() {
        OidcClient app = new OidcClient(server, realm, "web-app", REDIRECT_URI);
        guest = app.exchange(app.authorizeAsGuest());
        guestId = guest.idTokenClaims().get("sub").asText();
    }

    @Smoke
    @Test
    void anAdminSeesTheMarkOnTheGuestWithoutTurningOnUnmanagedAttributes() {
        JsonNode user = admin.get("/admin/realms/" + realm + "/users/" + guestId + "?userProfileMetadata=true");

        assertThat(user.path("attributes").path("anonymous").get(0).asText()).isEqualTo("true");
        JsonNode metadata = attributeMetadata(user, "anonymous");
        assertThat(metadata.path("readOnly").asBoolean()).isTrue();
        assertThat(metadata.path("displayName").asText()).isEqualTo("Guest (anonymous user)");
    }

    @Test
    void anAdminEditingAGuestCannotTakeTheMarkAway() {
        ObjectNode user = (ObjectNode) admin.get("/admin/realms/" + realm + "/users/" + guestId);
        user.put("firstName", "Named");
        ((ObjectNode) user.path("attributes")).putArray("anonymous").add("false");

        admin.send("PUT", "/admin/realms/" + realm + "/users/" + guestId, user);

        JsonNode after = admin.get("/admin/realms/" + realm + "/users/" + guestId);
        assertThat(after.path("attributes").path("anonymous").get(0).asText()).isEqualTo("true");
        assertThat(admin.isGuest(realm, guestId)).isTrue();
    }

    @Test
    void theGuestCannotReadItsAccountInTheAccountApiAtAll() {
        // A guest's token carries no account audience (IsAnonymousClaimMapper): the account API is no guest's.
        assertThat(account("GET", null).statusCode()).isEqualTo(401);
    }

    @Test
    void theGuestCannotChangeTheMarkThroughTheAccountApi() {
        ObjectNode account = (ObjectNode) AdminApi.read(account("GET", null).body());
        account.putObject("attributes").putArray("anonymous").add("false");

        account("POST", account.toString());

        assertThat(admin.isGuest(realm, guestId)).isTrue();
    }

    @Test
    void anAdminFindsGuestsBySearchingTheMark() {
        JsonNode found = admin.get("/admin/realms/" + realm + "/users?q=anonymous:true");

        assertThat(found.findValuesAsText("id")).containsExactly(guestId);
    }

    HttpResponse<String> account(String method, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.realmUrl(realm) + "/account"))
                .header("Authorization", "Bearer " + guest.accessToken())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode attributeMetadata(JsonNode user, String name) {
        for (JsonNode attribute : user.path("userProfileMetadata").path("attributes")) {
            if (name.equals(attribute.path("name").asText())) {
                return attribute;
            }
        }
        throw new AssertionError("No user-profile metadata for " + name + " in " + user);
    }
}
