// What the device key signs, checked by jose (a library we did not write), so a bug of ours cannot hide in both
// the signer and the checker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, EmbeddedJWK } from "jose";
import { createDeviceKeyPair, deviceAssertion, dpopProof, memoryKeyStore, DeviceGuest } from "keycloak-anonymous-users";

const decoder = new TextDecoder();

async function verified(jws) {
  const { payload, protectedHeader } = await compactVerify(jws, EmbeddedJWK, { algorithms: ["ES256"] });
  return { header: protectedHeader, claims: JSON.parse(decoder.decode(payload)) };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

test("a device assertion is an ES256 JWS of typ device-key+jwt with the public jwk, a new jti, action auth and iat now", async () => {
  const keyPair = await createDeviceKeyPair();
  const first = await verified(await deviceAssertion(keyPair));
  const second = await verified(await deviceAssertion(keyPair));

  assert.equal(first.header.typ, "device-key+jwt");
  assert.equal(first.header.alg, "ES256");
  assert.deepEqual(Object.keys(first.header.jwk).sort(), ["crv", "kty", "x", "y"]);
  assert.equal(first.claims.action, "auth");
  assert.match(first.claims.jti, /^[A-Za-z0-9_-]{22}$/);
  assert.notEqual(first.claims.jti, second.claims.jti);
  assert.ok(Math.abs(first.claims.iat - nowSeconds()) <= 1);
  assert.equal(first.claims.challenge, undefined);
});

test("an assertion with a challenge carries the challenge and no jti, dated by the server's clock", async () => {
  const keyPair = await createDeviceKeyPair();
  const { claims } = await verified(await deviceAssertion(keyPair, { challenge: "the-challenge", clockOffset: 180, action: "promote" }));

  assert.equal(claims.challenge, "the-challenge");
  assert.equal(claims.jti, undefined);
  assert.equal(claims.action, "promote");
  assert.ok(Math.abs(claims.iat - (nowSeconds() + 180)) <= 1);
});

test("a DPoP proof names the method and the URL without query and fragment, and hashes the access token into ath", async () => {
  const keyPair = await createDeviceKeyPair();
  const jws = await dpopProof(keyPair, { method: "put", url: "https://api.example.com/notes/7?draft=1#top", accessToken: "an.access.token" });
  const { header, claims } = await verified(jws);

  assert.equal(header.typ, "dpop+jwt");
  assert.equal(claims.htm, "PUT");
  assert.equal(claims.htu, "https://api.example.com/notes/7");
  const expectedAth = Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("an.access.token"))).toString("base64url");
  assert.equal(claims.ath, expectedAth);
  assert.match(claims.jti, /^[A-Za-z0-9_-]{22}$/);
});

test("a DPoP proof for the token endpoint has no ath", async () => {
  const keyPair = await createDeviceKeyPair();
  const { claims } = await verified(await dpopProof(keyPair, { method: "POST", url: "https://kc.example.com/realms/r/protocol/openid-connect/token" }));

  assert.equal(claims.ath, undefined);
});

test("the key's thumbprint is the RFC 7638 thumbprint jose computes of the jwk the proofs carry", async () => {
  const keyPair = await createDeviceKeyPair();
  const guest = new DeviceGuest({ url: "http://localhost:8080", realm: "demo", clientId: "app", keyStore: memoryKeyStore(keyPair) });
  const header = decodeProtectedHeader(await dpopProof(keyPair, { method: "GET", url: "https://api.example.com/" }));

  assert.equal(await guest.keyThumbprint(), await calculateJwkThumbprint(header.jwk, "sha256"));
});

test("the promotion login hint is anonymous: and an assertion with the action promote", async () => {
  const keyPair = await createDeviceKeyPair();
  const guest = new DeviceGuest({ url: "http://localhost:8080", realm: "demo", clientId: "app", keyStore: memoryKeyStore(keyPair) });
  const hint = await guest.promotionLoginHint();

  assert.match(hint, /^anonymous:[^.]+\.[^.]+\.[^.]+$/);
  const { header, claims } = await verified(hint.slice("anonymous:".length));
  assert.equal(header.typ, "device-key+jwt");
  assert.equal(claims.action, "promote");
});
