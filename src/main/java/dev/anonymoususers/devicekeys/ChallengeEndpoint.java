package dev.anonymoususers.devicekeys;

import java.util.Map;

import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.GuestMetrics;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * {@code POST /realms/{realm}/anonymous/challenge} → {@code {"challenge": "...", "expires_in": N}}: a one-time
 * challenge for the next device assertion. Part of the public contract.
 *
 * <p>Web apps that call it from the browser pass {@code ?client_id=...}; the answer then carries CORS headers for
 * that client's web origins, as the token endpoint does.
 *
 * <p>Issuing stores nothing in the cluster (see {@link Challenges}); each node limits how many challenges an address
 * gets ({@link DeviceKeyLimits}). Past the limit: HTTP 429 with {@code Retry-After}.
 */
public class ChallengeEndpoint implements RealmResourceProvider {

    private final KeycloakSession session;
    private final DeviceKeyLimits limits;

    ChallengeEndpoint(KeycloakSession session, DeviceKeyLimits limits) {
        this.session = session;
        this.limits = limits;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @POST
    @Path("challenge")
    @Produces(MediaType.APPLICATION_JSON)
    public Response challenge(@QueryParam("client_id") String clientId) {
        RealmModel realm = session.getContext().getRealm();
        Cors cors = cors(realm, clientId);
        AnonymousUsersConfig config = AnonymousUsersConfig.of(realm);
        if (!config.enabled()) {
            GuestMetrics.refused(realm, AnonymousUsersConfig.DISABLED_ERROR);
            return cors.add(Response.status(Response.Status.FORBIDDEN)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", "access_denied", "error_description", AnonymousUsersConfig.DISABLED_DESCRIPTION)));
        }
        try {
            limits.admitChallenge(session, realm);
        } catch (DeviceKeyError limitReached) {
            // Counted, not recorded as an event: a flood must not turn into database writes.
            GuestMetrics.refused(realm, limitReached.eventError());
            return limitReached.response(cors);
        }
        String challenge = new Challenges(session).issue(realm, config.challengeLifetimeSeconds());
        // server_time: a device whose clock is off learns the offset here, for what it must date itself (DPoP proofs).
        return cors.add(Response.ok(Map.of("challenge", challenge, "expires_in", config.challengeLifetimeSeconds(),
                        "server_time", Time.currentTime()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore())
                .header("Pragma", "no-cache"));
    }

    @OPTIONS
    @Path("challenge")
    public Response preflight(@QueryParam("client_id") String clientId) {
        return cors(session.getContext().getRealm(), clientId).preflight().add(Response.ok());
    }

    private Cors cors(RealmModel realm, String clientId) {
        Cors cors = Cors.builder().allowedMethods("POST").auth();
        ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
        return client == null ? cors : cors.checkAllowedOrigins(session, client);
    }

    private static CacheControl noStore() {
        CacheControl cacheControl = new CacheControl();
        cacheControl.setNoStore(true);
        cacheControl.setNoCache(true);
        return cacheControl;
    }

    @Override
    public void close() {
    }
}
