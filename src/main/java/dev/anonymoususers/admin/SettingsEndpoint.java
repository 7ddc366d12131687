package dev.anonymoususers.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.AnonymousUsersConfig.InvalidSetting;
import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.Setting;
import dev.anonymoususers.SettingsStore;
import dev.anonymoususers.SettingsValidation;
import dev.anonymoususers.wiring.RealmSetup;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ErrorRepresentation;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.util.JsonSerialization;

/**
 * The realm's anonymous-user settings over Keycloak's admin REST API, with no feature flag:
 * {@code GET /admin/realms/{realm}/anonymous-users} ({@code view-realm}) and {@code PUT} on the same path
 * ({@code manage-realm}), which changes the keys it carries and leaves the others as they are, or answers 400 with
 * the field and a message and saves nothing. Part of the public contract.
 *
 * <p>It reads and writes the one copy of the settings ({@link SettingsStore}), which the admin console's dialog shows,
 * through the same check and the same realm setup.
 */
public class SettingsEndpoint {

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
        Map<String, String> settings = new HashMap<>(SettingsStore.stored(realm));
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) changes::fields) {
            Setting setting = Setting.byJsonName(field.getKey()).orElse(null);
            if (setting == null) {
                return refused(field.getKey(), "Unknown setting " + field.getKey() + "; the settings are " + Setting.names());
            }
            String stored = stored(setting, field.getValue());
            if (stored == null) {
                return refused(setting.json(), setting.typeRefusal());
            }
            settings.put(setting.json(), stored);
        }
        AnonymousUsersConfig saved;
        try {
            saved = SettingsValidation.check(session, realm, settings);
            SettingsStore.save(realm, settings);
        } catch (InvalidSetting e) {
            return refused(e.setting().json(), e.getMessage());
        }
        Map<String, Object> json = json(saved);
        adminEvent.operation(OperationType.UPDATE).resourcePath(session.getContext().getUri()).representation(json).success();
        return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The realm's guests at a glance; the figures are live. */
    @GET
    @Path("stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> stats() {
        auth.realm().requireViewRealm();
        return GuestStatistics.of(session, realm).json();
    }

    /**
     * Takes the extension out of the realm before its JAR leaves the server ({@code manage-realm}): the guest step
     * from every flow, its required actions and settings, the {@code anonymous} client scope and the guest mark in
     * the user profile; guests stay as users. Answers 200 with what it removed. Saving the settings again puts it
     * back. docs/upgrading.md says in which order to remove the extension.
     */
    @POST
    @Path("remove")
    @Produces(MediaType.APPLICATION_JSON)
    public Response remove() {
        auth.realm().requireManageRealm();
        Map<String, Object> removed = RealmSetup.remove(session, realm);
        adminEvent.operation(OperationType.DELETE).resourcePath(session.getContext().getUri()).representation(removed).success();
        return Response.ok(removed, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Removes the realm's inactive guests now: {@code POST …/clean-up} ({@link CleanUpNow}). */
    @Path("clean-up")
    public CleanUpNow cleanUp() {
        return new CleanUpNow(session, realm, auth, adminEvent);
    }

    /** A JSON value as the settings are stored (lists joined), or null where it has the wrong JSON type. */
    private static String stored(Setting setting, JsonNode value) {
        return switch (setting.kind()) {
            case FLAG -> value.isBoolean() ? Boolean.toString(value.booleanValue()) : null;
            case LIMIT, NUMBER -> value.isIntegralNumber() ? value.asText() : null;
            case CLIENT_IDS, GROUP_PATHS -> textList(value);
        };
    }

    /** A JSON list of non-blank strings without the list separator, joined as stored; null otherwise. */
    private static String textList(JsonNode value) {
        if (!value.isArray()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode text : value) {
            if (!text.isTextual() || text.asText().isBlank() || text.asText().contains(Setting.LIST_SEPARATOR)) {
                return null;
            }
            texts.add(text.asText().trim());
        }
        return String.join(Setting.LIST_SEPARATOR, texts);
    }

    static Map<String, Object> json(AnonymousUsersConfig settings) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            json.put(setting.json(), settings.get(setting));
        }
        return json;
    }

    /** 400 in Keycloak's own admin error shape: the field and a message. Nothing was saved. */
    static Response refused(String field, String message) {
        ErrorRepresentation error = new ErrorRepresentation();
        error.setField(field);
        error.setErrorMessage(message);
        return Response.status(Response.Status.BAD_REQUEST).entity(error).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
