package dev.anonymoususers.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.AnonymousUsersConfig.InvalidSetting;
import dev.anonymoususers.AnonymousUsersConfig.Setting;
import dev.anonymoususers.lifecycle.GuestCleanupProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.events.admin.OperationType;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
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
        Map<String, List<String>> config = new HashMap<>(AnonymousUsersConfig.component(realm).map(ComponentModel::getConfig)
                .map(HashMap::new).orElseGet(HashMap::new));
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) changes::fields) {
            Setting setting = Setting.byJsonName(field.getKey()).orElse(null);
            if (setting == null) {
                return refused(field.getKey(), "Unknown setting " + field.getKey() + "; the settings are "
                        + String.join(", ", Arrays.stream(Setting.values()).map(Setting::json).toList()));
            }
            List<String> value = componentValue(setting, field.getValue());
            if (value == null) {
                return refused(setting.json(), expectedType(setting));
            }
            config.put(setting.key(), value);
        }
        AnonymousUsersConfig settings;
        try {
            settings = SettingsValidation.check(session, realm, config);
            save(config);
        } catch (InvalidSetting e) {
            return refused(e.setting().json(), e.getMessage());
        } catch (ComponentValidationException e) {
            return refused(null, e.getMessage());
        }
        Map<String, Object> saved = json(settings);
        adminEvent.operation(OperationType.UPDATE).resourcePath(session.getContext().getUri()).representation(saved).success();
        return Response.ok(saved, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The realm's guests at a glance; the figures are live. */
    @GET
    @Path("stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> stats() {
        auth.realm().requireViewRealm();
        return GuestStatistics.of(session, realm).json();
    }

    /** How long {@code POST …/clean-up} waits for the clean-up by default before it answers 202 and lets it go on. */
    static final int CLEAN_UP_WAIT_SECONDS = 30;
    static final int CLEAN_UP_MAX_WAIT_SECONDS = 60;
    /** Keycloak's executor the manual clean-up runs on, so it outlives the request that started it. */
    private static final String CLEAN_UP_EXECUTOR = "anonymous-users-clean-up";
    private static final Logger LOG = Logger.getLogger(SettingsEndpoint.class);

    /**
     * Removes the realm's inactive guests now, as the scheduled clean-up does; it deletes users, so it needs
     * {@code manage-users}. The clean-up runs in the background, outside this request's transaction (which a long
     * clean-up would outlast); the request waits for it up to {@code waitSeconds} (0–60, default 30) and answers
     * 200 with what it did, or 202 with what it has done so far while it goes on. 400 when the clean-up is off or
     * {@code waitSeconds} is bad, 409 while a clean-up of the realm runs already.
     */
    @POST
    @Path("clean-up")
    @Produces(MediaType.APPLICATION_JSON)
    public Response cleanUp() {
        auth.users().requireManage();
        List<String> waits = session.getContext().getUri().getQueryParameters().getOrDefault("waitSeconds", List.of());
        Integer waitSeconds = waits.isEmpty() ? Integer.valueOf(CLEAN_UP_WAIT_SECONDS) : waits.size() == 1 ? seconds(waits.get(0)) : null;
        if (waitSeconds == null) {
            return refused("waitSeconds", "waitSeconds must be one whole number of seconds from 0 to " + CLEAN_UP_MAX_WAIT_SECONDS);
        }
        if (AnonymousUsersConfig.of(realm).removeInactiveGuestsAfterDays() == 0) {
            return refused(Setting.REMOVE_INACTIVE_GUESTS_AFTER_DAYS.json(),
                    "The clean-up is off for this realm: removeInactiveGuestsAfterDays is 0");
        }
        GuestCleanupProvider cleanup = session.getProvider(GuestCleanupProvider.class);
        AtomicReference<GuestCleanupProvider.Result> soFar = new AtomicReference<>(GuestCleanupProvider.Result.STARTED);
        CompletableFuture<Void> started = new CompletableFuture<>();
        String realmId = realm.getId();
        CompletableFuture<GuestCleanupProvider.Result> run = CompletableFuture.supplyAsync(
                () -> cleanup.removeInactiveGuests(realmId, progress -> {
                    soFar.set(progress);
                    started.complete(null);
                }),
                session.getProvider(ExecutorsProvider.class).getExecutor(CLEAN_UP_EXECUTOR));
        String realmName = realm.getName();
        run.whenComplete((ended, failure) -> {
            if (failure != null) { // after a 202 nobody waits for it: the log is where it is seen
                LOG.errorf(failure, "The clean-up of realm %s failed", realmName);
            }
        });
        GuestCleanupProvider.Result result;
        try {
            // First until it has started or found another run (a moment), so a 202 always means it runs.
            CompletableFuture.anyOf(started, run).get(CLEAN_UP_MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            result = run.get(waitSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException goesOn) {
            Map<String, Object> running = counts(soFar.get());
            running.put("running", true);
            adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(running).success();
            return Response.accepted(running).type(MediaType.APPLICATION_JSON_TYPE).build();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the clean-up", interrupted);
        } catch (ExecutionException failed) {
            throw new IllegalStateException("The clean-up of realm " + realmName + " failed", failed.getCause());
        }
        if (!result.ran()) {
            ErrorRepresentation busy = new ErrorRepresentation();
            busy.setErrorMessage("A clean-up of this realm is running already; try again when it has ended");
            return Response.status(Response.Status.CONFLICT).entity(busy).type(MediaType.APPLICATION_JSON_TYPE).build();
        }
        Map<String, Object> done = counts(result);
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(done).success();
        return Response.ok(done, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Map<String, Object> counts(GuestCleanupProvider.Result result) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("checked", result.checked());
        counts.put("removed", result.removed());
        counts.put("batches", result.batches());
        return counts;
    }

    /** Whole seconds from 0 to the maximum, written as digits only; null otherwise. */
    private static Integer seconds(String text) {
        if (!text.matches("[0-9]{1,2}")) {
            return null;
        }
        int seconds = Integer.parseInt(text);
        return seconds <= CLEAN_UP_MAX_WAIT_SECONDS ? seconds : null;
    }

    /** A JSON value as the component stores it, or null where it has the wrong JSON type. */
    private static List<String> componentValue(Setting setting, JsonNode value) {
        return switch (setting) {
            case ENABLED -> value.isBoolean() ? List.of(Boolean.toString(value.booleanValue())) : null;
            case GUEST_CLIENTS, DEVICE_KEY_CLIENTS, GUEST_GROUPS -> textList(value);
            case GUESTS_PER_ADDRESS_PER_HOUR, MAX_GUESTS, CHALLENGE_LIFETIME_SECONDS, REMOVE_INACTIVE_GUESTS_AFTER_DAYS ->
                    value.isIntegralNumber() ? List.of(value.asText()) : null;
        };
    }

    private static String expectedType(Setting setting) {
        return switch (setting) {
            case ENABLED -> "enabled must be true or false";
            case GUEST_CLIENTS, DEVICE_KEY_CLIENTS -> setting.json() + " must be a list of client ids";
            case GUEST_GROUPS -> "guestGroups must be a list of group paths, such as [\"/guests\"]";
            case GUESTS_PER_ADDRESS_PER_HOUR, MAX_GUESTS -> setting.json() + " must be a whole number, 0 for no limit";
            case CHALLENGE_LIFETIME_SECONDS -> "challengeLifetimeSeconds must be a whole number of seconds";
            case REMOVE_INACTIVE_GUESTS_AFTER_DAYS -> "removeInactiveGuestsAfterDays must be a whole number of days, 0 for never";
        };
    }

    /** The strings of a JSON list (client ids, group paths), or null where it is not a list of non-blank strings. */
    private static List<String> textList(JsonNode value) {
        if (!value.isArray()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode text : value) {
            if (!text.isTextual() || text.asText().isBlank()) {
                return null;
            }
            texts.add(text.asText());
        }
        return texts;
    }

    /** Creates or updates the realm's settings component; Keycloak then runs the tab's onCreate or onUpdate. */
    private void save(Map<String, List<String>> config) {
        ComponentModel component = AnonymousUsersConfig.component(realm).orElse(null);
        if (component == null) {
            component = new ComponentModel();
            component.setName(AnonymousUsersConfig.COMPONENT_ID);
            component.setProviderId(AnonymousUsersConfig.COMPONENT_ID);
            component.setProviderType(UiTabProvider.class.getName());
            component.setParentId(realm.getId());
            component.setConfig(new MultivaluedHashMap<>(config));
            realm.addComponentModel(component);
        } else {
            component.setConfig(new MultivaluedHashMap<>(config));
            realm.updateComponent(component);
        }
    }

    static Map<String, Object> json(AnonymousUsersConfig settings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(Setting.ENABLED.json(), settings.enabled());
        json.put(Setting.GUEST_CLIENTS.json(), settings.guestClients());
        json.put(Setting.DEVICE_KEY_CLIENTS.json(), settings.deviceKeyClients());
        json.put(Setting.GUESTS_PER_ADDRESS_PER_HOUR.json(), settings.guestsPerAddressPerHour());
        json.put(Setting.MAX_GUESTS.json(), settings.maxGuests());
        json.put(Setting.CHALLENGE_LIFETIME_SECONDS.json(), settings.challengeLifetimeSeconds());
        json.put(Setting.GUEST_GROUPS.json(), settings.guestGroups());
        json.put(Setting.REMOVE_INACTIVE_GUESTS_AFTER_DAYS.json(), settings.removeInactiveGuestsAfterDays());
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
