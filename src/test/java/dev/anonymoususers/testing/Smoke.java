package dev.anonymoususers.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test of the smoke suite: besides the full suite on {@code keycloak.version}, it runs on every older Keycloak
 * release the README's compatibility table names (the {@code compatibility-*} Failsafe executions in pom.xml).
 * Each capability keeps at least one test here.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Tag("smoke")
public @interface Smoke {
}
