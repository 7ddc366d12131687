package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void consoleRendersASwitchThatDefaultsToOff() {
        assertThat(AnonymousUsersConfig.PROPERTIES).first().satisfies(property -> {
            assertThat(property.getName()).isEqualTo("enabled");
            assertThat(property.getType()).isEqualTo("boolean");
            assertThat(property.getDefaultValue()).isEqualTo("false");
        });
    }

    @Test
    void everyClientMayUseDeviceKeysUntilTheAdminNamesSome() {
        assertThat(AnonymousUsersConfig.fromMap(Map.of()).allowsDeviceKeys("any-app")).isTrue();

        AnonymousUsersConfig named = AnonymousUsersConfig.fromMap(Map.of("deviceKeyClients", List.of("mobile-app", " ")));

        assertThat(named.deviceKeyClients()).containsExactly("mobile-app");
        assertThat(named.allowsDeviceKeys("mobile-app")).isTrue();
        assertThat(named.allowsDeviceKeys("web-app")).isFalse();
    }

    @Test
    void challengeLifetimeDefaultsToTwoMinutes() {
        assertThat(AnonymousUsersConfig.fromMap(Map.of()).challengeLifetimeSeconds()).isEqualTo(120);
        assertThat(AnonymousUsersConfig.parse(Map.of("challengeLifetime", List.of("30"))).challengeLifetimeSeconds()).isEqualTo(30);
    }

    @Test
    void challengeLifetimeOutsideOneSecondToOneHourIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("challengeLifetime", List.of("0"))))
                .hasMessage("Device challenge lifetime must be from 1 to 3600 seconds");
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("challengeLifetime", List.of("3601"))))
                .hasMessage("Device challenge lifetime must be from 1 to 3600 seconds");
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("challengeLifetime", List.of("soon"))))
                .hasMessage("Device challenge lifetime must be a whole number of seconds");
    }
}
