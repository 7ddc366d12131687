package dev.anonymoususers.devicekeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Commands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A device guest whose assertion and DPoP proof are made by jose (npm), the JavaScript library apps use: the
 * extension's own JavaScript module plays no part (src/test/js/device-key-with-jose.mjs).
 */
class JoseInteropIT extends DeviceKeyRealm {

    static final String JOSE_VERSION = "6.2.17";
    static final Path SCRIPT = Path.of("src", "test", "js", "device-key-with-jose.mjs");

    Path jose;

    /** jose from the npm registry, fetched once per build with npm itself (which checks the package's integrity). */
    @BeforeAll
    void fetchJose() throws Exception {
        Path folder = Path.of("target", "jose-" + JOSE_VERSION);
        jose = folder.resolve("package").toAbsolutePath();
        if (!Files.isDirectory(jose)) {
            Files.createDirectories(folder);
            Commands.lastLine(List.of("npm", "pack", "jose@" + JOSE_VERSION, "--silent"), folder);
            Commands.lastLine(List.of("tar", "xzf", "jose-" + JOSE_VERSION + ".tgz"), folder);
        }
    }

    JsonNode signIn(String proofBy) throws Exception {
        return AdminApi.read(Commands.lastLine(
                List.of("node", SCRIPT.toString(), jose.toString(), app.tokenUrl(), "web-app", proofBy), Path.of(".")));
    }

    @Test
    void assertionAndProofMadeByJoseGiveTokensBoundToTheDeviceKey() throws Exception {
        JsonNode answer = signIn("device-key");

        assertThat(answer.get("status").asInt()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.get("token_type").asText()).isEqualTo("DPoP");
        assertThat(answer.get("jkt").asText()).as("cnf.jkt is jose's RFC 7638 thumbprint of the device key")
                .isEqualTo(answer.get("thumbprint").asText());
    }

    @Test
    void aJoseProofByAnotherKeyIsRefused() throws Exception {
        JsonNode answer = signIn("another-key");

        assertThat(answer.get("status").asInt()).isEqualTo(400);
        assertThat(answer.get("error").asText()).isEqualTo("invalid_request");
    }
}
