package dev.anonymoususers.promotion;

import java.net.URI;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.requiredactions.WebAuthnPasswordlessRegisterFactory;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.UserModelDelegate;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The promotion's context as Keycloak's passwordless registration ({@code WebAuthnRegister}) sees it while it runs
 * inside the promotion: the account under its new username (the authenticator shows that name, never the guest's),
 * an event of its own (the promotion reports itself), its own configuration, and its success handed to the
 * promotion. Everything else passes through to the promotion's context.
 *
 * <p>Of Keycloak 26.7's {@code RequiredActionContext}, the registration reads {@code getUser}, {@code getEvent},
 * {@code getRealm}, {@code getAuthenticationSession}, {@code getHttpRequest} (the browser's answer),
 * {@code getUriInfo}, {@code form} and {@code challenge}, and calls {@code success}. This is the class most likely
 * to need a look on a Keycloak upgrade: {@code RegistrationContextTest} fails when the interface gains a method
 * (a default one included, which would compile silently) that is not passed through here.
 */
final class RegistrationContext implements RequiredActionContext {

    private final RequiredActionContext promotion;
    private final UserModel account;
    private final EventBuilder event;
    private final Runnable onSuccess;

    RegistrationContext(RequiredActionContext promotion, String username, Runnable onSuccess) {
        this.promotion = promotion;
        this.account = new UserModelDelegate(promotion.getUser()) {
            @Override
            public String getUsername() {
                return username;
            }
        };
        this.event = promotion.getEvent().clone();
        this.onSuccess = onSuccess;
    }

    @Override
    public void success() {
        if (onSuccess == null) {
            promotion.success();
        } else {
            onSuccess.run();
        }
    }

    @Override
    public UserModel getUser() {
        return account;
    }

    @Override
    public EventBuilder getEvent() {
        return event;
    }

    @Override
    public String getAction() {
        return promotion.getAction();
    }

    @Override
    public URI getActionUrl(String code) {
        return promotion.getActionUrl(code);
    }

    @Override
    public URI getActionUrl() {
        return promotion.getActionUrl();
    }

    @Override
    public LoginFormsProvider form() {
        return promotion.form();
    }

    @Override
    public Response getChallenge() {
        return promotion.getChallenge();
    }

    @Override
    public RealmModel getRealm() {
        return promotion.getRealm();
    }

    @Override
    public AuthenticationSessionModel getAuthenticationSession() {
        return promotion.getAuthenticationSession();
    }

    @Override
    public ClientConnection getConnection() {
        return promotion.getConnection();
    }

    @Override
    public UriInfo getUriInfo() {
        return promotion.getUriInfo();
    }

    @Override
    public KeycloakSession getSession() {
        return promotion.getSession();
    }

    @Override
    public HttpRequest getHttpRequest() {
        return promotion.getHttpRequest();
    }

    /** The registration's own configuration: the promotion's holds the realm's anonymous-user settings. */
    @Override
    public RequiredActionConfigModel getConfig() {
        return promotion.getRealm().getRequiredActionConfigByAlias(WebAuthnPasswordlessRegisterFactory.PROVIDER_ID);
    }

    @Override
    public String generateCode() {
        return promotion.generateCode();
    }

    @Override
    public Status getStatus() {
        return promotion.getStatus();
    }

    @Override
    public String getErrorMessage() {
        return promotion.getErrorMessage();
    }

    @Override
    public void challenge(Response response) {
        promotion.challenge(response);
    }

    @Override
    public void failure() {
        promotion.failure();
    }

    @Override
    public void failure(String errorMessage) {
        promotion.failure(errorMessage);
    }

    @Override
    public void cancel() {
        promotion.cancel();
    }

    @Override
    public void ignore() {
        promotion.ignore();
    }
}
