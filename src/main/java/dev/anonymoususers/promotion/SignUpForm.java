package dev.anonymoususers.promotion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.services.messages.Messages;
import org.keycloak.services.validation.Validation;
import org.keycloak.userprofile.Attributes;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

/**
 * What a guest submits on the sign-up page, checked exactly as Keycloak's own registration page checks a new user:
 * the realm's user profile in its registration context (required attributes, validators, annotations, taken email
 * or username), then the password confirmation and the realm's password policy. None of those rules is written
 * here; the messages are Keycloak's and the realm's own.
 */
final class SignUpForm {

    static final String PASSWORD = "password";
    static final String PASSWORD_CONFIRM = "password-confirm";

    private SignUpForm() {
    }

    /** Passwords are never shown again, not even after a refused submit. */
    static boolean isPassword(String field) {
        return PASSWORD.equals(field) || PASSWORD_CONFIRM.equals(field);
    }

    /** A sign-up that passed every check: the profile attributes to write and the password to set (none with a passkey). */
    record Accepted(Map<String, List<String>> attributes, String username, String email, String password) {
    }

    /** Why a sign-up was refused: a message per field, and the event error that names the first reason. */
    static final class Refused extends Exception {

        private final transient List<FormMessage> errors;
        private final String eventError;

        Refused(List<FormMessage> errors, String eventError) {
            super(eventError, null, false, false); // an expected answer, not a failure: no stack trace
            this.errors = List.copyOf(errors);
            this.eventError = eventError;
        }

        List<FormMessage> errors() {
            return errors;
        }

        String eventError() {
            return eventError;
        }

        /** What the event's {@code reason} detail says: the message keys, field by field. */
        String reason() {
            return errors.stream()
                    .map(error -> (error.getField() == null ? "" : error.getField() + ": ") + error.getMessage())
                    .collect(Collectors.joining("; "));
        }

        /** Whether the email or the username belongs to another account. */
        boolean accountExists() {
            return Errors.EMAIL_IN_USE.equals(eventError) || Errors.USERNAME_IN_USE.equals(eventError);
        }
    }

    /** Checks the profile, and the password where the guest proves the account with one (not with a passkey). */
    static Accepted check(KeycloakSession session, RealmModel realm, MultivaluedMap<String, String> form,
            boolean withPassword) throws Refused {
        // A new user's profile, as the registration page makes it: the guest's own values play no part.
        UserProfile profile = session.getProvider(UserProfileProvider.class).create(UserProfileContext.REGISTRATION, form);
        Attributes attributes = profile.getAttributes();
        List<FormMessage> errors = new ArrayList<>();
        String eventError = null;
        try {
            profile.validate();
        } catch (ValidationException invalid) {
            errors.addAll(Validation.getFormErrorsFromValidation(invalid.getErrors()));
            if (invalid.hasError(Messages.EMAIL_EXISTS)) {
                eventError = Errors.EMAIL_IN_USE;
            } else if (invalid.hasError(Messages.USERNAME_EXISTS)) {
                eventError = Errors.USERNAME_IN_USE;
            } else {
                eventError = Errors.INVALID_REGISTRATION;
            }
        }

        String password = withPassword ? form.getFirst(PASSWORD) : null;
        String username = realm.isRegistrationEmailAsUsername()
                ? attributes.getFirst(UserModel.EMAIL) : attributes.getFirst(UserModel.USERNAME);
        if (withPassword && Validation.isBlank(password)) { // without one, a passkey proves the account
            errors.add(new FormMessage(PASSWORD, Messages.MISSING_PASSWORD));
            eventError = eventError == null ? Errors.PASSWORD_MISSING : eventError;
        } else if (withPassword && !password.equals(form.getFirst(PASSWORD_CONFIRM))) {
            errors.add(new FormMessage(PASSWORD_CONFIRM, Messages.INVALID_PASSWORD_CONFIRM));
            eventError = eventError == null ? Errors.PASSWORD_CONFIRM_ERROR : eventError;
        }
        if (password != null) {
            PolicyError policy = session.getProvider(PasswordPolicyManagerProvider.class).validate(username, password);
            if (policy != null) {
                errors.add(new FormMessage(PASSWORD, policy.getMessage(), policy.getParameters()));
                eventError = eventError == null ? Errors.PASSWORD_REJECTED : eventError;
            }
        }
        if (!errors.isEmpty()) {
            throw new Refused(errors, eventError);
        }
        return new Accepted(attributes.getWritable(), attributes.getFirst(UserModel.USERNAME),
                attributes.getFirst(UserModel.EMAIL), password);
    }

    /** A checked sign-up as the page shows it again, should the promotion still be refused (a race). */
    static MultivaluedMap<String, String> asTyped(Accepted signUp) {
        MultivaluedMap<String, String> typed = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        signUp.attributes().forEach(typed::put);
        return typed;
    }

    /** Refuses with one message on one field, for what is found out after the checks (a race, say). */
    static Refused refused(String field, String message, String eventError) {
        return new Refused(List.of(new FormMessage(field, message)), eventError);
    }
}
