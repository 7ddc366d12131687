package dev.anonymoususers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiTabProvider;

/**
 * A realm's anonymous-user settings: read by every room, written only by the admin side (the settings API and the
 * admin console's tab), which both store them in one realm component.
 *
 * <p>The component is stored with the realm, so it is cached like the rest of the realm, seen by every node of a
 * cluster, and carried by realm export and import.
 *
 * @param enabled                  whether apps of the realm may sign visitors in as guests
 * @param guestClients             client ids that may create guests; empty means every OpenID Connect client the
 *                                 realm's admins created (never Keycloak's own, see {@link KeycloaksOwnClients})
 * @param deviceKeyClients         client ids that may use device keys; empty means every OpenID Connect client the
 *                                 realm's admins created
 * @param guestsPerAddressPerHour  new guests one address may create in an hour; 0 means no limit
 * @param maxGuests                guests the realm may hold; 0 means no limit
 * @param challengeLifetimeSeconds how long a device-key challenge waits for its assertion
 * @param guestGroups              paths of the groups a guest joins when it is created and leaves when it is promoted
 * @param removeInactiveGuestsAfterDays days without a session or sign-in after which a guest is deleted; 0 means never
 */
public record AnonymousUsersConfig(boolean enabled, List<String> guestClients, List<String> deviceKeyClients,
        int guestsPerAddressPerHour, int maxGuests, int challengeLifetimeSeconds, List<String> guestGroups,
        int removeInactiveGuestsAfterDays) {

    /** Provider id of the realm component that holds the settings (and of the admin console's tab). */
    public static final String COMPONENT_ID = "anonymous-users";

    /** The longest a challenge may live, whatever a realm sets. */
    public static final int MAX_CHALLENGE_LIFETIME_SECONDS = 3600;

    /**
     * The settings by name: {@link #json} is the public contract (settings API, realm JSON written by hand is the
     * component's {@link #key}); they differ only where an earlier version already stored a key.
     */
    public enum Setting {
        ENABLED("enabled", "enabled"),
        GUEST_CLIENTS("guestClients", "guestClients"),
        DEVICE_KEY_CLIENTS("deviceKeyClients", "deviceKeyClients"),
        GUESTS_PER_ADDRESS_PER_HOUR("guestsPerAddressPerHour", "guestsPerAddressPerHour"),
        MAX_GUESTS("maxGuests", "maxGuests"),
        CHALLENGE_LIFETIME_SECONDS("challengeLifetimeSeconds", "challengeLifetime"),
        GUEST_GROUPS("guestGroups", "guestGroups"),
        REMOVE_INACTIVE_GUESTS_AFTER_DAYS("removeInactiveGuestsAfterDays", "removeInactiveGuestsAfterDays");

        private final String json;
        private final String key;

        Setting(String json, String key) {
            this.json = json;
            this.key = key;
        }

        /** The name in the settings API's JSON. */
        public String json() {
            return json;
        }

        /** The key in the realm component's config. */
        public String key() {
            return key;
        }

        public static Optional<Setting> byJsonName(String name) {
            return Arrays.stream(values()).filter(setting -> setting.json.equals(name)).findFirst();
        }
    }

    /** A setting an admin submitted that cannot be saved, with the setting it is about. */
    public static final class InvalidSetting extends IllegalArgumentException {
        private final transient Setting setting;

        public InvalidSetting(Setting setting, String message) {
            super(message);
            this.setting = setting;
        }

        public Setting setting() {
            return setting;
        }
    }

    /** What a realm has before an admin saves any setting: anonymous users off. */
    public static final AnonymousUsersConfig DEFAULTS = new AnonymousUsersConfig(false, List.of(), List.of(), 30, 0, 120,
            List.of(), 30);

    public AnonymousUsersConfig {
        guestClients = List.copyOf(guestClients);
        deviceKeyClients = List.copyOf(deviceKeyClients);
        guestGroups = List.copyOf(guestGroups);
    }

    /** Whether the app {@code clientId} may create guests (in the browser or with a device key seen first). */
    public boolean allowsGuests(String clientId) {
        return !KeycloaksOwnClients.isOwnName(clientId) && (guestClients.isEmpty() || guestClients.contains(clientId));
    }

    /** Event error (and refusal reason) of a request in a realm where anonymous users are off. */
    public static final String DISABLED_ERROR = "anonymous_users_disabled";

    /** What an app is told in a realm where anonymous users are off, on every path. */
    public static final String DISABLED_DESCRIPTION = "Anonymous users are disabled for this realm";

    /** What an app that may not create guests is told, on every path. */
    public static String guestsNotAllowed(String clientId) {
        return "The client " + clientId + " may not create guests; an admin allows it in the anonymous-users settings (guestClients)";
    }

    /** Whether the app {@code clientId} may sign guests in with device keys. */
    public boolean allowsDeviceKeys(String clientId) {
        return !KeycloaksOwnClients.isOwnName(clientId) && (deviceKeyClients.isEmpty() || deviceKeyClients.contains(clientId));
    }

    /**
     * The settings of {@code realm}; the defaults where no admin has saved them yet. The master realm, which holds
     * Keycloak's administrators, never has anonymous users, whatever was stored or imported.
     */
    public static AnonymousUsersConfig of(RealmModel realm) {
        if (KeycloaksOwnClients.isMasterRealm(realm)) {
            return DEFAULTS;
        }
        return component(realm).map(AnonymousUsersConfig::of).orElse(DEFAULTS);
    }

    /** What the server log says of a stored or imported setting that is ignored: the master realm on, Keycloak's own clients. */
    public static List<String> ignoredSettings(RealmModel realm) {
        Map<String, List<String>> stored = component(realm).map(ComponentModel::getConfig)
                .map(config -> (Map<String, List<String>>) config).orElse(Map.of());
        List<String> ignored = new java.util.ArrayList<>();
        if (KeycloaksOwnClients.isMasterRealm(realm) && enabled(stored)) {
            ignored.add("anonymous users are never on in the master realm; its stored setting enabled=true is ignored");
        }
        for (Setting setting : List.of(Setting.GUEST_CLIENTS, Setting.DEVICE_KEY_CLIENTS)) {
            stored.getOrDefault(setting.key(), List.of()).stream()
                    .filter(clientId -> clientId != null && KeycloaksOwnClients.isOwnName(clientId.trim()))
                    .forEach(clientId -> ignored.add(setting.json() + " names " + clientId.trim()
                            + ", one of Keycloak's own applications, which never sign guests in; it is ignored"));
        }
        return ignored;
    }

    /** The realm component that holds the settings, written by the tab and the settings API alike. */
    public static Optional<ComponentModel> component(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .filter(component -> COMPONENT_ID.equals(component.getProviderId()))
                .findFirst();
    }

    public static AnonymousUsersConfig of(ComponentModel component) {
        return fromMap(component.getConfig() == null ? Map.of() : component.getConfig());
    }

    /**
     * Reads saved settings; a value an admin could not have saved counts as its default. Keycloak's own clients in a
     * stored list (imported, or saved by an earlier version) stay in it, so the list still names only the clients the
     * admin meant, and are never allowed ({@link #allowsGuests}).
     */
    static AnonymousUsersConfig fromMap(Map<String, List<String>> config) {
        return new AnonymousUsersConfig(enabled(config), list(config, Setting.GUEST_CLIENTS), list(config, Setting.DEVICE_KEY_CLIENTS),
                numberOrDefault(config, Setting.GUESTS_PER_ADDRESS_PER_HOUR, DEFAULTS.guestsPerAddressPerHour()),
                numberOrDefault(config, Setting.MAX_GUESTS, DEFAULTS.maxGuests()),
                numberOrDefault(config, Setting.CHALLENGE_LIFETIME_SECONDS, DEFAULTS.challengeLifetimeSeconds()),
                list(config, Setting.GUEST_GROUPS),
                numberOrDefault(config, Setting.REMOVE_INACTIVE_GUESTS_AFTER_DAYS, DEFAULTS.removeInactiveGuestsAfterDays()));
    }

    /** Reads settings as an admin submits them; {@link InvalidSetting} says which one is wrong, and why. */
    public static AnonymousUsersConfig parse(Map<String, List<String>> config) {
        return new AnonymousUsersConfig(enabled(config), list(config, Setting.GUEST_CLIENTS), list(config, Setting.DEVICE_KEY_CLIENTS),
                number(config, Setting.GUESTS_PER_ADDRESS_PER_HOUR, DEFAULTS.guestsPerAddressPerHour(), 0, Integer.MAX_VALUE),
                number(config, Setting.MAX_GUESTS, DEFAULTS.maxGuests(), 0, Integer.MAX_VALUE),
                number(config, Setting.CHALLENGE_LIFETIME_SECONDS, DEFAULTS.challengeLifetimeSeconds(), 1, MAX_CHALLENGE_LIFETIME_SECONDS),
                list(config, Setting.GUEST_GROUPS),
                number(config, Setting.REMOVE_INACTIVE_GUESTS_AFTER_DAYS, DEFAULTS.removeInactiveGuestsAfterDays(), 0, 36500));
    }

    private static boolean enabled(Map<String, List<String>> config) {
        List<String> enabled = config.get(Setting.ENABLED.key());
        return enabled != null && !enabled.isEmpty() && Boolean.parseBoolean(enabled.get(0));
    }

    /** A list setting (client ids, group paths), blanks dropped. */
    private static List<String> list(Map<String, List<String>> config, Setting setting) {
        return config.getOrDefault(setting.key(), List.of()).stream()
                .filter(value -> value != null && !value.isBlank())
                .map(String::trim)
                .toList();
    }

    private static int numberOrDefault(Map<String, List<String>> config, Setting setting, int defaultValue) {
        try {
            return number(config, setting, defaultValue, setting == Setting.CHALLENGE_LIFETIME_SECONDS ? 1 : 0,
                    setting == Setting.CHALLENGE_LIFETIME_SECONDS ? MAX_CHALLENGE_LIFETIME_SECONDS : Integer.MAX_VALUE);
        } catch (InvalidSetting e) {
            return defaultValue;
        }
    }

    private static int number(Map<String, List<String>> config, Setting setting, int defaultValue, int min, int max) {
        List<String> values = config.get(setting.key());
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            return defaultValue;
        }
        long number;
        try {
            number = Long.parseLong(values.get(0).trim());
        } catch (NumberFormatException e) {
            throw new InvalidSetting(setting, setting.json() + " must be a whole number");
        }
        if (max == Integer.MAX_VALUE && number < min) {
            throw new InvalidSetting(setting, setting.json() + " must be 0 or more (0 means no limit)");
        }
        if (number < min || number > max) {
            throw new InvalidSetting(setting, setting.json() + " must be from " + min + " to " + max);
        }
        return (int) number;
    }
}
