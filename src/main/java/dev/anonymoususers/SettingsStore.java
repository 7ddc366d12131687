package dev.anonymoususers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.anonymoususers.util.RequiredActions;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * Where a realm's settings are stored: the configuration of the required action {@value AnonymousUsers#PROMOTE_ACTION},
 * which the admin console shows under <em>Authentication → Required actions → ⚙</em> on every Keycloak 26, with no
 * feature flag. It is stored with the realm, so it is cached like the rest of the realm, seen by every node of a
 * cluster, and carried by realm export and import ({@code requiredActions[].config}).
 *
 * <p>It is the only copy. The settings API writes it through Keycloak's own {@code updateRequiredActionConfig}, so
 * the console's dialog and the API pass the same check ({@code validateConfig} of the action's factory); the
 * console's <em>Clear</em> removes it without a check, and then every setting has its default.
 */
public final class SettingsStore {

    private static final Logger LOG = Logger.getLogger(SettingsStore.class);

    /** The required action whose configuration holds the settings; its switch turns promotion on and off. */
    public static final String ACTION = AnonymousUsers.PROMOTE_ACTION;

    /** How the action is listed: its switch is guests' sign-up, its ⚙ holds every setting. */
    public static final String ACTION_NAME = "Anonymous users: guest sign-up (all settings under ⚙)";

    /** The name an earlier version registered the action with, renamed where an admin left it so. */
    private static final String EARLIER_ACTION_NAME = "Anonymous users: promote a guest to a regular user";

    /** Earlier versions stored the settings in a realm component of the admin console's experimental tab. */
    private static final String EARLIER_COMPONENT_TYPE = "org.keycloak.services.ui.extend.UiTabProvider";
    public static final String EARLIER_COMPONENT_ID = "anonymous-users";
    private static final Map<String, Setting> EARLIER_KEYS = Map.of("challengeLifetime", Setting.CHALLENGE_LIFETIME_SECONDS);

    /** Bad stored values already written to the log by this node: a warning each, not one per sign-in. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static final int MAX_WARNED = 10_000;

    private SettingsStore() {
    }

    /**
     * Registers the action, enabled and not a default action, where the realm lacks it (Keycloak runs it after every
     * other pending action); where it is there, leaves it as the admin set it, but gives it today's name if it still
     * has the name of an earlier version.
     */
    public static void install(RealmModel realm) {
        RequiredActions.registerIfMissing(realm, ACTION, ACTION_NAME, Integer.MAX_VALUE - 1, EARLIER_ACTION_NAME);
    }

    /** The stored settings as strings, by setting name; empty where none is stored. */
    public static Map<String, String> stored(RealmModel realm) {
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(ACTION);
        return action == null || action.getConfig() == null ? Map.of() : action.getConfig();
    }

    /**
     * Saves {@code settings} (every setting; a missing one is stored as absent, so it has its default) through
     * Keycloak's required-action config, which runs the action's {@code validateConfig} first: an invalid value is
     * refused there and nothing is saved.
     */
    public static void save(RealmModel realm, Map<String, String> settings) {
        install(realm);
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(ACTION);
        config.setConfig(new HashMap<>(settings));
        realm.updateRequiredActionConfig(config);
    }

    /**
     * Moves the settings an earlier version stored in its realm component into the action's config, and removes the
     * component, so that one copy remains. Where the action already holds settings (an admin saved them since),
     * those win. An export of an earlier version imports this way too.
     */
    public static void adoptEarlierComponent(RealmModel realm) {
        ComponentModel component = realm.getComponentsStream(realm.getId(), EARLIER_COMPONENT_TYPE)
                .filter(candidate -> EARLIER_COMPONENT_ID.equals(candidate.getProviderId()))
                .findFirst().orElse(null);
        if (component == null) {
            return;
        }
        install(realm);
        Map<String, String> config = new HashMap<>(stored(realm));
        boolean holdsSettings = config.keySet().stream().anyMatch(key -> Setting.byJsonName(key).isPresent());
        if (!holdsSettings) {
            component.getConfig().forEach((key, values) -> {
                Setting setting = Setting.byJsonName(key).orElse(EARLIER_KEYS.get(key));
                List<String> present = values == null ? List.of() : values.stream().filter(value -> value != null).toList();
                if (setting != null && !present.isEmpty()) {
                    config.put(setting.json(), String.join(Setting.LIST_SEPARATOR, present));
                }
            });
            RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(ACTION);
            action.setConfig(config);
            realm.updateRequiredActionProvider(action);
        }
        realm.removeComponent(component);
        LOG.infof("Anonymous users in realm '%s': %s; the component of the earlier version is removed", realm.getName(),
                holdsSettings ? "the settings under Authentication > Required actions were kept"
                        : "the settings moved to Authentication > Required actions > " + ACTION_NAME);
    }

    /** Says once per node, in the server log, that a stored value is not valid and its default applies. */
    static void warnOfStoredValue(RealmModel realm, Setting setting, String value) {
        if (WARNED.size() < MAX_WARNED && WARNED.add(realm.getId() + "\n" + setting.json() + "\n" + value)) {
            LOG.warnf("Anonymous users in realm '%s': the stored %s is not valid (\"%s\"), so its default %s applies; "
                    + "save the settings again to fix it", realm.getName(), setting.json(), value,
                    setting.defaultValue().isEmpty() ? "(empty)" : setting.defaultValue());
        }
    }
}
