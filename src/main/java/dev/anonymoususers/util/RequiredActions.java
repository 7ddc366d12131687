package dev.anonymoususers.util;

import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/** Registers the extension's required actions in a realm, as an admin would under Authentication → Required actions. */
public final class RequiredActions {

    private RequiredActions() {
    }

    /**
     * Adds the action, enabled and not a default action, where the realm lacks it; leaves it as the admin set it
     * where it is there (an admin disables it rather than removes it), except that it gets {@code displayName} where
     * it still has the name an earlier version gave it.
     */
    public static void registerIfMissing(RealmModel realm, String providerId, String displayName, int priority,
            String earlierName) {
        RequiredActionProviderModel registered = realm.getRequiredActionProviderByAlias(providerId);
        if (registered != null) {
            if (earlierName.equals(registered.getName())) {
                registered.setName(displayName);
                realm.updateRequiredActionProvider(registered);
            }
            return;
        }
        RequiredActionProviderModel action = new RequiredActionProviderModel();
        action.setAlias(providerId);
        action.setProviderId(providerId);
        action.setName(displayName);
        action.setEnabled(true);
        action.setDefaultAction(false);
        action.setPriority(priority);
        realm.addRequiredActionProvider(action);
    }
}
