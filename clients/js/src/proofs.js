// What the device key signs: device assertions (the extension's device-key grant) and DPoP proofs (RFC 9449).

import { newId, sha256, sign } from "./jws.js";

/** Seconds since the epoch by the server's clock, as far as the device knows how far its own clock is off. */
export function serverNow(clockOffset = 0) {
  return Math.floor(Date.now() / 1000) + clockOffset;
}

/**
 * A device assertion (typ device-key+jwt): action auth signs in, promote promotes in the browser. Fresh by its own
 * new jti (one request; the clock within 60 s of the server's), or by a challenge from the challenge endpoint.
 */
export function deviceAssertion(keyPair, { action = "auth", challenge = null, clockOffset = 0 } = {}) {
  const freshness = challenge ? { challenge } : { jti: newId() };
  return sign(keyPair, "device-key+jwt", { ...freshness, action, iat: serverNow(clockOffset) });
}

/**
 * A DPoP proof (typ dpop+jwt) for one request: htm, htu (the URL without query and fragment, RFC 9449 section 4.2),
 * a new jti, iat by the server's clock, and ath when it goes with an access token.
 */
export async function dpopProof(keyPair, { method, url, accessToken = null, clockOffset = 0 }) {
  const htu = new URL(url);
  htu.search = "";
  htu.hash = "";
  const payload = { jti: newId(), htm: method.toUpperCase(), htu: htu.href, iat: serverNow(clockOffset) };
  if (accessToken) payload.ath = await sha256(accessToken);
  return sign(keyPair, "dpop+jwt", payload);
}
