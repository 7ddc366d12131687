package dev.anonymoususers.promotion;

import java.util.function.BiPredicate;

import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.GuestGroups;
import dev.anonymoususers.GuestMetrics;
import dev.anonymoususers.devicekeys.DeviceKeyCredentialProvider;
import dev.anonymoususers.storage.GuestRegistry;
import jakarta.persistence.PersistenceException;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.messages.Messages;

/**
 * Turns a guest into a regular user in place: the same user, so the same id and the same {@code sub}. It writes
 * what the sign-up gave (profile attributes, and the password unless a passkey proves the account), removes the guest
 * mark, the guest groups and every device key, and asks
 * of the user what the realm asks of every new user (its default required actions; verify email follows from the
 * realm's own trigger). All of it is one transaction: it happens whole or not at all.
 */
final class GuestPromotion {

    private GuestPromotion() {
    }

    static void apply(KeycloakSession session, RealmModel realm, UserModel guest, SignUpForm.Accepted signUp)
            throws SignUpForm.Refused {
        signUp.attributes().forEach((name, values) -> {
            if (values != null && !values.isEmpty()) {
                guest.setAttribute(name, values);
            }
        });
        if (signUp.password() != null) {
            guest.credentialManager().updateCredential(UserCredentialModel.password(signUp.password(), false));
        }
        AnonymousUsers.unmarkAnonymous(guest);
        new GuestRegistry(session, realm).promoted(guest);
        GuestMetrics.promoted(realm);
        GuestGroups.leave(session, realm, guest);
        DeviceKeyCredentialProvider.removeAllFrom(guest);
        realm.getRequiredActionProvidersStream()
                .filter(action -> action.isEnabled() && action.isDefaultAction())
                .map(RequiredActionProviderModel::getAlias)
                .forEach(guest::addRequiredAction);
        writeNow(session, realm, guest, signUp);
    }

    /**
     * Writes to the database now rather than at commit, so that the database's own uniqueness of email and username
     * decides a race between two guests who sign up with the same email: the later one is told here, with the
     * page's message, and nothing of its promotion is kept.
     */
    private static void writeNow(KeycloakSession session, RealmModel realm, UserModel guest, SignUpForm.Accepted signUp)
            throws SignUpForm.Refused {
        try {
            session.getProvider(JpaConnectionProvider.class).getEntityManager().flush();
        } catch (PersistenceException | ModelException taken) {
            session.getTransactionManager().setRollbackOnly();
            boolean emailTaken = signUp.email() != null && inFreshTransaction(session, realm, (fresh, freshRealm) -> {
                UserModel owner = fresh.users().getUserByEmail(freshRealm, signUp.email());
                return owner != null && !owner.getId().equals(guest.getId());
            });
            throw emailTaken
                    ? SignUpForm.refused(UserModel.EMAIL, Messages.EMAIL_EXISTS, Errors.EMAIL_IN_USE)
                    : SignUpForm.refused(UserModel.USERNAME, Messages.USERNAME_EXISTS, Errors.USERNAME_IN_USE);
        }
    }

    /** Whether the account is a regular user by now, as the database says in a transaction of its own. */
    static boolean isPromoted(KeycloakSession session, RealmModel realm, String userId) {
        return inFreshTransaction(session, realm, (fresh, freshRealm) -> {
            UserModel user = fresh.users().getUserById(freshRealm, userId);
            return user != null && !AnonymousUsers.isAnonymous(user);
        });
    }

    /** Asks the database what other transactions committed, outside this request's own transaction. */
    private static boolean inFreshTransaction(KeycloakSession session, RealmModel realm,
            BiPredicate<KeycloakSession, RealmModel> question) {
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), fresh -> {
            RealmModel freshRealm = fresh.realms().getRealm(realm.getId());
            fresh.getContext().setRealm(freshRealm);
            return question.test(fresh, freshRealm);
        });
    }
}
