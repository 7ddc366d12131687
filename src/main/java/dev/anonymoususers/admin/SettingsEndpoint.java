package dev.anonymoususers.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.idm.ErrorRepresentation;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.util.JsonSerialization;

/**
 * The realm's anonymous-user settings over Keycloak's admin REST API, with no feature flag:
 * {@code GET /admin/realms/{realm}/anonymous-users} ({@code view-realm}) and {@code PUT} on the same path
 * ({@code manage-realm}), which changes the keys it carries and leaves the others as they are, or answers 400 with
 * the field and a message and saves nothing. Part of the public contract.
 *
 * <p>It reads and writes the same realm component as the admin console's tab, so both show the same settings,
 * realm export and import carry them, and saving runs the same realm setup.
 */
public class SettingsEndpoint {

    static final String ENABLED = "enabled";
    static final String GUEST_CLIENTS = "guestClients";
    static final String DEVICE_KEY_CLIENTS = "deviceKeyClients";
    static final String CHALLENGE_LIFETIME_SECONDS = "challengeLifetimeSeconds";
    static final String GUEST_GROUPS = "guestGroups";
    static final List<String> KEYS = List.of(ENABLED, GUEST_CLIENTS, DEVICE_KEY_CLIENTS, CHALLENGE_LIFETIME_SECONDS, GUEST_GROUPS);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    SettingsEndpoint(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get() {
        auth.realm().requireViewRealm();
        return json(AnonymousUsersConfig.of(realm));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(String body) {
        auth.realm().requireManageRealm();
        JsonNode changes;
        try {
            changes = JsonSerialization.mapper.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return refused(null, "The body is not JSON: send an object of settings, such as {\"enabled\": true}");
        }
        if (changes == null || !changes.isObject()) {
            return refused(null, "The body must be a JSON object of settings, such as {\"enabled\": true}");
        }
        Map<String, List<String>> config = new HashMap<>(current().map(ComponentModel::getConfig).map(HashMap::new)
                .orElseGet(HashMap::new));
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) changes::fields) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case ENABLED -> {
                    if (!value.isBoolean()) {
                        return refused(name, "enabled must be true or false");
                    }
                    config.put(AnonymousUsersConfig.ENABLED, List.of(Boolean.toString(value.booleanValue())));
                }
                case GUEST_CLIENTS, DEVICE_KEY_CLIENTS -> {
                    List<String> clients = textList(value);
                    if (clients == null) {
                        return refused(name, name + " must be a list of client ids");
                    }
                    for (String client : clients) {
                        if (realm.getClientByClientId(client) == null) {
                            return refused(name, "No client " + client + " in realm " + realm.getName());
                        }
                    }
                    config.put(name.equals(GUEST_CLIENTS) ? AnonymousUsersConfig.GUEST_CLIENTS : AnonymousUsersConfig.DEVICE_KEY_CLIENTS,
                            clients);
                }
                case GUEST_GROUPS -> {
                    List<String> groups = textList(value);
                    if (groups == null) {
                        return refused(name, "guestGroups must be a list of group paths, such as [\"/guests\"]");
                    }
                    for (String group : groups) {
                        if (KeycloakModelUtils.findGroupByPath(session, realm, group) == null) {
                            return refused(name, "No group " + group + " in realm " + realm.getName());
                        }
                    }
                    config.put(AnonymousUsersConfig.GUEST_GROUPS, groups);
                }
                case CHALLENGE_LIFETIME_SECONDS -> {
                    if (!value.isIntegralNumber()) {
                        return refused(name, "challengeLifetimeSeconds must be a whole number of seconds");
                    }
                    config.put(AnonymousUsersConfig.CHALLENGE_LIFETIME, List.of(value.asText()));
                }
                default -> {
                    return refused(name, "Unknown setting " + name + "; the settings are " + String.join(", ", KEYS));
                }
            }
        }
        AnonymousUsersConfig settings;
        try {
            settings = AnonymousUsersConfig.parse(config);
        } catch (IllegalArgumentException e) {
            return refused(CHALLENGE_LIFETIME_SECONDS, e.getMessage());
        }
        try {
            save(config);
        } catch (ComponentValidationException e) {
            return refused(null, e.getMessage());
        }
        Map<String, Object> saved = json(settings);
        adminEvent.operation(OperationType.UPDATE).resourcePath(session.getContext().getUri()).representation(saved).success();
        return Response.ok(saved, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The strings of a JSON list (client ids, group paths), or null where it is not a list of non-blank strings. */
    private static List<String> textList(JsonNode value) {
        if (!value.isArray()) {
            return null;
        }
        List<String> clients = new ArrayList<>();
        for (JsonNode client : value) {
            if (!client.isTextual() || client.asText().isBlank()) {
                return null;
            }
            clients.add(client.asText());
        }
        return clients;
    }

    /** Creates or updates the realm's settings component; Keycloak then runs the tab's onCreate or onUpdate. */
    private void save(Map<String, List<String>> config) {
        ComponentModel component = current().orElse(null);
        if (component == null) {
            component = new ComponentModel();
            component.setName(AnonymousUsersTab.ID);
            component.setProviderId(AnonymousUsersTab.ID);
            component.setProviderType(UiTabProvider.class.getName());
            component.setParentId(realm.getId());
            component.setConfig(new org.keycloak.common.util.MultivaluedHashMap<>(config));
            realm.addComponentModel(component);
        } else {
            component.setConfig(new org.keycloak.common.util.MultivaluedHashMap<>(config));
            realm.updateComponent(component);
        }
    }

    private java.util.Optional<ComponentModel> current() {
        return AnonymousUsersConfig.component(realm);
    }

    static Map<String, Object> json(AnonymousUsersConfig settings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(ENABLED, settings.enabled());
        json.put(GUEST_CLIENTS, settings.guestClients());
        json.put(DEVICE_KEY_CLIENTS, settings.deviceKeyClients());
        json.put(CHALLENGE_LIFETIME_SECONDS, settings.challengeLifetimeSeconds());
        json.put(GUEST_GROUPS, settings.guestGroups());
        return json;
    }

    /** 400 in Keycloak's own admin error shape: the field and a message. Nothing was saved. */
    private static Response refused(String field, String message) {
        ErrorRepresentation error = new ErrorRepresentation();
        error.setField(field);
        error.setErrorMessage(message);
        return Response.status(Response.Status.BAD_REQUEST).entity(error).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
