// Device-key sign-in from Node.js 20+, with ./device-key.js (the same module the demo web app uses in the browser):
// copy both files into an app as they are.
//   node examples/device-key.mjs [keycloak-url] [realm] [client-id] [key-file]
//   node examples/device-key.mjs http://localhost:8080 demo demo-app /tmp/device-key.json
// Run it twice: the second run signs in the same guest (same sub), because the key is kept in the key file
// (default ./device-key.json, which .gitignore keeps out of the repository).
// A real app keeps its key in the platform's secure store instead (see docs/device-keys.md); this file holds a
// private key in the clear and is for trying the protocol only.
import { readFile, writeFile } from "node:fs/promises";
import { signInWithDeviceKey } from "./device-key.js";

const [url = "http://localhost:8080", realm = "demo", clientId = "demo-app", keyFile = "device-key.json"] = process.argv.slice(2);
const algorithm = { name: "ECDSA", namedCurve: "P-256" };

async function loadOrCreateKeyPair() {
  try {
    const { privateJwk, publicJwk } = JSON.parse(await readFile(keyFile, "utf8"));
    return {
      privateKey: await crypto.subtle.importKey("jwk", privateJwk, algorithm, false, ["sign"]),
      publicKey: await crypto.subtle.importKey("jwk", publicJwk, algorithm, true, ["verify"]),
    };
  } catch {
    const keyPair = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
    const privateJwk = await crypto.subtle.exportKey("jwk", keyPair.privateKey);
    const publicJwk = await crypto.subtle.exportKey("jwk", keyPair.publicKey);
    await writeFile(keyFile, JSON.stringify({ privateJwk, publicJwk }), { mode: 0o600 });
    return keyPair;
  }
}

// bind: the tokens are bound to the device key (DPoP), worth nothing without it.
const tokens = await signInWithDeviceKey({ url, realm, clientId }, await loadOrCreateKeyPair(), { bind: true });
const claims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url").toString("utf8"));
console.log(`sub=${claims.sub} is_anonymous=${claims.is_anonymous} token_type=${tokens.token_type}`);
