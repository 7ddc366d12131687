package dev.anonymoususers.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Commands;
import dev.anonymoususers.testing.RealmWithGuests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client library as an app developer gets it: {@code npm pack} makes the tarball, a scratch app installs it with
 * npm, compiles TypeScript against its types and signs a device guest in, and runs the example the package ships.
 */
class PackedClientLibraryIT extends RealmWithGuests {

    static final Path LIBRARY = ClientLibrary.LIBRARY;
    static final String TYPESCRIPT = "typescript@5.9.3";

    JsonNode packed;
    Path app;

    @BeforeAll
    void packAndInstall() throws Exception {
        Path packs = Path.of("target", "clients").toAbsolutePath();
        app = Path.of("target", "scratch-app").toAbsolutePath();
        deleteTree(packs);
        deleteTree(app);
        Files.createDirectories(packs);
        Commands.Ended pack = Commands.execute(List.of("npm", "pack", "--json", "--pack-destination", packs.toString()), LIBRARY);
        assertThat(pack.exitValue()).as(pack.output()).isZero();
        packed = AdminApi.read(pack.output().substring(pack.output().indexOf('['))).get(0);
        System.out.printf("The packed client library: %s, %d bytes (%d unpacked, %d files)%n", packed.get("filename").asText(),
                packed.get("size").asLong(), packed.get("unpackedSize").asLong(), packed.get("entryCount").asInt());

        Files.createDirectories(app);
        try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "scratch-app"))) {
            for (Path file : files.toList()) {
                Files.copy(file, app.resolve(file.getFileName()));
            }
        }
        Commands.lastLine(List.of("npm", "install", "--no-audit", "--no-fund",
                packs.resolve(packed.get("filename").asText()).toString(), TYPESCRIPT), app);
    }

    @Test
    void thePackageHoldsTheModuleItsTypesItsReadmeItsLicenceAndItsExampleAndNothingElse() {
        List<String> files = new ArrayList<>();
        packed.get("files").forEach(file -> files.add(file.get("path").asText()));

        assertThat(files).containsExactlyInAnyOrder("LICENSE", "README.md", "package.json", "index.d.ts",
                "examples/sign-in.mjs", "src/index.js", "src/device-guest.js", "src/device-session.js", "src/errors.js",
                "src/jws.js", "src/key-stores.js", "src/proofs.js");
        assertThat(packed.get("name").asText()).isEqualTo("keycloak-anonymous-users");
    }

    @Test
    void aTypeScriptAppCompiledAgainstThePackagesTypesSignsADeviceGuestInWithBoundTokens() throws Exception {
        Commands.lastLine(List.of("node", "node_modules/typescript/bin/tsc", "-p", "."), app);

        JsonNode ran = AdminApi.read(Commands.lastLine(List.of("node", "out/app.js", server.baseUrl(), realm, "web-app"), app));

        assertThat(ran.get("tokenType").asText()).isEqualTo("DPoP");
        assertThat(ran.get("userinfo").asInt()).isEqualTo(200);
        assertThat(admin.isGuest(realm, ran.get("sub").asText())).isTrue();
        assertThat(ran.get("reason").asText()).as("the typed error of a realm that does not exist").isEqualTo("not-found");
    }

    @Test
    void everyNameTheModuleExportsIsDeclaredInItsTypesAndNoOtherValue() throws Exception {
        String exported = Commands.lastLine(List.of("node", "--input-type=module", "-e",
                "const m = await import('keycloak-anonymous-users'); console.log(Object.keys(m).sort().join(','));"), app);
        List<String> declared = new ArrayList<>();
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("export declare (?:class|function|const) (\\w+)")
                .matcher(Files.readString(app.resolve("node_modules/keycloak-anonymous-users/index.d.ts")));
        while (names.find()) {
            declared.add(names.group(1));
        }

        assertThat(List.of(exported.split(","))).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void thePackagesTypesRefuseAMisspeltOptionAndAReasonThatDoesNotExist() throws Exception {
        Commands.Ended compiled = Commands.execute(List.of("node", "node_modules/typescript/bin/tsc", "--noEmit", "--strict",
                "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--lib", "ES2022,DOM", "wrong.ts"), app);

        assertThat(compiled.exitValue()).isNotZero();
        assertThat(compiled.output()).contains("'clientID' does not exist in type 'DeviceGuestOptions'")
                .contains("\"rate-limited\"").contains("'creat' does not exist");
    }

    @Test
    void theExampleThePackageShipsSignsTheSameGuestInOnItsSecondRun() throws Exception {
        List<String> command = List.of("node", "node_modules/keycloak-anonymous-users/examples/sign-in.mjs", server.baseUrl(), realm, "web-app");

        String first = Commands.lastLine(command, app);
        String second = Commands.lastLine(command, app);

        assertThat(first).matches("sub=[0-9a-f-]{36} is_anonymous=true token_type=DPoP");
        assertThat(second).isEqualTo(first);
        assertThat(app.resolve("device-key.json")).as("the default key file, in the app's working directory").exists();
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
