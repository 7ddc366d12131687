package dev.anonymoususers.promotion;

import java.util.List;
import java.util.Map;

import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.AnonymousUsersConfig.InvalidSetting;
import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.Setting;
import dev.anonymoususers.SettingsStore;
import dev.anonymoususers.SettingsValidation;
import dev.anonymoususers.wiring.KeycloakEvents;
import dev.anonymoususers.wiring.RealmSetup;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

/**
 * Describes and creates the application-initiated action {@value AnonymousUsers#PROMOTE_ACTION}; its configuration
 * holds the realm's settings ({@link SettingsStore}), which the admin console shows in the action's ⚙ dialog.
 */
public class PromoteAnonymousUserActionFactory implements RequiredActionFactory {

    private static final PromoteAnonymousUserAction INSTANCE = new PromoteAnonymousUserAction();

    @Override
    public String getId() {
        return AnonymousUsers.PROMOTE_ACTION;
    }

    @Override
    public String getDisplayText() {
        return SettingsStore.ACTION_NAME;
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return INSTANCE;
    }

    /** Every setting of the realm, as {@link Setting} defines it (the page itself follows the user profile). */
    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return Setting.consoleFields();
    }

    /**
     * Keycloak calls this before it saves the dialog (and the settings API saves through it): a bad value is refused
     * with a message that names the setting, and nothing is saved. Valid settings that switch anonymous users on set
     * the realm up in the same transaction.
     */
    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        AnonymousUsersConfig settings;
        try {
            settings = SettingsValidation.check(session, realm, model.getConfig() == null ? Map.of() : model.getConfig());
        } catch (InvalidSetting e) {
            throw new ValidationException(new ValidationError(getId(), e.setting().json(), e.getMessage()));
        }
        RealmSetup.onSettingsSaved(session, realm, settings);
    }

    @Override
    public void init(Config.Scope config) {
    }

    /**
     * Hosts the extension's one listener of Keycloak's events ({@link KeycloakEvents}): Keycloak calls postInit of
     * every factory once per start, and required actions are loaded on every server, with or without features.
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        KeycloakEvents.listen(factory);
    }

    @Override
    public void close() {
    }
}
