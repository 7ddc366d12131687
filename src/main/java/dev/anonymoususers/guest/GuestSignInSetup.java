package dev.anonymoususers.guest;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.anonymoususers.util.RequiredActions;
import org.jboss.logging.Logger;
import org.keycloak.authentication.authenticators.browser.CookieAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;

/**
 * Wires guest sign-in into a realm: the {@value AnonymousGuestAuthenticatorFactory#ID} step in the browser flow,
 * right after the cookie step, and the {@value NoFormsForGuests#ID} required action.
 *
 * <p>Like Keycloak's own Organization step, the step lives in the browser flow whether or not the realm has
 * anonymous users enabled, and it does nothing for ordinary sign-ins. That is what lets a realm refuse guest
 * requests clearly while disabled, and lets an admin switch the feature on and off without any flow changing.
 */
public final class GuestSignInSetup {

    private static final Logger LOG = Logger.getLogger(GuestSignInSetup.class);

    private GuestSignInSetup() {
    }

    /** Adds what is missing; changes nothing that is there. */
    public static void install(RealmModel realm) {
        installBrowserStep(realm);
        installNoFormsForGuests(realm);
    }

    static void installBrowserStep(RealmModel realm) {
        AuthenticationFlowModel browserFlow = realm.getBrowserFlow();
        if (browserFlow == null || containsGuestStep(realm, browserFlow.getId())) {
            return;
        }
        List<AuthenticationExecutionModel> executions = realm.getAuthenticationExecutionsStream(browserFlow.getId())
                .sorted(AuthenticationExecutionModel.ExecutionComparator.SINGLETON)
                .toList();

        AuthenticationExecutionModel step = new AuthenticationExecutionModel();
        step.setParentFlow(browserFlow.getId());
        step.setAuthenticator(AnonymousGuestAuthenticatorFactory.ID);
        step.setRequirement(AuthenticationExecutionModel.Requirement.ALTERNATIVE);
        step.setAuthenticatorFlow(false);
        step.setPriority(priorityAfterCookie(executions));
        realm.addAuthenticatorExecution(step);
        LOG.infof("Added the '%s' step to the browser flow '%s' of realm '%s'",
                AnonymousGuestAuthenticatorFactory.ID, browserFlow.getAlias(), realm.getName());
    }

    /**
     * A priority that places the step right after the cookie step without renumbering any other step, so the
     * flow's other executions stay exactly as the admin left them.
     */
    static int priorityAfterCookie(List<AuthenticationExecutionModel> sortedExecutions) {
        if (sortedExecutions.isEmpty()) {
            return 10;
        }
        Optional<AuthenticationExecutionModel> cookie = sortedExecutions.stream()
                .filter(e -> CookieAuthenticatorFactory.PROVIDER_ID.equals(e.getAuthenticator()))
                .findFirst();
        if (cookie.isEmpty()) {
            return sortedExecutions.get(0).getPriority() - 1;
        }
        int after = cookie.get().getPriority();
        Optional<Integer> next = sortedExecutions.stream()
                .map(AuthenticationExecutionModel::getPriority)
                .filter(priority -> priority > after)
                .min(Comparator.naturalOrder());
        if (next.isPresent() && next.get() - after < 2) {
            LOG.warnf("No free priority right after the cookie step; the '%s' step shares priority %d",
                    AnonymousGuestAuthenticatorFactory.ID, next.get());
            return next.get();
        }
        return next.map(n -> after + (n - after) / 2).orElse(after + 1);
    }

    /**
     * Removes the guest step from every flow of the realm, the built-in browser flow included (which an admin cannot
     * edit). Answers how many steps it removed.
     */
    public static int removeGuestSteps(RealmModel realm) {
        List<AuthenticationExecutionModel> steps = realm.getAuthenticationFlowsStream()
                .flatMap(flow -> realm.getAuthenticationExecutionsStream(flow.getId()))
                .filter(execution -> AnonymousGuestAuthenticatorFactory.ID.equals(execution.getAuthenticator()))
                .toList();
        steps.forEach(realm::removeAuthenticatorExecution);
        return steps.size();
    }

    private static boolean containsGuestStep(RealmModel realm, String flowId) {
        return realm.getAuthenticationExecutionsStream(flowId).anyMatch(execution ->
                AnonymousGuestAuthenticatorFactory.ID.equals(execution.getAuthenticator())
                        || (execution.isAuthenticatorFlow() && containsGuestStep(realm, execution.getFlowId())));
    }

    /**
     * Registers the action that keeps guests in bounds where it is missing (at every start: it must be there), and
     * gives it today's name, which tells an admin to leave it on, where it has an earlier version's.
     */
    public static void installNoFormsForGuests(RealmModel realm) {
        // Its trigger must run after every other action's trigger, to withdraw what they queued for guests.
        RequiredActions.registerIfMissing(realm, NoFormsForGuests.ID, NoFormsForGuests.DISPLAY_NAME, Integer.MAX_VALUE,
                "Anonymous users: no forms for guests");
    }
}
