package dev.anonymoususers.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.Setting;
import dev.anonymoususers.cleanup.InactiveGuestCleanupFactory;
import dev.anonymoususers.devicekeys.ChallengeEndpointFactory;
import dev.anonymoususers.promotion.PromoteAnonymousUserActionFactory;
import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

/** Each setting is defined once ({@link Setting}); this fails when a view or the admin's docs leave one out. */
class EverySettingInEveryViewTest {

    static final List<String> NAMES = Arrays.stream(Setting.values()).map(Setting::json).toList();

    @Test
    void theConsolesDialogShowsEverySettingWithItsLabelHelpAndDefault() {
        List<ProviderConfigProperty> fields = new PromoteAnonymousUserActionFactory().getConfigMetadata();

        assertThat(fields).extracting(ProviderConfigProperty::getName).containsExactlyElementsOf(NAMES);
        for (ProviderConfigProperty field : fields) {
            Setting setting = Setting.byJsonName(field.getName()).orElseThrow();
            assertThat(field.getLabel()).isEqualTo(setting.label());
            assertThat(field.getHelpText()).isEqualTo(setting.help());
        }
    }

    @Test
    void theSettingsApiShowsEverySettingWithTheDefaultTheDefinitionGives() {
        Map<String, Object> json = SettingsEndpoint.json(AnonymousUsersConfig.DEFAULTS);

        assertThat(json.keySet()).containsExactlyElementsOf(NAMES);
        for (Setting setting : Setting.values()) {
            Object value = json.get(setting.json());
            assertThat(value instanceof List<?> list ? String.join("##", list.stream().map(Object::toString).toList())
                    : value.toString()).as(setting.json()).isEqualTo(setting.defaultValue());
        }
    }

    @Test
    void theAdminsDocsDescribeEverySettingWithItsDefault() throws IOException {
        String operating = Files.readString(Path.of("docs", "operating.md"));

        for (Setting setting : Setting.values()) {
            String row = operating.lines().filter(line -> line.startsWith("| `" + setting.json() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/operating.md has no row for the setting " + setting.json()));
            String documentedDefault = row.split("\\|")[2].trim();
            assertThat(documentedDefault).as(setting.json())
                    .startsWith(setting.kind().isList() ? "`[]`" : "`" + setting.defaultValue() + "`");
        }
    }

    @Test
    void theAdminsDocsDescribeEveryServerOptionWithItsDefault() throws IOException {
        String operating = Files.readString(Path.of("docs", "operating.md"));
        Map<String, List<ProviderConfigProperty>> options = Map.of(
                "--spi-realm-restapi-extension--anonymous--", new ChallengeEndpointFactory().getConfigMetadata(),
                "--spi-anonymous-users-clean-up--default--", new InactiveGuestCleanupFactory().getConfigMetadata());

        options.forEach((prefix, properties) -> {
            assertThat(properties).isNotEmpty();
            for (ProviderConfigProperty option : properties) {
                assertThat(operating).as(prefix + option.getName())
                        .contains("| `" + prefix + option.getName() + "` | `" + option.getDefaultValue() + "` |");
            }
        });
    }
}
