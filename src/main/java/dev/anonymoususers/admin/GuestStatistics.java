package dev.anonymoususers.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.anonymoususers.storage.GuestRegistry;
import dev.anonymoususers.storage.RealmTotals;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A realm's guests at a glance: {@code GET /admin/realms/{realm}/anonymous-users/stats}.
 * The JSON names are part of the public contract.
 *
 * @param guestsNow          guests the realm holds now
 * @param createdLast24Hours guests created in the last 24 hours, promoted since or not
 * @param promoted           guests that became regular users, in all
 * @param removedByCleanUp   inactive guests the clean-up removed, in all
 */
record GuestStatistics(long guestsNow, long createdLast24Hours, long promoted, long removedByCleanUp) {

    static GuestStatistics of(KeycloakSession session, RealmModel realm) {
        GuestRegistry registry = new GuestRegistry(session, realm);
        RealmTotals totals = new RealmTotals(session, realm);
        return new GuestStatistics(registry.count(), registry.createdSince(Time.currentTimeMillis() - 24L * 3600 * 1000),
                totals.total(RealmTotals.PROMOTED), totals.total(RealmTotals.REMOVED_BY_CLEAN_UP));
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("guestsNow", guestsNow);
        json.put("createdLast24Hours", createdLast24Hours);
        json.put("promoted", promoted);
        json.put("removedByCleanUp", removedByCleanUp);
        return json;
    }
}
