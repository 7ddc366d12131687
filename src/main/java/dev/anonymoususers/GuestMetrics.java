package dev.anonymoususers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.keycloak.models.RealmModel;

/**
 * Counters on Keycloak's metrics endpoint ({@code /metrics} on the management port, when {@code metrics-enabled}
 * is on), through the registry Keycloak's own metrics use; where metrics are off they cost nothing. The names are
 * part of the public contract, tagged with the realm's name:
 * <ul>
 *   <li>{@code anonymous_users_guests_created_total}</li>
 *   <li>{@code anonymous_users_device_sign_ins_total}</li>
 *   <li>{@code anonymous_users_promotions_total}</li>
 *   <li>{@code anonymous_users_refusals_total}, also tagged {@code reason} (the event error)</li>
 *   <li>{@code anonymous_users_clean_up_removed_total}</li>
 * </ul>
 */
public final class GuestMetrics {

    private GuestMetrics() {
    }

    public static void guestCreated(RealmModel realm) {
        count("anonymous.users.guests.created", "Guests created", realm, 1);
    }

    public static void deviceSignIn(RealmModel realm) {
        count("anonymous.users.device.sign.ins", "Sign-ins with a device key", realm, 1);
    }

    public static void promoted(RealmModel realm) {
        count("anonymous.users.promotions", "Guests promoted to regular users", realm, 1);
    }

    public static void cleanUpRemoved(RealmModel realm, int guests) {
        count("anonymous.users.clean.up.removed", "Inactive guests removed by the clean-up", realm, guests);
    }

    /** A request refused; {@code reason} is the error of its event (or the refusal's own name where no event is kept). */
    public static void refused(RealmModel realm, String reason) {
        Counter.builder("anonymous.users.refusals")
                .description("Requests refused by anonymous users, by reason")
                .tag("realm", realm.getName())
                .tag("reason", reason)
                .register(Metrics.globalRegistry)
                .increment();
    }

    private static void count(String name, String description, RealmModel realm, int amount) {
        if (amount > 0) {
            Counter.builder(name).description(description).tag("realm", realm.getName()).register(Metrics.globalRegistry)
                    .increment(amount);
        }
    }
}
