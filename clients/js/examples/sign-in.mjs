// A device guest from Node.js 20+, with this library: run it twice and the second run signs in the same guest (the
// same sub), because the key is kept in a key file.
//   node examples/sign-in.mjs [keycloak-url] [realm] [client-id] [key-file]
//   node examples/sign-in.mjs http://localhost:8080 demo demo-app /tmp/device-key.json
// The key file (default ./device-key.json) holds the private key in the clear: it is for trying the protocol only. A
// real app keeps its key where the platform keeps secrets (in a browser, the library's IndexedDB store does that).
import { readFile, rm, writeFile } from "node:fs/promises";
import { AnonymousUsersError, DeviceGuest } from "keycloak-anonymous-users";

const [url = "http://localhost:8080", realm = "demo", clientId = "demo-app", keyFile = "device-key.json"] =
    process.argv.slice(2);
const algorithm = { name: "ECDSA", namedCurve: "P-256" };

/** A key store over one JSON file; the library asks it for the key pair and never needs to read the private key. */
const fileKeyStore = {
  async load() {
    try {
      const { privateJwk, publicJwk } = JSON.parse(await readFile(keyFile, "utf8"));
      return {
        privateKey: await crypto.subtle.importKey("jwk", privateJwk, algorithm, false, ["sign"]),
        publicKey: await crypto.subtle.importKey("jwk", publicJwk, algorithm, true, ["verify"]),
      };
    } catch {
      // No file yet: make an exportable key pair, so that the file can hold it, and keep it.
      const keyPair = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
      const privateJwk = await crypto.subtle.exportKey("jwk", keyPair.privateKey);
      const publicJwk = await crypto.subtle.exportKey("jwk", keyPair.publicKey);
      await writeFile(keyFile, JSON.stringify({ privateJwk, publicJwk }), { mode: 0o600 });
      return keyPair;
    }
  },
  async save() {},
  remove: () => rm(keyFile, { force: true }),
};

try {
  const session = await new DeviceGuest({ url, realm, clientId, keyStore: fileKeyStore }).signIn();
  console.log(`sub=${session.sub} is_anonymous=${session.isAnonymous} token_type=${session.tokenType}`);
} catch (error) {
  if (!(error instanceof AnonymousUsersError)) throw error;
  console.error(`${error.reason}: ${error.message}`);
  process.exitCode = 1;
}
