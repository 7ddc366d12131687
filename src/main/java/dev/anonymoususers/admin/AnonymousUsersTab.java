package dev.anonymoususers.admin;

import java.util.List;
import java.util.Map;

import dev.anonymoususers.SettingsStore;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

/**
 * What is left of the <em>Authentication → Anonymous users</em> tab of earlier versions (shown only where the
 * experimental {@code declarative-ui} feature is on): a pointer to where the settings live now, the ⚙ of the required
 * action {@value SettingsStore#ACTION}, which every Keycloak shows. It saves nothing.
 *
 * <p>It stays because an export of an earlier version holds the tab's realm component: Keycloak imports a component
 * only where its provider exists. The realm setup then moves that component's settings into the action and removes
 * it ({@link SettingsStore#adoptEarlierComponent}).
 */
public class AnonymousUsersTab implements UiTabProvider, UiTabProviderFactory<ComponentModel> {

    public static final String ID = SettingsStore.EARLIER_COMPONENT_ID;

    static final String WHERE = "Authentication > Required actions > " + SettingsStore.ACTION_NAME + " > ⚙";

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property()
            .name("settingsMoved")
            .label("The settings moved")
            .helpText("The anonymous-users settings are in the admin console of every Keycloak now, with no feature "
                    + "flag: " + WHERE + ". Figures: GET /admin/realms/{realm}/anonymous-users/stats.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(WHERE)
            .add()
            .build();

    static {
        PROPERTIES.forEach(property -> property.setReadOnly(true));
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "The anonymous-users settings moved to " + WHERE + ".";
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

    /** An import brings an earlier version's settings, which the realm setup moves; an admin's save is refused. */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (!isRealmImport(session)) {
            throw new ComponentValidationException("This tab saves nothing: the anonymous-users settings moved to " + WHERE);
        }
    }

    /** Whether the component arrives with a realm being imported rather than from the components API. */
    private static boolean isRealmImport(KeycloakSession session) {
        try {
            return !session.getContext().getUri().getPath().contains("/components");
        } catch (RuntimeException noRequest) {
            return true;
        }
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
