package dev.anonymoususers.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.KeycloakServer;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.PostgresKeycloak;
import org.junit.jupiter.api.Test;

/**
 * Taking the extension off a server, in the order docs/upgrading.md gives: first {@code POST …/anonymous-users/remove}
 * in each realm, then the JAR out of {@code providers/}. A server on PostgreSQL (in the cluster execution, which has
 * one) is started with the JAR, then again on the same database without it.
 */
class ExtensionRemovalOnPostgresIT {

    static final String REDIRECT_URI = "http://127.0.0.1/callback";

    @Test
    void aRealmTheExtensionWasRemovedFromSignsInWithoutTheJarAndOneItWasNotRemovedFromDoesNot() throws Exception {
        String dbUrl = System.getProperty("cluster.db.url").replaceAll("/[^/]+$", "/anonymous_users_removal");
        PostgresKeycloak keycloak = PostgresKeycloak.build(Path.of(System.getProperty("keycloak.home")), dbUrl,
                System.getProperty("cluster.db.username"), System.getProperty("cluster.db.password"),
                List.of(Path.of(System.getProperty("extension.jar"))));
        String removed;
        String kept;
        String guest;
        try (KeycloakServer withJar = started(keycloak, true)) {
            AdminApi admin = new AdminApi(withJar);
            removed = admin.importGuestsRealm(REDIRECT_URI, true);
            kept = admin.importGuestsRealm(REDIRECT_URI, true);
            OidcClient app = new OidcClient(withJar, removed, "web-app", REDIRECT_URI);
            guest = app.exchange(app.authorizeAsGuest()).idTokenClaims().get("sub").asText();

            var answer = admin.send("POST", "/admin/realms/" + removed + "/anonymous-users/remove", null);

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(AdminApi.read(answer.body()).get("guestSteps").asInt()).isEqualTo(1);
            assertThat(AdminApi.read(answer.body()).get("requiredActions")).hasSize(2);
            assertThat(admin.get("/admin/realms/" + removed + "/authentication/flows/browser/executions").findValuesAsText("providerId"))
                    .doesNotContain("anonymous-guest");
            assertThat(admin.get("/admin/realms/" + removed + "/client-scopes").findValuesAsText("name")).doesNotContain("anonymous");
            assertThat(new OidcClient(withJar, removed, "web-app", REDIRECT_URI).authorizeAsGuest().reachedApp())
                    .as("a guest request now meets the login form").isFalse();
        }
        keycloak.rebuild(List.of());
        try (KeycloakServer withoutJar = started(keycloak, false)) {
            AdminApi admin = new AdminApi(withoutJar);

            OidcClient.Authorization signIn = new OidcClient(withoutJar, removed, "web-app", REDIRECT_URI)
                    .signInWithPassword("alice", "alice-password");
            OidcClient.Authorization notRemoved = new OidcClient(withoutJar, kept, "web-app", REDIRECT_URI).authorize(java.util.Map.of());

            assertThat(signIn.reachedApp()).as("a regular user signs in: %s", signIn.page()).isTrue();
            assertThat(signIn.code()).isNotBlank();
            assertThat(admin.get("/admin/realms/" + removed + "/users/" + guest).get("username").asText()).startsWith("guest-");
            assertThat(withoutJar.log()).doesNotContain("configured in the realm '" + removed + "' is not available");
            assertThat(notRemoved.reachedApp()).isFalse();
            assertThat(notRemoved.page()).as("the realm it was not removed from").contains("We are sorry");
            assertThat(withoutJar.log()).contains("Unable to find factory for AuthenticatorFactory: anonymous-guest");
        }
    }

    private static KeycloakServer started(PostgresKeycloak keycloak, boolean bootstrapAdmin) throws Exception {
        int[] ports = KeycloakServer.freePorts(2);
        KeycloakServer server = keycloak.start(bootstrapAdmin ? "with-jar" : "without-jar", "127.0.0.1", ports[0], ports[1],
                "http://localhost:" + ports[0], bootstrapAdmin, List.of());
        server.awaitReady();
        return server;
    }
}
