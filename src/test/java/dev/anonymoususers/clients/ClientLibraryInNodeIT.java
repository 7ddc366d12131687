package dev.anonymoususers.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.Addresses;
import dev.anonymoususers.testing.StandInServer;
import org.junit.jupiter.api.Test;

/** The client library in Node.js, from its source: the shared scenarios, and the answers only Node.js can read. */
class ClientLibraryInNodeIT extends ClientLibraryScenarios {

    private final String address = Addresses.next();

    @Override
    ClientLibrary startLibrary() {
        return ClientLibrary.inNode(ClientLibrary.SOURCE_ENTRY);
    }

    @Override
    String appOrigin() {
        return "http://127.0.0.1";
    }

    @Override
    String address() {
        return address;
    }

    @Test
    void anUnknownClientIsClientNotAllowed() {
        guest("device", Map.of("clientId", "no-such-app"));

        JsonNode error = signInFailing("device");

        assertThat(error.get("reason").asText()).isEqualTo("client-not-allowed");
        assertThat(error.get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void aRealmThatDoesNotExistAndABasePathOfOldKeycloaksAreNotFound() {
        guest("no-realm", Map.of("realm", "no-such-realm"));
        guest("old-path", Map.of("url", server.baseUrl() + "/auth"));

        JsonNode noRealm = signInFailing("no-realm");
        JsonNode oldPath = signInFailing("old-path");

        assertThat(noRealm.get("reason").asText()).isEqualTo("not-found");
        assertThat(noRealm.get("message").asText()).contains("Realm does not exist");
        assertThat(oldPath.get("reason").asText()).isEqualTo("not-found");
        assertThat(oldPath.get("message").asText()).contains("check url (no /auth since Keycloak 17)");
    }

    @Test
    void aKeycloakStillStartingIsAnUnexpectedAnswerThatQuotesWhatCameBack() {
        JsonNode error;
        String url;
        // What Keycloak 26.7 answers while it is still starting, replayed by a stand-in.
        try (StandInServer starting = new StandInServer(503, "text/plain", "Bootstrap in progress. Retry in 1 seconds.")) {
            url = starting.url();
            guest("device", Map.of("url", url));
            error = signInFailing("device");
        }

        assertThat(error.get("reason").asText()).isEqualTo("unexpected-answer");
        assertThat(error.get("status").asInt()).isEqualTo(503);
        assertThat(error.get("message").asText()).isEqualTo(url + "/realms/" + realm
                + "/protocol/openid-connect/token answered 503 without JSON: Bootstrap in progress. Retry in 1 seconds.");
    }

    @Test
    void unboundTokensAreBearerTokensWhenTheAppAsksForThem() throws Exception {
        guest("device", Map.of("bind", false));

        JsonNode session = signIn("device");
        JsonNode userinfo = library.call("fetch", Map.of("session", "device", "url", userinfoUrl()));

        assertThat(session.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(com.nimbusds.jwt.SignedJWT.parse(session.get("accessToken").asText()).getJWTClaimsSet().getClaim("cnf")).isNull();
        assertThat(userinfo.get("status").asInt()).isEqualTo(200);
    }
}
