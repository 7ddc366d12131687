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

    /** The device assertion of a {@code login_hint=anonymous:<assertion>} request. */
    static Optional<String> deviceAssertion(String loginHint) {
        return loginHint != null && loginHint.startsWith(DEVICE_KEY_PREFIX)
                ? Optional.of(loginHint.substring(DEVICE_KEY_PREFIX.length()))
                : Optional.empty();
    }
}
