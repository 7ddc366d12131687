package dev.anonymoususers.guest;

/**
 * Recognises a guest sign-in request in the browser: an authorization request with {@code login_hint=anonymous}.
 * The value is part of the public contract.
 */
final class GuestRequest {

    static final String LOGIN_HINT = "anonymous";

    private GuestRequest() {
    }

    static boolean isGuestRequest(String loginHint) {
        return LOGIN_HINT.equals(loginHint);
    }
}
