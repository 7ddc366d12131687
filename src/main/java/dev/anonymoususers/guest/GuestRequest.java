package dev.anonymoususers.guest;

import java.util.Optional;


/**
 * Recognises a guest sign-in request in the browser, by its {@code login_hint}: {@code anonymous} for a new or
 * session-bound guest, {@code anonymous:<assertion>} for the guest of a device key. Both are public contract.
 */
final class GuestRequest {

    static final String LOGIN_HINT = "anonymous";
    static final String DEVICE_KEY_PREFIX = LOGIN_HINT + ":";

    private GuestRequest() {
    }

    static boolean isGuestRequest(String loginHint) {
        return LOGIN_HINT.equals(loginHint) || (loginHint != null && loginHint.startsWith(DEVICE_KEY_PREFIX));
    }

    /**
     * The login hint of this request. Keycloak drops login hints longer than 255 characters from the
     * authorization request it keeps, and a device assertion is longer; so a device-key hint is read from the
     * authorization request itself, which is the HTTP request the browser flow runs in.
     */
    static String loginHint(String keptByKeycloak, String inAuthorizationRequest) {
        if (keptByKeycloak != null) {
            return keptByKeycloak;
        }
        return inAuthorizationRequest != null && inAuthorizationRequest.startsWith(DEVICE_KEY_PREFIX) ? inAuthorizationRequest : null;
    }

    /** The device assertion of a {@code login_hint=anonymous:<assertion>} request. */
    static Optional<String> deviceAssertion(String loginHint) {
        return loginHint != null && loginHint.startsWith(DEVICE_KEY_PREFIX)
                ? Optional.of(loginHint.substring(DEVICE_KEY_PREFIX.length()))
                : Optional.empty();
    }
}
