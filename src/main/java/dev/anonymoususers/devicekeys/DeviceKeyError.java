package dev.anonymoususers.devicekeys;

/**
 * Why a device assertion or device-key request was refused, as an OAuth 2.0 error (RFC 6749 §5.2): the
 * {@code error} code and an {@code error_description} that tells the app developer what was wrong.
 */
public final class DeviceKeyError extends Exception {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";

    private final String error;

    private DeviceKeyError(String error, String description) {
        super(description, null, false, false); // an expected answer, not a failure: no stack trace
        this.error = error;
    }

    /** The request is malformed: missing, oversized, not a compact JWS, not base64url or not JSON. */
    public static DeviceKeyError invalidRequest(String description) {
        return new DeviceKeyError(INVALID_REQUEST, description);
    }

    /** The assertion is well formed but not acceptable. */
    public static DeviceKeyError invalidGrant(String description) {
        return new DeviceKeyError(INVALID_GRANT, description);
    }

    /** The realm or the client may not use device keys. */
    public static DeviceKeyError unauthorizedClient(String description) {
        return new DeviceKeyError(UNAUTHORIZED_CLIENT, description);
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }
}
