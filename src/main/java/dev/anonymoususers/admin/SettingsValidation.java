package dev.anonymoususers.admin;

import java.util.List;
import java.util.Map;

import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.AnonymousUsersConfig.InvalidSetting;
import dev.anonymoususers.AnonymousUsersConfig.Setting;
import dev.anonymoususers.KeycloaksOwnClients;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * What the admin side checks before it saves settings, for the settings API and the tab alike: every value in
 * range, every client and group it names exists in the realm, no client is one of Keycloak's own, and the master
 * realm stays without guests.
 */
final class SettingsValidation {

    private SettingsValidation() {
    }

    static AnonymousUsersConfig check(KeycloakSession session, RealmModel realm, Map<String, List<String>> config) {
        return check(session, realm, config, false);
    }

    /**
     * As {@link #check(KeycloakSession, RealmModel, Map)}; a realm being imported keeps a list that names Keycloak's
     * own clients (an export of an earlier version): those are never allowed, and the server log says so at import.
     */
    static AnonymousUsersConfig check(KeycloakSession session, RealmModel realm, Map<String, List<String>> config,
            boolean importing) {
        AnonymousUsersConfig settings = AnonymousUsersConfig.parse(config);
        if (settings.enabled() && KeycloaksOwnClients.isMasterRealm(realm)) {
            throw new InvalidSetting(Setting.ENABLED, "Anonymous users cannot be enabled in the master realm, which holds "
                    + "Keycloak's administrators; enable them in the realm of your apps");
        }
        for (String clientId : settings.guestClients()) {
            requireClient(realm, Setting.GUEST_CLIENTS, clientId, importing);
        }
        for (String clientId : settings.deviceKeyClients()) {
            requireClient(realm, Setting.DEVICE_KEY_CLIENTS, clientId, importing);
        }
        for (String path : settings.guestGroups()) {
            if (KeycloakModelUtils.findGroupByPath(session, realm, path) == null) {
                throw new InvalidSetting(Setting.GUEST_GROUPS, "No group " + path + " in realm " + realm.getName());
            }
        }
        return settings;
    }

    private static void requireClient(RealmModel realm, Setting setting, String clientId, boolean importing) {
        if (KeycloaksOwnClients.contains(realm, clientId)) {
            if (importing) {
                return;
            }
            throw new InvalidSetting(setting, KeycloaksOwnClients.refusal(clientId) + ": name an app of your own");
        }
        if (realm.getClientByClientId(clientId) == null) {
            throw new InvalidSetting(setting, "No client " + clientId + " in realm " + realm.getName());
        }
    }
}
