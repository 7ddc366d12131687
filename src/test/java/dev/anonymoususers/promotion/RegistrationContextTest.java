package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.authentication.RequiredActionContext;

class RegistrationContextTest {

    /**
     * A method Keycloak adds to its context, even a default one (which compiles silently), would reach Keycloak's
     * registration without passing through to the promotion: this fails until the wrapper passes it on.
     */
    @Test
    void everyMethodOfKeycloaksRequiredActionContextIsPassedThrough() {
        List<String> notPassedThrough = Arrays.stream(RequiredActionContext.class.getMethods())
                .filter(method -> !Modifier.isStatic(method.getModifiers()))
                .filter(method -> !declaredByTheWrapper(method))
                .map(Method::toString)
                .toList();

        assertThat(notPassedThrough).isEmpty();
    }

    private static boolean declaredByTheWrapper(Method method) {
        try {
            return RegistrationContext.class.getDeclaredMethod(method.getName(), method.getParameterTypes()) != null;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
