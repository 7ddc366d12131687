// The client library's calls as named operations, JSON in and JSON out, so that one Java test can drive the library
// the same way in Node.js (client-library-driver.mjs) and in Chromium (client-library-page.html).

/** An error as JSON: the library's own fields, or what any other error said. */
export function errorJson(thrown) {
  const error = thrown ?? { name: "null", message: "null was thrown" };
  const { name, reason = null, status = null, errorDescription = null, retryAfterSeconds = null, url = null } = error;
  const oauthError = error.error ?? null;
  const message = String(error.message);
  return { name, reason, status, error: oauthError, errorDescription, retryAfterSeconds, url, message };
}

/**
 * The operations on the library module lib. defaultKeyStore: "memory" in Node.js; in a browser the library's own
 * IndexedDB store is used unless a guest asks for memory.
 */
export function clientLibraryOps(lib, { defaultKeyStore }) {
  const guests = new Map();
  const sessions = new Map();
  const describe = (session) => ({
    sub: session.sub, isAnonymous: session.isAnonymous, tokenType: session.tokenType, accessToken: session.accessToken,
    refreshToken: session.refreshToken, idToken: session.idToken, expiresAt: session.expiresAt.toISOString(),
  });

  /**
   * The guest's fetch: adds X-Forwarded-For (Node.js only; the test server trusts it, so each test is an address of
   * its own) and, to get the server's answer to a replayed proof, can send the first DPoP proof it saw again and again.
   */
  function fetchFor({ address, replayFirstProof }) {
    let firstProof = null;
    return (input, init = {}) => {
      const request = new Request(input, init);
      const headers = new Headers(request.headers);
      if (address) headers.set("X-Forwarded-For", address);
      if (replayFirstProof && headers.has("DPoP")) {
        firstProof ??= headers.get("DPoP");
        headers.set("DPoP", firstProof);
      }
      return fetch(new Request(request, { headers }));
    };
  }

  const guest = (name) => guests.get(name) ?? (() => { throw new Error(`no guest ${name}`); })();
  const session = (name) => sessions.get(name) ?? (() => { throw new Error(`no session ${name}`); })();

  return {
    async guest({ name, url, realm, clientId, scope, bind, address, replayFirstProof, keyStore = defaultKeyStore }) {
      const options = { url, realm, clientId, scope, fetch: fetchFor({ address, replayFirstProof }) };
      if (bind !== undefined) options.bind = bind;
      if (keyStore === "memory") options.keyStore = lib.memoryKeyStore();
      const made = new lib.DeviceGuest(options);
      guests.set(name, made);
      return { tokenUrl: made.tokenUrl, realmUrl: made.realmUrl };
    },
    async signIn({ guest: name, session: sessionName = name, create }) {
      const made = await guest(name).signIn(create === undefined ? undefined : { create });
      sessions.set(sessionName, made);
      return describe(made);
    },
    async session({ session: name }) {
      return describe(session(name));
    },
    async refresh({ session: name }) {
      await session(name).refresh();
      return describe(session(name));
    },
    async refreshTwiceAtOnce({ session: name }) {
      const before = session(name).accessToken;
      await Promise.all([session(name).refresh(), session(name).refresh()]);
      return { changed: before !== session(name).accessToken, ...describe(session(name)) };
    },
    async fetch({ session: name, url, method = "GET" }) {
      const response = await session(name).fetch(url, { method });
      return { status: response.status, body: await response.text() };
    },
    async authorizationHeaders({ session: name, url, method = "GET" }) {
      return session(name).authorizationHeaders(method, url);
    },
    async signOut({ session: name }) {
      await session(name).signOut();
      return {};
    },
    async forget({ guest: name }) {
      await guest(name).forget();
      return { hasKey: await guest(name).hasKey() };
    },
    async hasKey({ guest: name }) {
      return { hasKey: await guest(name).hasKey() };
    },
    async keyThumbprint({ guest: name }) {
      return { thumbprint: await guest(name).keyThumbprint() };
    },
    async promotionLoginHint({ guest: name }) {
      return { loginHint: await guest(name).promotionLoginHint() };
    },
    /** Saves two new keys under one entry of the browser's store, one after the other, as two tabs might. */
    async saveTwoKeys({ entry }) {
      const store = lib.indexedDbKeyStore(entry);
      const [first, second] = [await lib.createDeviceKeyPair(), await lib.createDeviceKeyPair()];
      await store.save(first);
      await store.save(second);
      const publicJwk = async (keyPair) => JSON.stringify(await crypto.subtle.exportKey("jwk", keyPair.publicKey));
      const kept = await publicJwk(await store.load());
      await store.remove();
      return { keptFirst: kept === await publicJwk(first), keptSecond: kept === await publicJwk(second) };
    },
    async clockOffset({ guest: name }) {
      return { clockOffset: guest(name).clockOffset };
    },
  };
}

/** Runs one operation: {ok: true, result} or {ok: false, error}. */
export async function call(ops, op, args) {
  if (!ops[op]) return { ok: false, error: { name: "Error", message: `no operation ${op}` } };
  try {
    return { ok: true, result: await ops[op](args) };
  } catch (error) {
    return { ok: false, error: errorJson(error) };
  }
}
