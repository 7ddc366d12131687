package dev.anonymoususers.admin;

import java.util.List;
import java.util.Map;

import dev.anonymoususers.RealmSetup;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

/**
 * The <em>Authentication → Anonymous users</em> tab of the admin console. Keycloak renders the form from
 * {@link AnonymousUsersConfig#PROPERTIES} and stores it as a component of the realm.
 */
public class AnonymousUsersTab implements UiTabProvider, UiTabProviderFactory<ComponentModel> {

    /** The tab's id; its title comes from the message of the same name in theme-resources. */
    public static final String ID = "anonymous-users";

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
        return AnonymousUsersConfig.PROPERTIES;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        try {
            AnonymousUsersConfig.parse(model.getConfig());
        } catch (IllegalArgumentException e) {
            throw new ComponentValidationException(e.getMessage());
        }
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        RealmSetup.onSettingsSaved(realm, AnonymousUsersConfig.of(model));
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        RealmSetup.onSettingsSaved(realm, AnonymousUsersConfig.of(newModel));
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
