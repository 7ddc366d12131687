package dev.anonymoususers.promotion;

import dev.anonymoususers.AnonymousUsers;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * Registers the {@value AnonymousUsers#PROMOTE_ACTION} action in a realm, enabled and not a default action, so apps
 * can start it with {@code kc_action}. An admin who disables it under <em>Authentication → Required actions</em>
 * switches promotion off: apps then get {@code kc_action_status=error}.
 */
public final class PromotionSetup {

    private PromotionSetup() {
    }

    /** Adds the action where it is missing; leaves it as the admin set it where it is there. */
    public static void install(RealmModel realm) {
        if (realm.getRequiredActionProviderByAlias(AnonymousUsers.PROMOTE_ACTION) != null) {
            return;
        }
        RequiredActionProviderModel action = new RequiredActionProviderModel();
        action.setAlias(AnonymousUsers.PROMOTE_ACTION);
        action.setProviderId(AnonymousUsers.PROMOTE_ACTION);
        action.setName(new PromoteAnonymousUserActionFactory().getDisplayText());
        action.setEnabled(true);
        action.setDefaultAction(false);
        // Only ever started by an app, which Keycloak runs after every other pending action.
        action.setPriority(Integer.MAX_VALUE - 1);
        realm.addRequiredActionProvider(action);
    }
}
