// Device keys with WebCrypto: sign a device assertion and exchange it for tokens with the device-key grant.
// Works in browsers and in Node.js 20+ (both have crypto.subtle and fetch). The protocol is in docs/device-keys.md.

export const GRANT_TYPE = "urn:anonymous-users:params:oauth:grant-type:device-key";

const encoder = new TextEncoder();

function base64url(bytes) {
  const data = typeof bytes === "string" ? encoder.encode(bytes) : new Uint8Array(bytes);
  let binary = "";
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A new P-256 key pair whose private key can sign but never be exported. */
export function createDeviceKey() {
  return crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
}

/**
 * A compact JWS: header typ device-key+jwt, alg ES256, the public jwk; payload action, iat and either a new random
 * jti (one request, the device clock within 60 s of the server's) or a challenge from the challenge endpoint.
 */
export async function createDeviceAssertion(keyPair, challenge = null, action = "auth", clockOffset = 0) {
  const freshness = challenge ? { challenge } : { jti: newId() };
  return sign(keyPair, "device-key+jwt", { ...freshness, action, iat: now(clockOffset) });
}

/**
 * A DPoP proof (RFC 9449) signed by the device key itself, for one request: the device-key grant binds the tokens
 * to the device key, and a bound token works only with such a proof. accessToken adds its ath (for API calls).
 */
export async function createDpopProof(keyPair, method, url, accessToken = null, clockOffset = 0) {
  const payload = { jti: newId(), htm: method, htu: url, iat: now(clockOffset) };
  if (accessToken) {
    payload.ath = base64url(await crypto.subtle.digest("SHA-256", encoder.encode(accessToken)));
  }
  return sign(keyPair, "dpop+jwt", payload);
}

/** A compact JWS of typ, signed ES256 by the key pair, with its public jwk in the header. */
async function sign(keyPair, typ, payload) {
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", keyPair.publicKey);
  const header = { typ, alg: "ES256", jwk: { kty, crv, x, y } };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  // WebCrypto signs ECDSA in the JOSE form (R || S) that ES256 expects.
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keyPair.privateKey, encoder.encode(signingInput));
  return `${signingInput}.${base64url(signature)}`;
}

function newId() {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** Seconds since the epoch by the server's clock, as far as the device knows its offset. */
function now(clockOffset) {
  return Math.floor(Date.now() / 1000) + clockOffset;
}

function realmUrl({ url, realm }) {
  return `${url}/realms/${encodeURIComponent(realm)}`;
}

function tokenUrl(config) {
  return `${realmUrl(config)}/protocol/openid-connect/token`;
}

/** A one-time challenge from the realm's challenge endpoint, and how far the device's clock is from the server's. */
async function fetchChallenge(config) {
  const response = await fetch(`${realmUrl(config)}/anonymous/challenge?client_id=${encodeURIComponent(config.clientId)}`, { method: "POST" });
  const body = await jsonOf(response);
  if (!response.ok) {
    throw new Error(`${response.url} answered ${response.status}: ${[body.error, body.error_description].filter(Boolean).join(": ")}`);
  }
  return { challenge: body.challenge, clockOffset: body.server_time - Math.floor(Date.now() / 1000) };
}

async function exchange(config, assertion, dpopProof = null) {
  const headers = { "Content-Type": "application/x-www-form-urlencoded" };
  if (dpopProof) headers.DPoP = dpopProof;
  const response = await fetch(tokenUrl(config), {
    method: "POST",
    headers,
    body: new URLSearchParams({ grant_type: GRANT_TYPE, assertion, client_id: config.clientId }),
  });
  return { ok: response.ok, status: response.status, url: response.url, body: await jsonOf(response) };
}

/**
 * The JSON that Keycloak answers, errors included. Anything else — a wrong base URL (such as a left-over /auth), a
 * Keycloak still starting (503), a proxy's error page — is an error that says what came back.
 */
async function jsonOf(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${response.url} answered ${response.status} without JSON: ${text.slice(0, 200)}`);
  }
}

/**
 * The server's answer to a device whose clock is off (docs/device-keys.md): its one-request assertion is refused, or,
 * when it binds its tokens, its DPoP proof is (Keycloak checks a proof's iat within a few seconds).
 */
function clockIsOff({ ok, body }, bound) {
  const description = body.error_description ?? "";
  return !ok && ((body.error === "invalid_grant" && /signs a challenge instead/.test(description))
      || (bound && body.error === "invalid_request" && /DPoP/i.test(description)));
}

/**
 * The device's guest signs in: one request with an assertion and its own jti; only a device whose clock is off
 * takes a challenge first, which also tells it the server's time. With { bind: true } the tokens are bound to the
 * device key (DPoP): token_type DPoP, and every use of them needs a proof by the key (createDpopProof). Answers the
 * token response (access, refresh and ID token).
 */
export async function signInWithDeviceKey(config, keyPair, { bind = false } = {}) {
  const proof = (clockOffset) => (bind ? createDpopProof(keyPair, "POST", tokenUrl(config), null, clockOffset) : null);
  let answer = await exchange(config, await createDeviceAssertion(keyPair), await proof(0));
  if (clockIsOff(answer, bind)) {
    const { challenge, clockOffset } = await fetchChallenge(config);
    answer = await exchange(config, await createDeviceAssertion(keyPair, challenge, "auth", clockOffset), await proof(clockOffset));
  }
  if (!answer.ok) {
    const { error, error_description } = answer.body;
    throw new Error(`${answer.url} answered ${answer.status}: ${[error, error_description].filter(Boolean).join(": ")}`);
  }
  return answer.body;
}

/**
 * The login_hint that signs the device's guest in and promotes it in the same browser trip: send it with
 * kc_action=promote-anonymous (keycloak-js: login({ action: "promote-anonymous", loginHint })).
 */
export async function promotionLoginHint(config, keyPair) {
  return `anonymous:${await createDeviceAssertion(keyPair, null, "promote")}`;
}
