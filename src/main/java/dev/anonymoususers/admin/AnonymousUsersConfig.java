package dev.anonymoususers.admin;

import java.util.List;
import java.util.Map;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiTabProvider;

/**
 * A realm's anonymous-user settings, read once from the component the admin console saves under
 * <em>Authentication → Anonymous users</em>.
 *
 * <p>The component is stored with the realm, so it is cached like the rest of the realm, seen by every node of a
 * cluster, and carried by realm export and import.
 *
 * @param enabled          whether apps of the realm may sign visitors in as guests
 * @param guestClients     client ids that may create guests; empty means every client of the realm
 * @param deviceKeyClients client ids that may use device keys; empty means every client of the realm
 * @param challengeLifetimeSeconds how long a device-key challenge waits for its assertion
 * @param guestGroups      paths of the groups a guest joins when it is created and leaves when it is promoted
 */
public record AnonymousUsersConfig(boolean enabled, List<String> guestClients, List<String> deviceKeyClients,
        int challengeLifetimeSeconds, List<String> guestGroups) {

    static final String ENABLED = "enabled";
    static final String GUEST_CLIENTS = "guestClients";
    static final String DEVICE_KEY_CLIENTS = "deviceKeyClients";
    static final String CHALLENGE_LIFETIME = "challengeLifetime";
    static final String GUEST_GROUPS = "guestGroups";

    static final int DEFAULT_CHALLENGE_LIFETIME = 120;
    /** The longest a challenge may live, whatever a realm sets. */
    static final int MAX_CHALLENGE_LIFETIME_SECONDS = 3600;

    /** What a realm has before an admin saves the tab: anonymous users off. */
    public static final AnonymousUsersConfig DEFAULTS = new AnonymousUsersConfig(false, List.of(), List.of(), DEFAULT_CHALLENGE_LIFETIME, List.of());

    public AnonymousUsersConfig {
        guestClients = List.copyOf(guestClients);
        deviceKeyClients = List.copyOf(deviceKeyClients);
        guestGroups = List.copyOf(guestGroups);
    }

    /** Whether the app {@code clientId} may create guests (in the browser or with a device key seen first). */
    public boolean allowsGuests(String clientId) {
        return guestClients.isEmpty() || guestClients.contains(clientId);
    }

    /** What an app that may not create guests is told, on every path. */
    public static String guestsNotAllowed(String clientId) {
        return "The client " + clientId + " may not create guests; an admin allows it in the anonymous-users settings (guestClients)";
    }

    /** Whether the app {@code clientId} may sign guests in with device keys. */
    public boolean allowsDeviceKeys(String clientId) {
        return deviceKeyClients.isEmpty() || deviceKeyClients.contains(clientId);
    }

    static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property()
            .name(ENABLED)
            .label("Enable anonymous users")
            .helpText("Let the apps of this realm sign visitors in as guests: an authorization request with "
                    + "login_hint=anonymous creates a real account at once, and the login page offers 'Continue as guest'. "
                    + "When off, such requests are refused and no account is created.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(Boolean.toString(DEFAULTS.enabled()))
            .add()
            .property()
            .name(GUEST_CLIENTS)
            .label("Clients that may create guests")
            .helpText("Client IDs of the apps that may create guests. Leave empty to let every client of the realm "
                    + "create them. Other apps are refused; guests that exist keep signing in.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .property()
            .name(DEVICE_KEY_CLIENTS)
            .label("Clients that may use device keys")
            .helpText("Client IDs of the apps that may sign guests in with a device key (native apps, and web apps "
                    + "that remember the device). Leave empty to let every client of the realm use them.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .property()
            .name(CHALLENGE_LIFETIME)
            .label("Device challenge lifetime (seconds)")
            .helpText("How long a challenge from the challenge endpoint may wait for the device's signed assertion. "
                    + "Each challenge serves one attempt. From 1 to " + MAX_CHALLENGE_LIFETIME_SECONDS + ".")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Integer.toString(DEFAULT_CHALLENGE_LIFETIME))
            .add()
            .property()
            .name(GUEST_GROUPS)
            .label("Groups guests join")
            .helpText("Paths of groups (such as /guests) that every new guest joins and leaves when it becomes a regular "
                    + "user, so apps can give guests fewer rights through ordinary roles.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .build();

    /** The settings of {@code realm}; the defaults where no admin has saved them yet. */
    public static AnonymousUsersConfig of(RealmModel realm) {
        return component(realm).map(AnonymousUsersConfig::of).orElse(DEFAULTS);
    }

    /** The realm component that holds the settings, written by the tab and the settings API alike. */
    static java.util.Optional<ComponentModel> component(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .filter(component -> AnonymousUsersTab.ID.equals(component.getProviderId()))
                .findFirst();
    }

    static AnonymousUsersConfig of(ComponentModel component) {
        return fromMap(component.getConfig() == null ? Map.of() : component.getConfig());
    }

    /** Reads saved settings; a value an admin could not have saved counts as its default. */
    static AnonymousUsersConfig fromMap(Map<String, List<String>> config) {
        int lifetime;
        try {
            lifetime = challengeLifetime(config.get(CHALLENGE_LIFETIME));
        } catch (IllegalArgumentException e) {
            lifetime = DEFAULT_CHALLENGE_LIFETIME;
        }
        return new AnonymousUsersConfig(enabled(config), clients(config, GUEST_CLIENTS), clients(config, DEVICE_KEY_CLIENTS), lifetime,
                clients(config, GUEST_GROUPS));
    }

    /** Reads settings as an admin submits them, saying what is wrong with them. */
    static AnonymousUsersConfig parse(Map<String, List<String>> config) {
        return new AnonymousUsersConfig(enabled(config), clients(config, GUEST_CLIENTS), clients(config, DEVICE_KEY_CLIENTS),
                challengeLifetime(config.get(CHALLENGE_LIFETIME)), clients(config, GUEST_GROUPS));
    }

    private static boolean enabled(Map<String, List<String>> config) {
        List<String> enabled = config.get(ENABLED);
        return enabled != null && !enabled.isEmpty() && Boolean.parseBoolean(enabled.get(0));
    }

    /** A list setting (client ids, group paths), blanks dropped. */
    private static List<String> clients(Map<String, List<String>> config, String key) {
        return config.getOrDefault(key, List.of()).stream()
                .filter(clientId -> clientId != null && !clientId.isBlank())
                .map(String::trim)
                .toList();
    }

    private static int challengeLifetime(List<String> values) {
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            return DEFAULT_CHALLENGE_LIFETIME;
        }
        int seconds;
        try {
            seconds = Integer.parseInt(values.get(0).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Device challenge lifetime must be a whole number of seconds");
        }
        if (seconds < 1 || seconds > MAX_CHALLENGE_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("Device challenge lifetime must be from 1 to " + MAX_CHALLENGE_LIFETIME_SECONDS + " seconds");
        }
        return seconds;
    }
}
