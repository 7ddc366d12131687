package dev.anonymoususers;

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
    void keycloaksOwnClientsNeverMakeGuestsWhateverTheListSays() {
        AnonymousUsersConfig every = AnonymousUsersConfig.fromMap(Map.of("enabled", List.of("true")));
        AnonymousUsersConfig stored = AnonymousUsersConfig.fromMap(Map.of("guestClients", List.of("account-console"),
                "deviceKeyClients", List.of("admin-cli")));

        assertThat(every.allowsGuests("web-app")).isTrue();
        assertThat(every.allowsGuests("account-console")).isFalse();
        assertThat(every.allowsDeviceKeys("admin-cli")).isFalse();
        assertThat(stored.allowsGuests("account-console")).isFalse();
        assertThat(stored.allowsGuests("web-app")).as("the list still names only what the admin meant").isFalse();
        assertThat(stored.allowsDeviceKeys("admin-cli")).isFalse();
    }

    @Test
    void masterRealmHasNoGuestsWhateverItStores() {
        org.keycloak.models.RealmModel master = org.mockito.Mockito.mock(org.keycloak.models.RealmModel.class);
        org.mockito.Mockito.when(master.getName()).thenReturn("master");

        assertThat(AnonymousUsersConfig.of(master)).isEqualTo(AnonymousUsersConfig.DEFAULTS);
        org.mockito.Mockito.verify(master, org.mockito.Mockito.never()).getComponentsStream(org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any());
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
                .hasMessage("challengeLifetimeSeconds must be from 1 to 3600");
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("challengeLifetime", List.of("3601"))))
                .hasMessage("challengeLifetimeSeconds must be from 1 to 3600");
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("challengeLifetime", List.of("soon"))))
                .hasMessage("challengeLifetimeSeconds must be a whole number");
    }

    @Test
    void limitsDefaultToThirtyGuestsPerAddressAnHourNoRealmMaximumAndCleanUpAfterThirtyDays() {
        AnonymousUsersConfig defaults = AnonymousUsersConfig.fromMap(Map.of());

        assertThat(defaults.guestsPerAddressPerHour()).isEqualTo(30);
        assertThat(defaults.maxGuests()).isZero();
        assertThat(defaults.removeInactiveGuestsAfterDays()).isEqualTo(30);
    }

    @Test
    void aNegativeLimitIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("maxGuests", List.of("-1"))))
                .isInstanceOfSatisfying(AnonymousUsersConfig.InvalidSetting.class,
                        invalid -> assertThat(invalid.setting()).isEqualTo(AnonymousUsersConfig.Setting.MAX_GUESTS))
                .hasMessage("maxGuests must be 0 or more (0 means no limit)");
    }

    @Test
    void aValueNoAdminCouldHaveSavedCountsAsTheDefault() {
        assertThat(AnonymousUsersConfig.fromMap(Map.of("guestsPerAddressPerHour", List.of("many"))).guestsPerAddressPerHour())
                .isEqualTo(30);
    }
}
