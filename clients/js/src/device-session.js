// A device guest's tokens, kept fresh: refreshed with a proof by the device key before they expire, and when the
// session has ended at Keycloak, replaced by a new sign-in with the key (the same guest). keycloak-js cannot refresh
// DPoP-bound tokens, so a device session owns its tokens.

import { AnonymousUsersError, jsonOf, refusalOf, send } from "./errors.js";
import { payloadOf } from "./jws.js";
import { dpopProof } from "./proofs.js";

/** Refresh this long before the access token expires, so a request never leaves with a token about to end. */
const MIN_VALIDITY_MS = 30_000;

export class DeviceSession {
  #link;
  #tokens = null;
  #claims = null;
  #refreshing = null;

  /** Made by DeviceGuest.signIn; not for apps to call. */
  constructor(link, answer) {
    this.#link = link;
    this.#take(answer);
  }

  #take(answer) {
    this.#tokens = {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token ?? null,
      idToken: answer.id_token ?? null,
      tokenType: answer.token_type,
      expiresAt: Date.now() + answer.expires_in * 1000,
    };
    this.#claims = answer.id_token ? payloadOf(answer.id_token) : payloadOf(answer.access_token);
  }

  #live() {
    if (!this.#tokens) {
      throw new AnonymousUsersError("signed-out", "This session was signed out; sign the device's guest in again");
    }
    return this.#tokens;
  }

  async #deviceKeyPair() {
    const keyPair = await this.#link.keyPair();
    if (!keyPair) throw new AnonymousUsersError("no-device-key", "This device was forgotten: its key is gone");
    return keyPair;
  }

  get accessToken() { return this.#live().accessToken; }
  get refreshToken() { return this.#live().refreshToken; }
  get idToken() { return this.#live().idToken; }
  /** DPoP for tokens bound to the device key, Bearer otherwise. */
  get tokenType() { return this.#live().tokenType; }
  get expiresAt() { return new Date(this.#live().expiresAt); }
  /** The ID token's claims (sub, is_anonymous, …), as the token endpoint sent them. */
  get claims() { this.#live(); return this.#claims; }
  get sub() { return this.claims.sub; }
  get isAnonymous() { return this.claims.is_anonymous === true; }

  /**
   * New tokens now. A refresh needs a proof by the device key; when Keycloak refuses the refresh token (the session
   * ended: idle, expired, logged out by an admin) the device signs its guest in again with the key, as the same sub.
   * Calls made while one is under way share it.
   */
  refresh() {
    this.#refreshing ??= this.#refreshOnce().finally(() => { this.#refreshing = null; });
    return this.#refreshing;
  }

  async #refreshOnce() {
    const tokens = this.#live();
    const keyPair = await this.#deviceKeyPair();
    let answer = null;
    if (tokens.refreshToken) {
      try {
        const parameters = { grant_type: "refresh_token", refresh_token: tokens.refreshToken };
        answer = await this.#link.tokenRequest(keyPair, parameters);
      } catch (error) {
        if (!(error instanceof AnonymousUsersError && error.error === "invalid_grant")) throw error;
      }
    }
    // The session ended at Keycloak (or the client issues no refresh tokens): the key signs the same guest in again.
    answer ??= await this.#link.signInAgain();
    if (this.#tokens) this.#take(answer);
  }

  /**
   * The headers that authorize one request to an API with the access token: Authorization, and for bound tokens a
   * DPoP proof for this method and URL, its ath the hash of the token. Refreshes first when the token is about to end.
   */
  async authorizationHeaders(method, url) {
    if (this.#live().expiresAt - Date.now() < MIN_VALIDITY_MS) await this.refresh();
    const { accessToken, tokenType } = this.#live();
    const headers = { Authorization: `${tokenType} ${accessToken}` };
    if (tokenType.toLowerCase() === "dpop") {
      const absolute = new URL(url, globalThis.location?.href).href;
      headers.DPoP = await dpopProof(await this.#deviceKeyPair(),
          { method, url: absolute, accessToken, clockOffset: this.#link.clockOffset() });
    }
    return headers;
  }

  /** fetch with the access token (and its proof) added: for the app's own API and for Keycloak's userinfo. */
  async fetch(input, init = {}) {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(await this.authorizationHeaders(request.method, request.url))) {
      headers.set(name, value);
    }
    return this.#link.fetch(new Request(request, { headers }));
  }

  /**
   * Ends the session at Keycloak and drops the tokens here. It revokes the refresh token (RFC 7009), which ends the
   * guest's session of this app: Keycloak's logout endpoint refuses a bound refresh token, whatever proof comes
   * with it.
   */
  async signOut() {
    const tokens = this.#tokens;
    this.#tokens = null;
    if (!tokens?.refreshToken) return;
    const response = await send(this.#link.fetch, this.#link.revokeUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: this.#link.clientId, token: tokens.refreshToken, token_type_hint: "refresh_token",
      }),
    });
    if (!response.ok) throw refusalOf(response, await jsonOf(response));
  }
}
