import { test } from "node:test";
import assert from "node:assert/strict";
import { AnonymousUsersError, createDeviceKeyPair, DeviceGuest, memoryKeyStore } from "keycloak-anonymous-users";

test("a device key pair is P-256 and its private key cannot be exported", async () => {
  const { privateKey, publicKey } = await createDeviceKeyPair();

  assert.equal(privateKey.extractable, false);
  assert.equal(privateKey.algorithm.namedCurve, "P-256");
  await assert.rejects(crypto.subtle.exportKey("jwk", privateKey));
  assert.equal(publicKey.extractable, true);
});

test("a guest without a key makes one only when asked to create it", async () => {
  const keyStore = memoryKeyStore();
  const guest = new DeviceGuest({ url: "http://localhost:1", realm: "demo", clientId: "app", keyStore });

  assert.equal(await guest.hasKey(), false);
  await assert.rejects(guest.signIn({ create: false }), (error) => error instanceof AnonymousUsersError && error.reason === "no-device-key");
  await assert.rejects(guest.promotionLoginHint(), { reason: "no-device-key" });
  assert.equal(await keyStore.load(), undefined, "a refused sign-in made no key");
});

test("forgetting removes the key from the key store", async () => {
  const keyStore = memoryKeyStore(await createDeviceKeyPair());
  const guest = new DeviceGuest({ url: "http://localhost:1", realm: "demo", clientId: "app", keyStore });

  assert.equal(await guest.hasKey(), true);
  await guest.forget();
  assert.equal(await guest.hasKey(), false);
});

test("options are checked when the guest is made, and the base URL loses its trailing slash", () => {
  assert.throws(() => new DeviceGuest({ url: "http://localhost:8080", realm: "", clientId: "app" }), /needs realm/);
  assert.throws(() => new DeviceGuest({ url: "http://localhost:8080", realm: "demo" }), /needs clientId/);
  const guest = new DeviceGuest({ url: "http://localhost:8080/", realm: "my realm", clientId: "app", keyStore: memoryKeyStore() });
  assert.equal(guest.tokenUrl, "http://localhost:8080/realms/my%20realm/protocol/openid-connect/token");
});

test("a server that cannot be reached is a network-error that says where", async () => {
  const guest = new DeviceGuest({ url: "http://127.0.0.1:9", realm: "demo", clientId: "app", keyStore: memoryKeyStore() });

  await assert.rejects(guest.signIn(), (error) => error.reason === "network-error" && error.message.includes("http://127.0.0.1:9/realms/demo"));
});

test("sign-ins at once on a new device share one new key", async () => {
  let saves = 0;
  const kept = memoryKeyStore();
  const keyStore = { load: kept.load, remove: kept.remove, save: async (keyPair) => { saves += 1; await kept.save(keyPair); } };
  const guest = new DeviceGuest({ url: "http://127.0.0.1:9", realm: "demo", clientId: "app", keyStore });

  const outcomes = await Promise.allSettled([guest.signIn(), guest.signIn(), guest.signIn()]);

  assert.deepEqual(outcomes.map((outcome) => outcome.reason?.reason), ["network-error", "network-error", "network-error"]);
  assert.equal(saves, 1);
});

test("where WebCrypto is missing (a page neither https nor localhost) the guest is not made, and the error says why", () => {
  const webCrypto = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true });
  try {
    assert.throws(() => new DeviceGuest({ url: "http://localhost:8080", realm: "demo", clientId: "app", keyStore: memoryKeyStore() }),
        (error) => error instanceof AnonymousUsersError && error.reason === "no-webcrypto" && /https:\/\/ pages/.test(error.message));
  } finally {
    Object.defineProperty(globalThis, "crypto", webCrypto);
  }
});
