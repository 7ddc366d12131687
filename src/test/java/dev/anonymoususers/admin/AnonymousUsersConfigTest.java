package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AnonymousUsersConfigTest {

    @Test
    void realmWithoutSavedSettingsHasAnonymousUsersOff() {
        assertThat(AnonymousUsersConfig.fromMap(Map.of())).isEqualTo(AnonymousUsersConfig.DEFAULTS);
        assertThat(AnonymousUsersConfig.DEFAULTS.enabled()).isFalse();
    }

    @Test
    void enabledIsReadFromTheStringTheConsoleSaves() {
        assertThat(AnonymousUsersConfig.fromMap(Map.of("enabled", List.of("true"))).enabled()).isTrue();
        assertThat(AnonymousUsersConfig.fromMap(Map.of("enabled", List.of("false"))).enabled()).isFalse();
    }

    @Test
    void anythingButTrueMeansOff() {
        assertThat(AnonymousUsersConfig.fromMap(Map.of("enabled", List.of("yes"))).enabled()).isFalse();
        assertThat(AnonymousUsersConfig.fromMap(Map.of("enabled", List.of())).enabled()).isFalse();
    }

    @Test
    void consoleRendersOneSwitchThatDefaultsToOff() {
        assertThat(AnonymousUsersConfig.PROPERTIES).singleElement().satisfies(property -> {
            assertThat(property.getName()).isEqualTo("enabled");
            assertThat(property.getType()).isEqualTo("boolean");
            assertThat(property.getDefaultValue()).isEqualTo("false");
        });
    }
}
