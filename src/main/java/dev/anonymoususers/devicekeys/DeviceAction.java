package dev.anonymoususers.devicekeys;

import java.util.Arrays;
import java.util.Optional;

/** What a device assertion asks for: the {@code action} claim. Part of the public contract. */
public enum DeviceAction {

    /** Sign in as the device's guest, creating it on the first assertion of a key. */
    AUTH("auth"),
    /** Prove the device while promoting its guest to a regular user. */
    PROMOTE("promote");

    private final String claim;

    DeviceAction(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }

    static Optional<DeviceAction> fromClaim(String value) {
        return Arrays.stream(values()).filter(action -> action.claim.equals(value)).findFirst();
    }
}
