package dev.anonymoususers.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test of the admin console's tab, which needs Keycloak's experimental {@code declarative-ui} feature. The full
 * suite runs on a server without the feature, as many production servers are; these tests run on their own server
 * with it (the {@code admin-tab} Failsafe execution in pom.xml), and in the compatibility runs.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Tag("declarative-ui")
public @interface NeedsAdminTab {
}
