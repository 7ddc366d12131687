// A device guest signed in with tokens bound to its key, where every JWS is made by the jose library (not by the
// extension's own module), so our client code and the server cannot share a bug.
//   node device-key-with-jose.mjs <jose package dir> <token endpoint URL> <client id> [another-key]
// Prints one JSON line: the HTTP status, token_type, the access token's cnf.jkt and the device key's thumbprint.
const [joseDir, tokenUrl, clientId, proofBy = "device-key"] = process.argv.slice(2);
const { SignJWT, generateKeyPair, exportJWK, calculateJwkThumbprint, decodeJwt } = await import(`${joseDir}/dist/webapi/index.js`);

const device = await generateKeyPair("ES256", { extractable: true });
const jwk = await exportJWK(device.publicKey);
const assertion = await new SignJWT({ jti: crypto.randomUUID(), action: "auth" })
  .setProtectedHeader({ typ: "device-key+jwt", alg: "ES256", jwk })
  .setIssuedAt()
  .sign(device.privateKey);

const prover = proofBy === "another-key" ? await generateKeyPair("ES256", { extractable: true }) : device;
const proof = await new SignJWT({ htm: "POST", htu: tokenUrl })
  .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: await exportJWK(prover.publicKey) })
  .setJti(crypto.randomUUID())
  .setIssuedAt()
  .sign(prover.privateKey);

const response = await fetch(tokenUrl, {
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", DPoP: proof },
  body: new URLSearchParams({ grant_type: "urn:anonymous-users:params:oauth:grant-type:device-key", assertion, client_id: clientId }),
});
const body = await response.json();
console.log(JSON.stringify({
  status: response.status,
  error: body.error ?? null,
  token_type: body.token_type ?? null,
  jkt: body.access_token ? decodeJwt(body.access_token).cnf?.jkt ?? null : null,
  thumbprint: await calculateJwkThumbprint(jwk),
}));
