package dev.anonymoususers.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The client library in real headless Chromium, loaded by a page of its own origin as a web app loads it: the shared
 * scenarios through the browser's fetch and CORS, and what only a browser has: the key in IndexedDB.
 */
class ClientLibraryInChromiumIT extends ClientLibraryScenarios {

    private final LibraryPage page = new LibraryPage();
    private final Browser browser = new Browser();

    @Override
    ClientLibrary startLibrary() {
        return ClientLibrary.inChromium(browser, page);
    }

    @Override
    String appOrigin() {
        return page.origin();
    }

    @Override
    String address() {
        return null; // a page cannot send X-Forwarded-For across origins (Keycloak's CORS does not allow the header)
    }

    @AfterAll
    void closeBrowser() {
        browser.close();
        page.close();
    }

    /** What IndexedDB holds for this realm, read by the page itself with the browser's own API. */
    private JsonNode storedKey() {
        Object answer = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const open = indexedDB.open("keycloak-anonymous-users");
                open.onsuccess = () => {
                  const get = open.result.transaction("device-keys").objectStore("device-keys").get(arguments[0]);
                  get.onsuccess = async () => {
                    const keyPair = get.result;
                    if (!keyPair) return done(JSON.stringify({ stored: false }));
                    let exported = true;
                    try { await crypto.subtle.exportKey("jwk", keyPair.privateKey); } catch { exported = false; }
                    done(JSON.stringify({ stored: true, isCryptoKey: keyPair.privateKey instanceof CryptoKey,
                      extractable: keyPair.privateKey.extractable, curve: keyPair.privateKey.algorithm.namedCurve, exported }));
                  };
                };
                """, server.realmUrl(realm));
        return AdminApi.read((String) answer);
    }

    @Test
    void theKeyIsANonExtractableP256KeyInIndexedDbThatOutlivesThePage() {
        guest("device");
        String sub = signIn("device").get("sub").asText();

        JsonNode stored = storedKey();
        ClientLibrary reloaded = ClientLibrary.inChromium(browser, page); // a new page load: nothing in memory
        reloaded.call("guest", Map.of("name", "device", "url", server.baseUrl(), "realm", realm, "clientId", "web-app"));
        JsonNode again = reloaded.call("signIn", Map.of("guest", "device", "create", false));

        assertThat(stored.get("stored").asBoolean()).isTrue();
        assertThat(stored.get("isCryptoKey").asBoolean()).isTrue();
        assertThat(stored.get("extractable").asBoolean()).isFalse();
        assertThat(stored.get("exported").asBoolean()).as("the private key cannot be read out").isFalse();
        assertThat(stored.get("curve").asText()).isEqualTo("P-256");
        assertThat(again.get("sub").asText()).as("the same guest after the page reloaded").isEqualTo(sub);
    }

    @Test
    void aKeyKeptInIndexedDbIsNeverReplacedSoTwoTabsMakingTheFirstKeyShareOne() {
        JsonNode kept = library.call("saveTwoKeys", Map.of("entry", "two-tabs"));

        assertThat(kept.get("keptFirst").asBoolean()).as("the key saved first is kept; the guest loads it again after saving").isTrue();
        assertThat(kept.get("keptSecond").asBoolean()).isFalse();
    }

    @Test
    void forgettingRemovesTheKeyFromIndexedDb() {
        guest("device");
        signIn("device");

        library.call("forget", Map.of("guest", "device"));

        assertThat(storedKey().get("stored").asBoolean()).isFalse();
    }

    @Test
    void eachRealmHasAKeyOfItsOwn() {
        String otherRealm = admin.importGuestsRealm(appOrigin() + "/callback", true);
        guest("here");
        guest("there", Map.of("realm", otherRealm));

        signIn("here");
        signIn("there");

        assertThat(library.call("keyThumbprint", Map.of("guest", "there")).get("thumbprint").asText())
                .isNotEqualTo(thumbprint("here"));
    }

    @Test
    void aPageWhoseOriginTheClientDoesNotAllowIsANetworkErrorThatSaysWhy() {
        String otherOrigin = admin.importGuestsRealm("https://app.example.com/callback", true);
        guest("device", Map.of("realm", otherOrigin));

        JsonNode error = signInFailing("device");

        assertThat(error.get("reason").asText()).isEqualTo("network-error");
        assertThat(error.get("message").asText()).contains("Web origins");
    }
}
