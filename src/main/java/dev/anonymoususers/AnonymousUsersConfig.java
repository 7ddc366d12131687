package dev.anonymoususers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.keycloak.models.RealmModel;

/**
 * A realm's anonymous-user settings, typed: read by every room, written only through {@link SettingsStore} (by the
 * settings API and the admin console's dialog). Each setting is defined once, in {@link Setting}.
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
    public static final AnonymousUsersConfig DEFAULTS = read(Map.of(), (setting, bad) -> { });

    public AnonymousUsersConfig {
        guestClients = List.copyOf(guestClients);
        deviceKeyClients = List.copyOf(deviceKeyClients);
        guestGroups = List.copyOf(guestGroups);
    }

    /** The value of one setting, as the settings API's JSON shows it. */
    public Object get(Setting setting) {
        return switch (setting) {
            case ENABLED -> enabled;
            case GUEST_CLIENTS -> guestClients;
            case DEVICE_KEY_CLIENTS -> deviceKeyClients;
            case GUESTS_PER_ADDRESS_PER_HOUR -> guestsPerAddressPerHour;
            case MAX_GUESTS -> maxGuests;
            case CHALLENGE_LIFETIME_SECONDS -> challengeLifetimeSeconds;
            case GUEST_GROUPS -> guestGroups;
            case REMOVE_INACTIVE_GUESTS_AFTER_DAYS -> removeInactiveGuestsAfterDays;
        };
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
        Map<String, String> stored = SettingsStore.stored(realm);
        LastRead last = LAST_READ.get(realm.getId());
        if (last != null && last.stored() == stored) {
            return last.settings(); // the very map the realm cache holds: unchanged since it was read
        }
        AnonymousUsersConfig settings = read(stored, (setting, bad) -> SettingsStore.warnOfStoredValue(realm, setting, bad));
        LAST_READ.put(realm.getId(), new LastRead(stored, settings));
        return settings;
    }

    /**
     * Each realm's settings as last read, with the stored map they came from. Every room asks for the settings, a
     * device sign-up four times; the realm cache hands out the same map until the realm changes, so a map seen before
     * is not read again (a realm being written hands out a new map each time, and is read each time).
     */
    private static final Map<String, LastRead> LAST_READ = new ConcurrentHashMap<>();

    private record LastRead(Map<String, String> stored, AnonymousUsersConfig settings) {
    }

    /** Forgets what was read of a realm that is being removed. */
    public static void forget(RealmModel realm) {
        LAST_READ.remove(realm.getId());
    }

    /** What the server log says of a stored or imported setting that is ignored: the master realm on, Keycloak's own clients. */
    public static List<String> ignoredSettings(RealmModel realm) {
        Map<String, String> stored = SettingsStore.stored(realm);
        List<String> ignored = new ArrayList<>();
        if (KeycloaksOwnClients.isMasterRealm(realm) && Boolean.parseBoolean(stored.get(Setting.ENABLED.json()))) {
            ignored.add("anonymous users are never on in the master realm; its stored setting enabled=true is ignored");
        }
        for (Setting setting : List.of(Setting.GUEST_CLIENTS, Setting.DEVICE_KEY_CLIENTS)) {
            list(stored.get(setting.json())).stream()
                    .filter(KeycloaksOwnClients::isOwnName)
                    .forEach(clientId -> ignored.add(setting.json() + " names " + clientId
                            + ", one of Keycloak's own applications, which never sign guests in; it is ignored"));
        }
        return ignored;
    }

    /**
     * Reads stored settings, which an import may have written without any check: a value an admin could not have
     * saved counts as its default, and {@code badValue} hears of it, so a sign-in never fails on a setting. Keycloak's
     * own clients in a stored list stay in it, so the list still names only the clients the admin meant, and are
     * never allowed ({@link #allowsGuests}).
     */
    static AnonymousUsersConfig read(Map<String, String> stored, BiConsumer<Setting, String> badValue) {
        Values values = setting -> {
            try {
                return value(setting, stored.get(setting.json()));
            } catch (InvalidSetting e) {
                badValue.accept(setting, stored.get(setting.json()));
                return value(setting, setting.defaultValue());
            }
        };
        return values.config();
    }

    /** Reads settings as an admin submits them; {@link InvalidSetting} says which one is wrong, and why. */
    public static AnonymousUsersConfig parse(Map<String, String> submitted) {
        Values values = setting -> value(setting, submitted.get(setting.json()));
        return values.config();
    }

    /** One setting's value, typed; the one place that lists the record's components in order. */
    @FunctionalInterface
    private interface Values {
        Object get(Setting setting);

        @SuppressWarnings("unchecked")
        default AnonymousUsersConfig config() {
            return new AnonymousUsersConfig((Boolean) get(Setting.ENABLED), (List<String>) get(Setting.GUEST_CLIENTS),
                    (List<String>) get(Setting.DEVICE_KEY_CLIENTS), (Integer) get(Setting.GUESTS_PER_ADDRESS_PER_HOUR),
                    (Integer) get(Setting.MAX_GUESTS), (Integer) get(Setting.CHALLENGE_LIFETIME_SECONDS),
                    (List<String>) get(Setting.GUEST_GROUPS), (Integer) get(Setting.REMOVE_INACTIVE_GUESTS_AFTER_DAYS));
        }
    }

    /** A stored string as its setting's type; a missing or blank one is the default. */
    private static Object value(Setting setting, String text) {
        String stored = text == null || text.isBlank() ? setting.defaultValue() : text.trim();
        return switch (setting.kind()) {
            case FLAG -> flag(setting, stored);
            case LIMIT, NUMBER -> number(setting, stored);
            case CLIENT_IDS, GROUP_PATHS -> list(stored);
        };
    }

    private static boolean flag(Setting setting, String text) {
        if (!text.equals("true") && !text.equals("false")) {
            throw new InvalidSetting(setting, setting.typeRefusal());
        }
        return Boolean.parseBoolean(text);
    }

    private static int number(Setting setting, String text) {
        if (!text.matches("-?[0-9]{1,18}")) {
            throw new InvalidSetting(setting, setting.typeRefusal());
        }
        long number = Long.parseLong(text);
        if (number < setting.min() || number > setting.max()) {
            throw new InvalidSetting(setting, setting.rangeRefusal(number));
        }
        return (int) number;
    }

    /** A list setting (client ids, group paths) as stored, joined with {@value Setting#LIST_SEPARATOR}; blanks dropped. */
    static List<String> list(String joined) {
        if (joined == null) {
            return List.of();
        }
        return Arrays.stream(joined.split(Setting.LIST_SEPARATOR, -1))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .toList();
    }
}
