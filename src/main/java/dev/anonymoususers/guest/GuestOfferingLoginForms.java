package dev.anonymoususers.guest;

import jakarta.ws.rs.core.Response;
import org.keycloak.forms.login.LoginFormsPages;
import org.keycloak.forms.login.freemarker.FreeMarkerLoginFormsProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Keycloak's own login forms, with "Continue as guest" on every login page of a realm with anonymous users on.
 *
 * <p>The offer belongs to the page, not to a step of the flow: Keycloak renders the login form again after a wrong
 * password (and after "try another way", or a username-first step) from the step that failed, without running the
 * steps before it. Rendering is Keycloak's, unchanged; only the offer's script is added to the page, so it works in
 * every theme that extends keycloak.v2 or base.
 */
final class GuestOfferingLoginForms extends FreeMarkerLoginFormsProvider {

    GuestOfferingLoginForms(KeycloakSession session) {
        super(session);
    }

    @Override
    protected Response createResponse(LoginFormsPages page) {
        if (page == LoginFormsPages.LOGIN || page == LoginFormsPages.LOGIN_USERNAME) {
            ContinueAsGuestOffer.addTo(session, authenticationSession, this);
        }
        return super.createResponse(page);
    }
}
