package dev.anonymoususers.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.Setting;
import dev.anonymoususers.cleanup.GuestCleanupProvider;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ErrorRepresentation;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code POST /admin/realms/{realm}/anonymous-users/clean-up}: the clean-up of inactive guests, now, on request of an
 * admin. It runs in the background on an executor of Keycloak's, so a long one outlives the request that started it.
 */
public class CleanUpNow {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    CleanUpNow(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    /** How long {@code POST …/clean-up} waits for the clean-up by default before it answers 202 and lets it go on. */
    static final int CLEAN_UP_WAIT_SECONDS = 30;
    static final int CLEAN_UP_MAX_WAIT_SECONDS = 60;
    /** Keycloak's executor the manual clean-up runs on, so it outlives the request that started it. */
    private static final String CLEAN_UP_EXECUTOR = "anonymous-users-clean-up";
    private static final Logger LOG = Logger.getLogger(CleanUpNow.class);

    /**
     * Removes the realm's inactive guests now, as the scheduled clean-up does; it deletes users, so it needs
     * {@code manage-users}. The clean-up runs in the background, outside this request's transaction (which a long
     * clean-up would outlast); the request waits for it up to {@code waitSeconds} (0–60, default 30) and answers
     * 200 with what it did, or 202 with what it has done so far while it goes on. 400 when the clean-up is off or
     * {@code waitSeconds} is bad, 409 while a clean-up of the realm runs already.
     */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response cleanUp() {
        auth.users().requireManage();
        List<String> waits = session.getContext().getUri().getQueryParameters().getOrDefault("waitSeconds", List.of());
        Integer waitSeconds = waits.isEmpty() ? Integer.valueOf(CLEAN_UP_WAIT_SECONDS) : waits.size() == 1 ? seconds(waits.get(0)) : null;
        if (waitSeconds == null) {
            return SettingsEndpoint.refused("waitSeconds", "waitSeconds must be one whole number of seconds from 0 to " + CLEAN_UP_MAX_WAIT_SECONDS);
        }
        if (AnonymousUsersConfig.of(realm).removeInactiveGuestsAfterDays() == 0) {
            return SettingsEndpoint.refused(Setting.REMOVE_INACTIVE_GUESTS_AFTER_DAYS.json(),
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
}
