package dev.anonymoususers.admin;

import java.util.List;
import java.util.Map;

import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.AnonymousUsersConfig.Setting;
import dev.anonymoususers.OncePerCluster;
import dev.anonymoususers.RealmSetup;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

/**
 * The <em>Authentication → Anonymous users</em> tab of the admin console, where {@code declarative-ui} is on.
 * Keycloak renders the form from {@link #PROPERTIES} and stores it as the realm component that holds
 * {@link AnonymousUsersConfig}; the settings API writes the same component.
 */
public class AnonymousUsersTab implements UiTabProvider, UiTabProviderFactory<ComponentModel> {

    /** The tab's id; its title comes from the message of the same name in theme-resources. */
    public static final String ID = AnonymousUsersConfig.COMPONENT_ID;

    private static final Logger LOG = Logger.getLogger(AnonymousUsersTab.class);

    private static final AnonymousUsersConfig DEFAULTS = AnonymousUsersConfig.DEFAULTS;

    /** Component key of the read-only statistics line the tab shows; not a setting. */
    static final String STATISTICS = "statistics";
    static final int STATISTICS_INTERVAL_MINUTES = 15;
    /** Session attribute: this component update only refreshes the statistics, the settings are unchanged. */
    private static final String REFRESHING = "anonymousUsers.refreshingStatistics";

    static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property()
            .name(Setting.ENABLED.key())
            .label("Enable anonymous users")
            .helpText("Let the apps of this realm sign visitors in as guests: an authorization request with "
                    + "login_hint=anonymous creates a real account at once, and the login page offers 'Continue as guest'. "
                    + "When off, such requests are refused and no account is created. Promotion (a guest signing up) is "
                    + "a sign-up path of its own: it is switched by the required action 'Anonymous users: promote a guest "
                    + "to a regular user', not by Realm settings > User registration, and the registration flow's form "
                    + "actions (reCAPTCHA) do not run on it.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(Boolean.toString(DEFAULTS.enabled()))
            .add()
            .property()
            .name(STATISTICS)
            .label("At a glance")
            .helpText("Guests now, created in the last 24 hours, promoted, and removed by clean-up; updated when the "
                    + "settings are saved and every " + STATISTICS_INTERVAL_MINUTES + " minutes. Live figures: "
                    + "GET /admin/realms/{realm}/anonymous-users/stats.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .add()
            .property()
            .name(Setting.GUEST_CLIENTS.key())
            .label("Clients that may create guests")
            .helpText("Client IDs of the apps that may create guests. Leave empty to let every OpenID Connect client "
                    + "the realm's admins created make them; Keycloak's own clients (account console, admin console, "
                    + "admin-cli) never do. Other apps are refused; guests that exist keep signing in.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .property()
            .name(Setting.DEVICE_KEY_CLIENTS.key())
            .label("Clients that may use device keys")
            .helpText("Client IDs of the apps that may sign guests in with a device key (native apps, and web apps "
                    + "that remember the device). Leave empty to let every OpenID Connect client the realm's admins "
                    + "created use them; Keycloak's own clients never do.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .property()
            .name(Setting.GUESTS_PER_ADDRESS_PER_HOUR.key())
            .label("New guests per address per hour")
            .helpText("How many guests one network address may create in an hour, counted across the cluster "
                    + "(IPv6: per /64). Past it, new guests are refused with HTTP 429 or an error redirect; existing "
                    + "guests keep signing in. 0 means no limit.")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Integer.toString(DEFAULTS.guestsPerAddressPerHour()))
            .add()
            .property()
            .name(Setting.MAX_GUESTS.key())
            .label("Maximum guests in the realm")
            .helpText("How many guests the realm may hold at once. Past it, new guests are refused until clean-up or "
                    + "promotions make room. 0 means no limit.")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Integer.toString(DEFAULTS.maxGuests()))
            .add()
            .property()
            .name(Setting.CHALLENGE_LIFETIME_SECONDS.key())
            .label("Device challenge lifetime (seconds)")
            .helpText("How long a challenge from the challenge endpoint may wait for the device's signed assertion. "
                    + "Each challenge serves one attempt. From 1 to " + AnonymousUsersConfig.MAX_CHALLENGE_LIFETIME_SECONDS + ".")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Integer.toString(DEFAULTS.challengeLifetimeSeconds()))
            .add()
            .property()
            .name(Setting.GUEST_GROUPS.key())
            .label("Groups guests join")
            .helpText("Paths of groups (such as /guests) that every new guest joins and leaves when it becomes a regular "
                    + "user, so apps can give guests fewer rights through ordinary roles.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .property()
            .name(Setting.REMOVE_INACTIVE_GUESTS_AFTER_DAYS.key())
            .label("Remove inactive guests after (days)")
            .helpText("A guest with no session and no sign-in for this many days is deleted, and its device keys are "
                    + "revoked for good. Regular users are never touched. 0 means never.")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Integer.toString(DEFAULTS.removeInactiveGuestsAfterDays()))
            .add()
            .build();

    static {
        PROPERTIES.stream().filter(property -> STATISTICS.equals(property.getName())).forEach(property -> property.setReadOnly(true));
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Guests: real accounts created at once, which can later become regular users with the same sub.";
    }

    @Override
    public String getPath() {
        return "/:realm/authentication/:tab?";
    }

    @Override
    public Map<String, String> getParams() {
        return Map.of("tab", ID);
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        try {
            SettingsValidation.check(session, realm, model.getConfig(), isRealmImport(session));
        } catch (IllegalArgumentException e) {
            throw new ComponentValidationException(e.getMessage());
        }
        // Each save stores the figures of the moment with it: the tab can show only what the component holds.
        model.getConfig().putSingle(STATISTICS, GuestStatistics.of(session, realm).summary());
    }

    /**
     * Whether the component arrives with a realm being imported (the realm import request, or an import at server
     * start) rather than from an admin saving it through the components API.
     */
    private static boolean isRealmImport(KeycloakSession session) {
        try {
            return !session.getContext().getUri().getPath().contains("/components");
        } catch (RuntimeException noRequest) {
            return true;
        }
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        RealmSetup.onSettingsSaved(session, realm, AnonymousUsersConfig.of(model));
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        if (session.getAttribute(REFRESHING) == null) {
            RealmSetup.onSettingsSaved(session, realm, AnonymousUsersConfig.of(newModel));
        }
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                OncePerCluster.schedule(factory, "anonymous-users-statistics", STATISTICS_INTERVAL_MINUTES * 60L,
                        () -> KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream()
                                .forEach(realm -> refreshStatistics(session, realm))));
            }
        });
    }

    /** Saves the realm's figures of the moment into the component the tab shows, where they changed. */
    static void refreshStatistics(KeycloakSession session, RealmModel realm) {
        ComponentModel component = AnonymousUsersConfig.component(realm).orElse(null);
        if (component == null || !AnonymousUsersConfig.of(component).enabled()) {
            return;
        }
        String now = GuestStatistics.of(session, realm).summary();
        if (now.equals(component.get(STATISTICS))) {
            return; // unchanged: no write, so the realm stays cached
        }
        session.setAttribute(REFRESHING, Boolean.TRUE);
        try {
            realm.updateComponent(component);
        } catch (RuntimeException e) {
            LOG.debugf(e, "The statistics of realm %s were not refreshed", realm.getName());
        } finally {
            session.removeAttribute(REFRESHING);
        }
    }

    @Override
    public void close() {
    }
}
