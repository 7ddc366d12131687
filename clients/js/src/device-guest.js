// A device's guest: its key pair, kept in a key store, signs the guest in at the token endpoint with the extension's
// device-key grant, and its tokens are bound to that key (DPoP, RFC 9449).

import { AnonymousUsersError, keycloaksJson } from "./errors.js";
import { thumbprint } from "./jws.js";
import { createDeviceKeyPair, indexedDbKeyStore } from "./key-stores.js";
import { deviceAssertion, dpopProof } from "./proofs.js";
import { DeviceSession } from "./device-session.js";

export const DEVICE_KEY_GRANT = "urn:anonymous-users:params:oauth:grant-type:device-key";

/**
 * The refusals of a one-request sign-in that a challenge gets past: the device's clock is off (its assertion may be
 * 60 s off; bound, its DPoP proof only a few seconds), and a key past its own limit of one-request sign-ins (the
 * challenge form is not limited per key). The challenge also tells the device the server's time.
 */
function aChallengeHelps(error) {
  return (error.error === "invalid_grant" && /signs a challenge instead/.test(error.errorDescription))
      || (error.error === "invalid_request" && /DPoP proof is not active/.test(error.errorDescription))
      || (error.status === 429 && /\(jti-per-key-per-minute\)/.test(error.errorDescription));
}

export class DeviceGuest {
  #keyStore;
  #fetch;
  #session = null;
  #keyTurn = Promise.resolve();

  constructor({ url, realm, clientId, keyStore, bind = true, scope, fetch: fetchImpl }) {
    for (const [name, value] of Object.entries({ url, realm, clientId })) {
      if (typeof value !== "string" || value === "") {
        throw new TypeError(`DeviceGuest needs ${name} (a non-empty string)`);
      }
    }
    if (!globalThis.crypto?.subtle) {
      throw new AnonymousUsersError("no-webcrypto", "WebCrypto (crypto.subtle) is not available:"
          + " browsers offer it only on https:// pages and on http://localhost");
    }
    this.url = url.replace(/\/+$/, "");
    this.realm = realm;
    this.clientId = clientId;
    this.bind = bind;
    this.scope = scope;
    this.realmUrl = `${this.url}/realms/${encodeURIComponent(realm)}`;
    this.tokenUrl = `${this.realmUrl}/protocol/openid-connect/token`;
    /** Seconds to add to this device's clock to get the server's; learnt from a challenge when the clock is off. */
    this.clockOffset = 0;
    this.#keyStore = keyStore ?? indexedDbKeyStore(this.realmUrl);
    this.#fetch = fetchImpl ?? ((...args) => globalThis.fetch(...args));
  }

  /** Whether this device holds a key, i.e. has signed a guest in before and was not forgotten. */
  async hasKey() {
    return Boolean(await this.#keyStore.load());
  }

  /**
   * The key pair, made and kept on the first call when create is true. The calls of one guest take turns, so calls
   * at once make one key; the key is loaded again after saving, so when another tab's key was kept first, both use it.
   */
  #keyPair(create) {
    const turn = this.#keyTurn.then(() => this.#loadOrCreateKeyPair(create));
    this.#keyTurn = turn.catch(() => {});
    return turn;
  }

  async #loadOrCreateKeyPair(create) {
    let keyPair = await this.#keyStore.load();
    if (!keyPair && create) {
      await this.#keyStore.save(await createDeviceKeyPair());
      keyPair = await this.#keyStore.load();
    }
    if (!keyPair) {
      throw new AnonymousUsersError("no-device-key",
          "This device holds no device key: it never signed a guest in, or it was forgotten");
    }
    return keyPair;
  }

  /** The device key's RFC 7638 thumbprint: its kid at the server, and the cnf.jkt of its bound tokens. */
  async keyThumbprint() {
    return thumbprint((await this.#keyPair(false)).publicKey);
  }

  /**
   * Signs the device's guest in: one request with an assertion of its own (the first one creates the guest), and a
   * challenge first only when the server says the clock is off or the key signed in too often. With create false, a
   * device without a key fails with no-device-key instead of becoming a new guest.
   */
  async signIn({ create = true } = {}) {
    this.#session = new DeviceSession(this.#link, await this.#signInAnswer(create));
    return this.#session;
  }

  async #signInAnswer(create) {
    const keyPair = await this.#keyPair(create);
    try {
      return await this.#exchange(keyPair, null);
    } catch (error) {
      if (!(error instanceof AnonymousUsersError) || !aChallengeHelps(error)) throw error;
      return this.#exchange(keyPair, await this.#challenge());
    }
  }

  /** What a session needs of its guest, kept out of the public API. */
  get #link() {
    return {
      keyPair: async () => (await this.#keyStore.load()) ?? null,
      tokenRequest: (keyPair, parameters) => this.#tokenRequest(keyPair, parameters),
      signInAgain: () => this.#signInAnswer(false),
      clockOffset: () => this.clockOffset,
      fetch: this.#fetch,
      revokeUrl: `${this.realmUrl}/protocol/openid-connect/revoke`,
      clientId: this.clientId,
    };
  }

  /** A token request with the device key's DPoP proof (when binding), answered as JSON or thrown as a refusal. */
  async #tokenRequest(keyPair, parameters) {
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    if (this.bind) {
      headers.DPoP = await dpopProof(keyPair, { method: "POST", url: this.tokenUrl, clockOffset: this.clockOffset });
    }
    return keycloaksJson(this.#fetch, this.tokenUrl, {
      method: "POST", headers, body: new URLSearchParams({ ...parameters, client_id: this.clientId }),
    });
  }

  async #exchange(keyPair, challenge) {
    const assertion = await deviceAssertion(keyPair, { challenge, clockOffset: this.clockOffset });
    const parameters = { grant_type: DEVICE_KEY_GRANT, assertion };
    if (this.scope) parameters.scope = this.scope;
    return this.#tokenRequest(keyPair, parameters);
  }

  /** A one-time challenge; its server_time sets the clock offset that dates every later assertion and proof. */
  async #challenge() {
    const url = `${this.realmUrl}/anonymous/challenge?client_id=${encodeURIComponent(this.clientId)}`;
    const body = await keycloaksJson(this.#fetch, url, { method: "POST" });
    this.clockOffset = body.server_time - Math.floor(Date.now() / 1000);
    return body.challenge;
  }

  /**
   * The login_hint that signs the device's guest in and promotes it in the same browser trip: send it with
   * kc_action=promote-anonymous (keycloak-js: keycloak.login({ action: "promote-anonymous", loginHint })).
   */
  async promotionLoginHint() {
    const keyPair = await this.#keyPair(false);
    return `anonymous:${await deviceAssertion(keyPair, { action: "promote", clockOffset: this.clockOffset })}`;
  }

  /**
   * Forgets this device: the session this guest signed in last is ended at Keycloak, and the key is removed from the
   * key store. The guest account stays until the realm's clean-up of inactive guests removes it; without the key
   * nobody can sign it in again, and its bound tokens are worth nothing. The key is removed even when Keycloak cannot
   * be reached (the error is thrown after), so a forgotten device is forgotten.
   */
  async forget() {
    const session = this.#session;
    this.#session = null;
    try {
      await session?.signOut();
    } finally {
      await this.#keyStore.remove();
    }
  }
}
