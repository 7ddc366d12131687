package dev.anonymoususers.devicekeys;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Errors;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.cors.Cors;

/**
 * Why a device assertion or device-key request was refused, as an OAuth 2.0 error (RFC 6749 §5.2): the
 * {@code error} code and an {@code error_description} that tells the app developer what was wrong.
 */
public final class DeviceKeyError extends Exception {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
    /** With HTTP 429 and {@code Retry-After}: a limit of the realm's settings is reached; try again later. */
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

    private final String error;
    private final String eventError;
    private final long retryAfterSeconds;

    private DeviceKeyError(String error, String description) {
        this(error, error, description, 0);
    }

    private DeviceKeyError(String error, String eventError, String description, long retryAfterSeconds) {
        super(description, null, false, false); // an expected answer, not a failure: no stack trace
        this.error = error;
        this.eventError = eventError;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The request is malformed: missing, oversized, not a compact JWS, not base64url or not JSON. */
    public static DeviceKeyError invalidRequest(String description) {
        return new DeviceKeyError(INVALID_REQUEST, description);
    }

    /**
     * The request's DPoP proof does not prove the device key: answered as Keycloak answers a bad proof at the token
     * endpoint ({@code invalid_request}, event error {@code invalid_dpop_proof}).
     */
    public static DeviceKeyError invalidDpopProof(String description) {
        return new DeviceKeyError(INVALID_REQUEST, Errors.INVALID_DPOP_PROOF, description, 0);
    }

    /** The assertion is well formed but not acceptable. */
    public static DeviceKeyError invalidGrant(String description) {
        return new DeviceKeyError(INVALID_GRANT, description);
    }

    /** The realm or the client may not use device keys. */
    public static DeviceKeyError unauthorizedClient(String description) {
        return new DeviceKeyError(UNAUTHORIZED_CLIENT, description);
    }

    /**
     * A limit is reached: {@value #TEMPORARILY_UNAVAILABLE}, sent with HTTP 429 and {@code Retry-After};
     * {@code reason} is the event error that names the limit.
     */
    public static DeviceKeyError limitReached(String reason, String description, long retryAfterSeconds) {
        return new DeviceKeyError(TEMPORARILY_UNAVAILABLE, reason, description, retryAfterSeconds);
    }

    /** Whether this is a limit, answered with HTTP 429 and {@link #retryAfterSeconds()}. */
    public boolean isLimit() {
        return retryAfterSeconds > 0;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The error recorded in Keycloak's event: the OAuth error, or for a limit the limit's own reason. */
    public String eventError() {
        return eventError;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    /**
     * The answer of an endpoint: HTTP 400, or 429 with {@code Retry-After} for a limit; the OAuth error body. Browsers
     * show a script {@code Retry-After} only when CORS exposes it, so it is exposed to the client's web origins.
     */
    public Response response(Cors cors) {
        Response.ResponseBuilder answer = Response.status(isLimit() ? 429 : 400)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuth2ErrorRepresentation(error, description()));
        if (isLimit()) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
            cors.exposedHeaders(HttpHeaders.RETRY_AFTER);
        }
        return cors.add(answer);
    }
}
