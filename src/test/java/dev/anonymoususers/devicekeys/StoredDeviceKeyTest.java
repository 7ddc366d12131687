package dev.anonymoususers.devicekeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;

import dev.anonymoususers.testing.DeviceAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.common.crypto.CryptoIntegration;

/** A key registered before the RSA range held (0.1) is refused at its next sign-in, and says why. */
class StoredDeviceKeyTest {

    @BeforeAll
    static void keycloakCrypto() {
        CryptoIntegration.init(StoredDeviceKeyTest.class.getClassLoader());
    }

    static String stored(KeyPair key) {
        try {
            return org.keycloak.util.JsonSerialization.writeValueAsString(DeviceAssertions.publicJwk(key));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void storedRsaKeyOutsideTheRangeIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> DeviceKey.fromStored(stored(DeviceAssertions.rsa(1024))))
                .isInstanceOf(DeviceKeyError.class)
                .extracting(e -> ((DeviceKeyError) e).description())
                .asString().contains("2048 to 4096 bits; this one has 1024").contains("create a new key pair on the device");
        assertThatThrownBy(() -> DeviceKey.fromStored(stored(DeviceAssertions.rsa(2048, 3))))
                .extracting(e -> ((DeviceKeyError) e).description())
                .asString().contains("public exponent 65537");
    }

    @Test
    void storedKeysInTheRangeStillSignIn() throws DeviceKeyError {
        assertThat(DeviceKey.fromStored(stored(DeviceAssertions.rsa(2048))).algorithm()).isEqualTo("RS256");
        assertThat(DeviceKey.fromStored(stored(DeviceAssertions.ecP256())).algorithm()).isEqualTo("ES256");
    }
}
