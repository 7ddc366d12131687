package dev.anonymoususers.promotion;

import java.time.Duration;
import java.util.List;

import dev.anonymoususers.AnonymousUsers;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.messages.Messages;

/**
 * The application-initiated action {@value AnonymousUsers#PROMOTE_ACTION}: a guest signs up, and the same account —
 * same id, same {@code sub} — becomes a regular user with the email, username and password it gave. Modelled on
 * Keycloak's own Update Email action: the page is validated by the realm's user profile and password policy, and
 * the outcome is reported through Keycloak's events ({@code CUSTOM_REQUIRED_ACTION} with
 * {@code custom_required_action=promote-anonymous}).
 *
 * <p>The guest proves the new account with a password, a passkey ({@link PasskeyRegistration}) or a social account
 * ({@link IdentityProviderPromotion}); where the email is taken it may sign in to that account instead
 * ({@link SignInInstead}).
 *
 * <ul>
 *   <li>A regular user who starts it gets {@code kc_action_status=error}: no page, nothing changed.</li>
 *   <li>Cancel returns {@code kc_action_status=cancelled}; the guest stays as it was.</li>
 *   <li>The page submitted twice (a double click, two tabs) promotes once; the second submit ends in success.</li>
 * </ul>
 */
public class PromoteAnonymousUserAction implements RequiredActionProvider {

    /** Event detail: how the guest proved the new account: password, passkey or a provider's alias. Public contract. */
    public static final String METHOD_DETAIL = "promote_method";
    public static final String METHOD_PASSWORD = "password";
    /** Event error: the account that started the promotion is not a guest. */
    public static final String ERROR_NOT_ANONYMOUS = "not_anonymous";

    /** Event {@code reason} of a submit that found its guest promoted by another submit of the same page. */
    public static final String ALREADY_PROMOTED = "already promoted";

    static final String PROMOTED_ELSEWHERE = "The guest was promoted in another browser, which alone keeps its session";
    static final String NOT_A_GUEST_ANY_MORE = "The account of this device is no longer a guest";
    /** Event reason of a promotion request for a regular user: nothing to do, and success. Part of the public contract. */
    public static final String ALREADY_REGULAR = "already a regular user";

    /** How long a submit waits for its twin (a double click) to finish promoting the same guest. */
    private static final Duration TWIN_PATIENCE = Duration.ofSeconds(15);

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    /**
     * Never asks to sign in again, however long ago the guest signed in: a guest has no credential to prove again,
     * and the promotion only adds one. Keycloak would otherwise show a login form after five minutes.
     */
    @Override
    public int getMaxAuthAge(KeycloakSession session) {
        return Integer.MAX_VALUE - Time.currentTime();
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        // Only ever started by an app.
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        UserModel user = context.getUser();
        String replacedGuest = SignInInstead.replacedGuest(context.getAuthenticationSession());
        if (replacedGuest != null) {
            SignInInstead.report(context, replacedGuest);
            return;
        }
        PromotionGuard guard = new PromotionGuard(context.getSession(), user.getId());
        if (AnonymousUsers.isAnonymous(user) && guard.isLocked()) {
            // A second submit of a page whose first submit is promoting right now: Keycloak shows this step again.
            if (promotedByTwin(context, guard)) {
                return;
            }
        }
        if (!AnonymousUsers.isAnonymous(user)) {
            if (guard.wasJustPromoted()) {
                endAsAlreadyPromoted(context, guard);
                return;
            }
            user.removeRequiredAction(AnonymousUsers.PROMOTE_ACTION); // should an admin have set it on a regular user
            if (context.getAuthenticationSession().getAuthNote(AnonymousUsers.DEVICE_PROMOTION_NOTE) != null) {
                // a device's link promotes its guest or signs nobody in; never a regular account
                error(context, ERROR_NOT_ANONYMOUS, "the account is not a guest");
                context.failure(NOT_A_GUEST_ANY_MORE);
            } else if (AnonymousUsers.isPromotionRequest(context.getAuthenticationSession())) {
                // What the app asked for holds already: the visitor is a regular user, once a guest or never.
                context.getEvent().detail(Details.REASON, ALREADY_REGULAR);
                context.getAuthenticationSession().setAuthNote(AuthenticationProcessor.LAST_PROCESSED_EXECUTION,
                        AnonymousUsers.PROMOTE_ACTION); // so the redirect names the action, as keycloak-js expects
                context.success();
            } else {
                context.ignore();
            }
            return;
        }
        context.challenge(SignUpPage.render(context, null, List.of()));
    }

    /** A submit of the sign-up page (or of a page that runs inside it): first whether it may promote, then which way. */
    @Override
    public void processAction(RequiredActionContext context) {
        PromotionGuard guard = mayPromote(context);
        if (guard != null) {
            promoteTheChosenWay(context, guard);
        }
    }

    /**
     * Whether this submit may promote the guest: the user still exists, is enabled and is still a guest (or was just
     * promoted by this browser, which ends as already promoted), and no other submit promotes it right now (a twin
     * submit reports that one's outcome). Answers the guest's lock, held for this transaction, or null where this
     * has answered the browser already.
     */
    private static PromotionGuard mayPromote(RequiredActionContext context) {
        UserModel user = context.getUser();
        if (user == null) {
            error(context, Errors.USER_NOT_FOUND, "the guest was deleted");
            context.challenge(errorPage(context, Messages.INVALID_USER));
            return null;
        }
        if (!user.isEnabled()) {
            error(context, Errors.USER_DISABLED, "the guest was disabled");
            context.challenge(errorPage(context, Messages.ACCOUNT_DISABLED));
            return null;
        }
        PromotionGuard guard = new PromotionGuard(context.getSession(), user.getId());
        if (!AnonymousUsers.isAnonymous(user)) {
            if (guard.wasJustPromoted()) {
                endAsAlreadyPromoted(context, guard);
            } else {
                error(context, ERROR_NOT_ANONYMOUS, "the account is not a guest");
                context.failure();
            }
            return null;
        }
        if (!guard.tryLock()) {
            // The same page submitted twice at once: the first submit promotes, this one reports its outcome.
            if (promotedByTwin(context, guard)) {
                return null;
            }
            if (!guard.tryLock()) {
                error(context, Errors.INVALID_REGISTRATION, "another promotion of this guest is under way");
                context.challenge(SignUpPage.render(context, form(context),
                        List.of(new FormMessage(null, "anonymousUsers.promotionUnderWay"))));
                return null;
            }
        }
        return guard;
    }

    /**
     * Which way the visitor promotes: back from an identity provider, finishing what the provider left out, off to a
     * provider, signing in to an existing account instead, a passkey (under way, or chosen), or a password.
     */
    private static void promoteTheChosenWay(RequiredActionContext context, PromotionGuard guard) {
        KeycloakSession session = context.getSession();
        if (IdentityProviderPromotion.isReturning(context.getAuthenticationSession())) {
            returnedFromProvider(context, guard);
            return;
        }
        MultivaluedMap<String, String> form = form(context);
        IdentityProviderPromotion.Brokered brokered = IdentityProviderPromotion.waiting(context.getAuthenticationSession());
        if (brokered != null && IdentityProviderPromotion.isFinishing(form)) {
            finishWithProvider(context, guard, brokered, form);
            return;
        }
        IdentityProviderPromotion.forget(context.getAuthenticationSession()); // another way chosen: nothing kept
        String providerAlias = IdentityProviderPromotion.chosen(form);
        if (providerAlias != null) {
            IdentityProviderModel provider = IdentityProviderPromotion.offered(session, providerAlias);
            if (provider == null) {
                error(context, Errors.UNKNOWN_IDENTITY_PROVIDER, "no identity provider " + providerAlias + " to sign up with");
                context.challenge(SignUpPage.render(context, form, List.of(new FormMessage(null, Messages.IDENTITY_PROVIDER_NOT_FOUND))));
            } else {
                IdentityProviderPromotion.start(context, provider);
            }
            return;
        }
        if (SignInInstead.isRequested(form)) {
            SignInInstead.start(context, form);
            return;
        }
        if (PasskeyRegistration.isUnderWay(context.getAuthenticationSession(), form)) {
            PasskeyRegistration.finish(context, signUp -> promote(context, guard, signUp, PasskeyRegistration.METHOD,
                    SignUpForm.asTyped(signUp)));
            return;
        }
        boolean passkey = PasskeyRegistration.isChosen(form) && PasskeyRegistration.isOffered(context.getRealm());
        try {
            SignUpForm.Accepted signUp = SignUpForm.check(session, context.getRealm(), form, !passkey);
            if (passkey) {
                PasskeyRegistration.start(context, signUp);
            } else {
                promote(context, guard, signUp, METHOD_PASSWORD, form);
            }
        } catch (SignUpForm.Refused refused) {
            error(context, refused.eventError(), refused.reason());
            context.challenge(SignUpPage.render(context, form, refused));
        }
    }

    /**
     * Keycloak linked the provider's identity to the guest (or says why not). The link is taken off at once and kept
     * for the promotion; where the provider's values pass the realm's checks and its email is proven, the guest is
     * promoted now, otherwise the page asks for what is missing or wrong ({@link #finishWithProvider}).
     */
    private static void returnedFromProvider(RequiredActionContext context, PromotionGuard guard) {
        IdentityProviderPromotion.Outcome outcome = IdentityProviderPromotion.returned(context.getAuthenticationSession());
        switch (outcome.status()) {
            case SUCCESS -> {
                IdentityProviderPromotion.Brokered brokered = IdentityProviderPromotion.detach(context.getSession(),
                        context.getAuthenticationSession(), context.getUser(), outcome.alias());
                MultivaluedMap<String, String> offered = brokered.offeredForm();
                if (brokered.provenEmail == null) {
                    context.challenge(SignUpPage.renderForProvider(context, brokered.alias, offered, List.of()));
                    return;
                }
                finishWithProvider(context, guard, brokered, offered);
            }
            case CANCELLED -> context.challenge(SignUpPage.render(context, null, List.of()));
            default -> {
                error(context, Errors.IDENTITY_PROVIDER_ERROR, outcome.alias() + ": "
                        + (outcome.error() == null ? "no answer" : outcome.error().getMessage()));
                context.challenge(SignUpPage.render(context, null, outcome.error() == null ? List.of()
                        : List.of(new FormMessage(null, outcome.error().getMessage(), outcome.error().getParameters()))));
            }
        }
    }

    /**
     * Promotes with a provider's identity: the page's values (or the provider's) pass the realm's user profile, as a
     * registration does, with no password; the email is verified only where it is the provider's proven email.
     */
    private static void finishWithProvider(RequiredActionContext context, PromotionGuard guard,
            IdentityProviderPromotion.Brokered brokered, MultivaluedMap<String, String> form) {
        SignUpForm.Accepted signUp;
        try {
            signUp = SignUpForm.check(context.getSession(), context.getRealm(), form, false);
            IdentityProviderPromotion.attach(context.getSession(), context.getRealm(), context.getUser(), brokered);
        } catch (SignUpForm.Refused refused) {
            error(context, refused.eventError(), brokered.alias + ": " + refused.reason());
            context.challenge(SignUpPage.renderForProvider(context, brokered.alias, form, refused));
            return;
        }
        boolean emailProven = signUp.email() != null && signUp.email().equalsIgnoreCase(brokered.provenEmail);
        context.getEvent().detail(Details.IDENTITY_PROVIDER, brokered.alias);
        if (promote(context, guard, signUp, brokered.alias, form)) {
            context.getUser().setEmailVerified(emailProven);
            IdentityProviderPromotion.forget(context.getAuthenticationSession());
        }
    }

    /**
     * The sign-up passed its checks and the account is proven (a password, a passkey just stored, a provider's
     * identity): promote. Whether it did: a race the database decides can still refuse it.
     */
    private static boolean promote(RequiredActionContext context, PromotionGuard guard, SignUpForm.Accepted signUp,
            String method, MultivaluedMap<String, String> form) {
        try {
            GuestPromotion.apply(context.getSession(), context.getRealm(), context.getUser(), signUp);
        } catch (SignUpForm.Refused refused) {
            error(context, refused.eventError(), refused.reason());
            context.challenge(SignUpPage.render(context, form, refused));
            return false;
        }
        int ended = SessionsBeforePromotion.end(context, context.getUser());
        guard.rememberPromoted(context.getRealm(), PromotionGuard.browserOf(context));
        context.getEvent()
                .detail(SessionsBeforePromotion.ENDED_SESSIONS_DETAIL, Integer.toString(ended))
                .detail(METHOD_DETAIL, method)
                .detail(Details.USERNAME, signUp.username())
                .detail(Details.EMAIL, signUp.email());
        context.success();
        return true;
    }

    /**
     * Waits for the submit that holds the lock; if it promoted the guest, this one ends in success too and says so.
     */
    private static boolean promotedByTwin(RequiredActionContext context, PromotionGuard guard) {
        guard.awaitUnlocked(TWIN_PATIENCE);
        if (GuestPromotion.isPromoted(context.getSession(), context.getRealm(), context.getUser().getId())) {
            endAsAlreadyPromoted(context, guard);
            return true;
        }
        return false;
    }

    /**
     * Another submit of a page that was shown to this account as a guest promoted it a moment ago. In the same
     * browser (a double click, a second tab) this one ends in success too, without promoting again, and its event
     * says so in {@code reason}. In any other browser the promotion ended that browser's session of the guest, so it
     * gets an error and no session of the account: whoever else held the guest does not hold the person's account.
     */
    private static void endAsAlreadyPromoted(RequiredActionContext context, PromotionGuard guard) {
        if (!guard.wasJustPromotedIn(PromotionGuard.browserOf(context))) {
            error(context, ERROR_NOT_ANONYMOUS, PROMOTED_ELSEWHERE);
            context.failure(PROMOTED_ELSEWHERE);
            return;
        }
        context.getEvent().detail(Details.REASON, ALREADY_PROMOTED);
        context.success();
    }

    private static MultivaluedMap<String, String> form(RequiredActionContext context) {
        return context.getHttpRequest().getDecodedFormParameters();
    }

    private static Response errorPage(RequiredActionContext context, String message) {
        return context.form().setError(message).createErrorPage(Response.Status.BAD_REQUEST);
    }

    /** A failure event that listeners see at once: {@code CUSTOM_REQUIRED_ACTION_ERROR} with the reason. */
    private static void error(RequiredActionContext context, String error, String reason) {
        EventBuilder event = context.getEvent().clone()
                .event(EventType.CUSTOM_REQUIRED_ACTION)
                .detail(Details.CUSTOM_REQUIRED_ACTION, AnonymousUsers.PROMOTE_ACTION)
                .detail(Details.REASON, reason);
        if (context.getUser() != null) {
            event.user(context.getUser());
        }
        event.error(error);
    }

    @Override
    public void close() {
    }
}
