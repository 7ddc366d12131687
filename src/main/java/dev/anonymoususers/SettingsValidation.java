package dev.anonymoususers;

import java.util.Map;

import dev.anonymoususers.AnonymousUsersConfig.InvalidSetting;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * What is checked before settings are saved, for the settings API and the console's dialog alike: every value of its
 * type and in range, every client and group it names exists in the realm, no client is one of Keycloak's own, and the
 * master realm stays without guests. Each refusal names the setting, as {@link Setting} words it.
 */
public final class SettingsValidation {

    private SettingsValidation() {
    }

    public static AnonymousUsersConfig check(KeycloakSession session, RealmModel realm, Map<String, String> submitted) {
        AnonymousUsersConfig settings = AnonymousUsersConfig.parse(submitted);
        if (settings.enabled() && KeycloaksOwnClients.isMasterRealm(realm)) {
            throw new InvalidSetting(Setting.ENABLED, "Anonymous users cannot be enabled in the master realm, which holds "
                    + "Keycloak's administrators; enable them in the realm of your apps");
        }
        for (String clientId : settings.guestClients()) {
            requireClient(realm, Setting.GUEST_CLIENTS, clientId);
        }
        for (String clientId : settings.deviceKeyClients()) {
            requireClient(realm, Setting.DEVICE_KEY_CLIENTS, clientId);
        }
        for (String path : settings.guestGroups()) {
            if (KeycloakModelUtils.findGroupByPath(session, realm, path) == null) {
                throw new InvalidSetting(Setting.GUEST_GROUPS, Setting.GUEST_GROUPS.named() + " names " + path
                        + ", and realm " + realm.getName() + " has no such group");
            }
        }
        return settings;
    }

    private static void requireClient(RealmModel realm, Setting setting, String clientId) {
        if (KeycloaksOwnClients.contains(realm, clientId)) {
            throw new InvalidSetting(setting, setting.named() + " cannot name " + clientId
                    + ", one of Keycloak's own applications, which never sign guests in; name an app of your own");
        }
        if (realm.getClientByClientId(clientId) == null) {
            throw new InvalidSetting(setting, setting.named() + " names " + clientId + ", and realm " + realm.getName()
                    + " has no such client");
        }
    }
}
