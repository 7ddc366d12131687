package dev.anonymoususers.promotion;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.forms.login.freemarker.model.RegisterBean;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.theme.Theme;

/**
 * The sign-up page of a guest, {@value #TEMPLATE}: shipped in the extension's theme-resources and rendered inside
 * the realm's own login theme, with the fields of the realm's user profile at registration (Keycloak's own
 * {@code profile} bean of its registration page), password and confirmation, and Cancel.
 */
final class SignUpPage {

    static final String TEMPLATE = "promote-anonymous.ftl";
    /** The template's own attribute: whether the theme has keycloak.v2's field macros ({@code field.ftl}). */
    static final String PAGE_ATTRIBUTE = "anonymousPromotion";

    private static final Logger LOG = Logger.getLogger(SignUpPage.class);

    private SignUpPage() {
    }

    /** The page, with what the visitor typed (never the passwords) and the messages per field. */
    static Response render(RequiredActionContext context, MultivaluedMap<String, String> typed, List<FormMessage> errors) {
        return render(context, typed, errors, false, null);
    }

    /** The page after a refused submit; where the email or username is taken, it offers to sign in instead. */
    static Response render(RequiredActionContext context, MultivaluedMap<String, String> typed, SignUpForm.Refused refused) {
        return render(context, typed, refused.errors(), refused.accountExists(), null);
    }

    /**
     * The page for finishing a sign-up with a provider's identity ({@code alias}): the profile's fields filled with
     * what the provider says, no password (the provider proves the account), and one button to finish.
     */
    static Response renderForProvider(RequiredActionContext context, String alias, MultivaluedMap<String, String> typed,
            List<FormMessage> errors) {
        return render(context, typed, errors, false, alias);
    }

    static Response renderForProvider(RequiredActionContext context, String alias, MultivaluedMap<String, String> typed,
            SignUpForm.Refused refused) {
        return render(context, typed, refused.errors(), refused.accountExists(), alias);
    }

    private static Response render(RequiredActionContext context, MultivaluedMap<String, String> typed,
            List<FormMessage> errors, boolean accountExists, String providerAlias) {
        MultivaluedMap<String, String> kept = new MultivaluedHashMap<>();
        if (typed != null) {
            typed.forEach((name, values) -> {
                if (!SignUpForm.isPassword(name)) {
                    kept.put(name, values);
                }
            });
        }
        KeycloakSession session = context.getSession();
        LoginFormsProvider form = context.form()
                .setAttribute("profile", new RegisterBean(kept, session))
                .setAttribute(PAGE_ATTRIBUTE, Map.of("fieldMacros", hasFieldMacros(session), "accountExists", accountExists,
                        "passkeys", providerAlias == null && PasskeyRegistration.isOffered(context.getRealm()),
                        "provider", providerAlias == null ? "" : displayName(session, providerAlias)))
                .setFormData(kept);
        if (!errors.isEmpty()) {
            form.setErrors(errors);
        }
        return form.createForm(TEMPLATE);
    }

    private static String displayName(KeycloakSession session, String alias) {
        IdentityProviderModel provider = session.identityProviders().getByAlias(alias);
        return provider == null || provider.getDisplayName() == null || provider.getDisplayName().isBlank()
                ? alias : provider.getDisplayName();
    }

    private static boolean hasFieldMacros(KeycloakSession session) {
        try {
            return session.theme().getTheme(Theme.Type.LOGIN).getTemplate("field.ftl") != null;
        } catch (IOException e) {
            LOG.debug("Could not read the login theme; rendering the page with the base markup", e);
            return false;
        }
    }
}
