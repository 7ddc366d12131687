package dev.anonymoususers;

/**
 * A new guest refused because a limit of the realm's settings is reached. Apps receive HTTP 429 with
 * {@code Retry-After} at the token and challenge endpoints, or an error redirect in the browser; the event error is
 * {@link #reason()}.
 */
public final class GuestLimitReached extends Exception {

    /** Event error: the address created {@code guestsPerAddressPerHour} guests within the last hour. */
    public static final String ADDRESS_LIMIT = "anonymous_address_limit";

    /** Event error: the realm holds {@code maxGuests} guests. */
    public static final String REALM_LIMIT = "anonymous_realm_limit";

    private final String reason;
    private final long retryAfterSeconds;

    GuestLimitReached(String reason, String description, long retryAfterSeconds) {
        super(description, null, false, false); // an expected answer, not a failure: no stack trace
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The event error that says which limit it is. */
    public String reason() {
        return reason;
    }

    /** What the app is told: the limit, by its setting's name. */
    public String description() {
        return getMessage();
    }

    /** When a new guest might be admitted again, for {@code Retry-After}. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
