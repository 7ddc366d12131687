package dev.anonymoususers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;
import org.mockito.ArgumentMatchers;
import org.mockito.Mockito;

class AnonymousUsersConfigTest {

    private static AnonymousUsersConfig stored(Map<String, String> stored) {
        return AnonymousUsersConfig.read(stored, (setting, bad) -> { });
    }

    @Test
    void realmWithoutSavedSettingsHasAnonymousUsersOff() {
        assertThat(stored(Map.of())).isEqualTo(AnonymousUsersConfig.DEFAULTS);
        assertThat(AnonymousUsersConfig.DEFAULTS.enabled()).isFalse();
    }

    @Test
    void enabledIsReadFromTheStringTheConsoleSaves() {
        assertThat(stored(Map.of("enabled", "true")).enabled()).isTrue();
        assertThat(stored(Map.of("enabled", "false")).enabled()).isFalse();
    }

    @Test
    void aStoredValueNoAdminCouldHaveSavedCountsAsItsDefaultAndIsReported() {
        List<String> reported = new ArrayList<>();
        AnonymousUsersConfig read = AnonymousUsersConfig.read(Map.of("enabled", "yes", "guestsPerAddressPerHour", "many",
                "removeInactiveGuestsAfterDays", "99999", "challengeLifetimeSeconds", "0"),
                (setting, bad) -> reported.add(setting.json() + "=" + bad));

        assertThat(read).isEqualTo(AnonymousUsersConfig.DEFAULTS);
        assertThat(reported).containsExactlyInAnyOrder("enabled=yes", "guestsPerAddressPerHour=many",
                "removeInactiveGuestsAfterDays=99999", "challengeLifetimeSeconds=0");
    }

    @Test
    void readingAndSavingAgreeOnEveryBound() {
        for (Setting setting : Setting.values()) {
            if (setting.kind() == Setting.Kind.LIMIT || setting.kind() == Setting.Kind.NUMBER) {
                String above = Long.toString(setting.max() + 1L);
                boolean[] reported = {false};
                AnonymousUsersConfig.read(Map.of(setting.json(), above), (bad, value) -> reported[0] = true);

                assertThat(reported[0]).as(setting.json() + " above its maximum is not read").isTrue();
                assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of(setting.json(), above)))
                        .as(setting.json() + " above its maximum is not saved").isInstanceOf(AnonymousUsersConfig.InvalidSetting.class);
                assertThat(AnonymousUsersConfig.parse(Map.of(setting.json(), Integer.toString(setting.max()))).get(setting))
                        .isEqualTo(setting.max());
            }
        }
    }

    @Test
    void keycloaksOwnClientsNeverMakeGuestsWhateverTheListSays() {
        AnonymousUsersConfig every = stored(Map.of("enabled", "true"));
        AnonymousUsersConfig listed = stored(Map.of("guestClients", "account-console", "deviceKeyClients", "admin-cli"));

        assertThat(every.allowsGuests("web-app")).isTrue();
        assertThat(every.allowsGuests("account-console")).isFalse();
        assertThat(every.allowsDeviceKeys("admin-cli")).isFalse();
        assertThat(listed.allowsGuests("account-console")).isFalse();
        assertThat(listed.allowsGuests("web-app")).as("the list still names only what the admin meant").isFalse();
        assertThat(listed.allowsDeviceKeys("admin-cli")).isFalse();
    }

    @Test
    void masterRealmHasNoGuestsWhateverItStores() {
        RealmModel master = Mockito.mock(RealmModel.class);
        Mockito.when(master.getName()).thenReturn("master");

        assertThat(AnonymousUsersConfig.of(master)).isEqualTo(AnonymousUsersConfig.DEFAULTS);
        Mockito.verify(master, Mockito.never()).getRequiredActionProviderByAlias(ArgumentMatchers.any());
    }

    @Test
    void listsAreStoredJoinedAsTheConsoleJoinsThem() {
        AnonymousUsersConfig named = stored(Map.of("deviceKeyClients", "mobile-app## ##web-app ", "guestGroups", "/guests"));

        assertThat(named.deviceKeyClients()).containsExactly("mobile-app", "web-app");
        assertThat(named.guestGroups()).containsExactly("/guests");
        assertThat(named.allowsDeviceKeys("mobile-app")).isTrue();
        assertThat(named.allowsDeviceKeys("other-app")).isFalse();
        assertThat(stored(Map.of()).allowsDeviceKeys("any-app")).isTrue();
    }

    @Test
    void defaultsAreTwoMinuteChallengesThirtyGuestsPerAddressNoRealmMaximumAndCleanUpAfterThirtyDays() {
        AnonymousUsersConfig defaults = stored(Map.of());

        assertThat(defaults.challengeLifetimeSeconds()).isEqualTo(120);
        assertThat(defaults.guestsPerAddressPerHour()).isEqualTo(30);
        assertThat(defaults.maxGuests()).isZero();
        assertThat(defaults.removeInactiveGuestsAfterDays()).isEqualTo(30);
    }

    @Test
    void eachRefusalNamesTheSettingByItsLabelAndItsName() {
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("challengeLifetimeSeconds", "0")))
                .hasMessage("Device challenge lifetime (seconds) (challengeLifetimeSeconds) must be from 1 to 3600");
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("challengeLifetimeSeconds", "soon")))
                .hasMessage("Device challenge lifetime (seconds) (challengeLifetimeSeconds) must be a whole number");
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("maxGuests", "-1")))
                .isInstanceOfSatisfying(AnonymousUsersConfig.InvalidSetting.class,
                        invalid -> assertThat(invalid.setting()).isEqualTo(Setting.MAX_GUESTS))
                .hasMessage("Maximum guests in the realm (maxGuests) must be 0 or more (0 means no limit)");
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("removeInactiveGuestsAfterDays", "36501")))
                .hasMessage("Remove inactive guests after (days) (removeInactiveGuestsAfterDays) must be from 0 to 36500 (0 means never)");
        assertThatThrownBy(() -> AnonymousUsersConfig.parse(Map.of("enabled", "yes")))
                .hasMessage("Enable anonymous users (enabled) must be true or false");
    }

    @Test
    void aBlankValueIsTheDefault() {
        assertThat(AnonymousUsersConfig.parse(Map.of("maxGuests", " ", "challengeLifetimeSeconds", ""))).isEqualTo(AnonymousUsersConfig.DEFAULTS);
    }
}
