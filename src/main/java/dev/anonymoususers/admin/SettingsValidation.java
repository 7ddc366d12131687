package dev.anonymoususers.admin;

import java.util.List;
import java.util.Map;

import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.AnonymousUsersConfig.InvalidSetting;
import dev.anonymoususers.AnonymousUsersConfig.Setting;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * What the admin side checks before it saves settings, for the settings API and the tab alike: every value in
 * range, and every client and group it names exists in the realm.
 */
final class SettingsValidation {

    private SettingsValidation() {
    }

    static AnonymousUsersConfig check(KeycloakSession session, RealmModel realm, Map<String, List<String>> config) {
        AnonymousUsersConfig settings = AnonymousUsersConfig.parse(config);
        for (String clientId : settings.guestClients()) {
            requireClient(realm, Setting.GUEST_CLIENTS, clientId);
        }
        for (String clientId : settings.deviceKeyClients()) {
            requireClient(realm, Setting.DEVICE_KEY_CLIENTS, clientId);
        }
        for (String path : settings.guestGroups()) {
            if (KeycloakModelUtils.findGroupByPath(session, realm, path) == null) {
                throw new InvalidSetting(Setting.GUEST_GROUPS, "No group " + path + " in realm " + realm.getName());
            }
        }
        return settings;
    }

    private static void requireClient(RealmModel realm, Setting setting, String clientId) {
        if (realm.getClientByClientId(clientId) == null) {
            throw new InvalidSetting(setting, "No client " + clientId + " in realm " + realm.getName());
        }
    }
}
