package dev.anonymoususers.wiring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.SettingsStore;
import dev.anonymoususers.claims.AnonymousClientScope;
import dev.anonymoususers.guest.GuestSignInSetup;
import dev.anonymoususers.guest.NoFormsForGuests;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.utils.DefaultRequiredActions;

/**
 * What the extension adds to a realm, and when ({@link KeycloakEvents} says when each of these runs).
 *
 * <ul>
 *   <li>Once per realm — at the first start with the extension, or when the realm is created or imported — the
 *       guest step in the browser flow and the required action that spares guests from forms. Both are inert while
 *       anonymous users are disabled. A realm attribute records that this happened, so an admin who removes the
 *       step later is not overruled on the next start.</li>
 *   <li>At every start, and when a realm is created or imported: the promotion action, whose configuration holds the
 *       settings, where it is missing (a realm set up by an earlier version lacks it), and the settings an earlier
 *       version kept in a realm component moved into it. An admin switches promotion off by disabling the action,
 *       not removing it.</li>
 *   <li>Each time an admin saves the settings with anonymous users enabled: the {@code anonymous} client scope, the
 *       guest mark in the realm's user profile (admins see it read-only, users never), and the guest step again
 *       if the browser flow bound to the realm lacks it (say, a flow the admin copied since).</li>
 *   <li>The same when a realm is imported with anonymous users enabled.</li>
 *   <li>Switching anonymous users off changes no flow, scope or client: existing guests keep working and keep
 *       their claim; new guest requests are refused.</li>
 * </ul>
 */
public final class RealmSetup {

    private static final Logger LOG = Logger.getLogger(RealmSetup.class);

    static final String INSTALLED_ATTRIBUTE = "anonymousUsers.installed";
    /** The value of {@link #INSTALLED_ATTRIBUTE} once the extension was removed from the realm. */
    static final String REMOVED = "removed";

    private RealmSetup() {
    }

    /** Called each time the settings are saved (the console's dialog or the settings API), before they are stored. */
    public static void onSettingsSaved(KeycloakSession session, RealmModel realm, AnonymousUsersConfig config) {
        if (config.enabled()) {
            GuestSignInSetup.install(realm);
            AnonymousClientScope.install(realm);
            GuestMarkInUserProfile.install(session, realm);
            realm.setAttribute(INSTALLED_ATTRIBUTE, Boolean.TRUE.toString());
        }
    }

    /** A realm that was just created or imported (its imported settings are in place; import calls no onCreate). */
    static void realmCreated(KeycloakSession session, RealmModel realm) {
        bringUpToDate(realm);
        addKeycloaksDefaultsWhereAnImportListedOnlyOurs(realm);
        onSettingsSaved(session, realm, AnonymousUsersConfig.of(realm));
    }

    /**
     * Each realm at server start: what an earlier version, or an admin since, left out or named otherwise. A realm the
     * extension was removed from ({@link #remove}) gets nothing, until an admin saves its settings again.
     */
    static void serverStarted(KeycloakSession session, RealmModel realm) {
        if (REMOVED.equals(realm.getAttribute(INSTALLED_ATTRIBUTE))) {
            return;
        }
        bringUpToDate(realm);
        if (AnonymousUsersConfig.of(realm).enabled()) {
            // realms enabled by an earlier version, whose guest mark was unmanaged
            GuestMarkInUserProfile.install(session, realm);
        }
    }

    /**
     * What every realm has, created now or by an earlier version: the guest step once, the two required actions under
     * today's names, the settings an earlier version kept in a component moved into the action, and a word in the log
     * for each stored setting that is ignored.
     */
    private static void bringUpToDate(RealmModel realm) {
        installOnce(realm);
        SettingsStore.install(realm);
        GuestSignInSetup.installNoFormsForGuests(realm);
        SettingsStore.adoptEarlierComponent(realm);
        warnOfIgnoredSettings(realm);
    }

    /**
     * Takes out of the realm what the extension added, so that the JAR can leave the server without breaking the
     * realm's sign-ins: the guest step from every flow (without the JAR, Keycloak fails every browser sign-in of a
     * flow that names it), the two required actions (and with them the settings), the {@code anonymous} client scope
     * and the guest mark in the user profile. Guests stay, as users; their rows in the extension's tables too.
     * Answers what it removed.
     */
    public static Map<String, Object> remove(KeycloakSession session, RealmModel realm) {
        Map<String, Object> removed = new LinkedHashMap<>();
        removed.put("guestSteps", GuestSignInSetup.removeGuestSteps(realm));
        List<String> actions = new ArrayList<>();
        for (String alias : List.of(SettingsStore.ACTION, NoFormsForGuests.ID)) {
            RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(alias);
            if (action != null) {
                realm.removeRequiredActionProvider(action);
                actions.add(alias);
            }
        }
        removed.put("requiredActions", actions);
        removed.put("clientScope", AnonymousClientScope.remove(realm));
        removed.put("userProfileAttribute", GuestMarkInUserProfile.remove(session, realm));
        realm.setAttribute(INSTALLED_ATTRIBUTE, REMOVED);
        LOG.infof("Anonymous users removed from realm '%s': %s", realm.getName(), removed);
        return removed;
    }

    /**
     * A realm JSON that lists {@code requiredActions} gets only those, in every Keycloak import. One written by hand to
     * configure this extension may list only the action that holds its settings; such a realm gets Keycloak's default
     * actions as if it had listed none, not a realm without password updates or email verification.
     */
    private static void addKeycloaksDefaultsWhereAnImportListedOnlyOurs(RealmModel realm) {
        Set<String> ours = Set.of(SettingsStore.ACTION, NoFormsForGuests.ID, "delete_account");
        if (realm.getRequiredActionProvidersStream().allMatch(action -> ours.contains(action.getAlias()))) {
            DefaultRequiredActions.addActions(realm);
        }
    }

    /** Settings the admin side would refuse but an import (or an earlier version) stored: said once, then ignored. */
    private static void warnOfIgnoredSettings(RealmModel realm) {
        AnonymousUsersConfig.ignoredSettings(realm).forEach(ignored ->
                LOG.warnf("Anonymous users in realm '%s': %s", realm.getName(), ignored));
    }

    private static void installOnce(RealmModel realm) {
        if (realm.getAttribute(INSTALLED_ATTRIBUTE) == null) {
            GuestSignInSetup.install(realm);
            realm.setAttribute(INSTALLED_ATTRIBUTE, Boolean.TRUE.toString());
        }
    }
}
