// keycloak-anonymous-users: device guests for Keycloak with the Anonymous Users extension, their tokens bound to
// the device key (DPoP), and the login hint that promotes them. The types are in ../index.d.ts.

export { DeviceGuest, DEVICE_KEY_GRANT } from "./device-guest.js";
export { DeviceSession } from "./device-session.js";
export { AnonymousUsersError } from "./errors.js";
export { createDeviceKeyPair, indexedDbKeyStore, memoryKeyStore } from "./key-stores.js";
export { deviceAssertion, dpopProof } from "./proofs.js";
