package dev.anonymoususers.testing.clock;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.keycloak.Config;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * For the test server only, never shipped: {@code POST /realms/master/test-clock?offsetSeconds=N} moves Keycloak's
 * clock ({@link Time#setOffset}) as Keycloak's own test suite does, so a test can let days pass.
 */
public class ServerClockFactory implements RealmResourceProviderFactory, RealmResourceProvider {

    @Override
    public Object getResource() {
        return this;
    }

    @POST
    @Path("")
    public Response move(@QueryParam("offsetSeconds") int offsetSeconds) {
        Time.setOffset(offsetSeconds);
        return Response.noContent().build();
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public String getId() {
        return "test-clock";
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
