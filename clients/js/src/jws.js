// Compact JWS signed by the device key: device assertions and DPoP proofs are both made here. WebCrypto only, so the
// same code runs in browsers and in Node.js 20+.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** base64url without padding (RFC 7515 section 2), of bytes or of a string's UTF-8. */
export function base64url(bytes) {
  const data = typeof bytes === "string" ? encoder.encode(bytes) : new Uint8Array(bytes);
  let binary = "";
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The JSON payload of a compact JWT, unverified: for tokens straight from the token endpoint only. */
export function payloadOf(jwt) {
  const part = jwt.split(".")[1] ?? "";
  const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(decoder.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
}

/** 16 random bytes in base64url: a new jti. */
export function newId() {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** The public key as the JWK members RFC 7638 hashes, in its order (EC P-256: crv, kty, x, y). */
export async function publicJwk(publicKey) {
  const { crv, kty, x, y } = await crypto.subtle.exportKey("jwk", publicKey);
  return { crv, kty, x, y };
}

/** The key's RFC 7638 SHA-256 thumbprint: the kid Keycloak knows it by and the cnf.jkt of its bound tokens. */
export async function thumbprint(publicKey) {
  return sha256(JSON.stringify(await publicJwk(publicKey)));
}

/** base64url(SHA-256(text)): also the ath of a DPoP proof (RFC 9449 section 4.2). */
export async function sha256(text) {
  return base64url(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** A compact JWS of typ, signed ES256 by the key pair, with its public jwk in the header. */
export async function sign(keyPair, typ, payload) {
  const header = { typ, alg: "ES256", jwk: await publicJwk(keyPair.publicKey) };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  // WebCrypto signs ECDSA in the JOSE form (R || S) that ES256 requires; the server refuses DER.
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keyPair.privateKey,
      encoder.encode(signingInput));
  return `${signingInput}.${base64url(signature)}`;
}
