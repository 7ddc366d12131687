package dev.anonymoususers.promotion;

import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.RequiredActions;
import org.keycloak.models.RealmModel;

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
        // Only ever started by an app, which Keycloak runs after every other pending action.
        RequiredActions.registerIfMissing(realm, AnonymousUsers.PROMOTE_ACTION,
                new PromoteAnonymousUserActionFactory().getDisplayText(), Integer.MAX_VALUE - 1);
    }
}
