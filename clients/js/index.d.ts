// Types of keycloak-anonymous-users. The behaviour behind each name is in README.md.

/** Where and as which app the device's guest signs in. */
export interface DeviceGuestOptions {
  /** Keycloak's base URL, e.g. https://auth.example.com (no /auth since Keycloak 17). */
  url: string;
  realm: string;
  /** The app's client in the realm (public; the realm's settings may restrict device keys to some clients). */
  clientId: string;
  /** Where the key pair is kept. Default: IndexedDB (browsers), one entry per realm. */
  keyStore?: KeyStore;
  /** Bind the tokens to the device key with DPoP (default true). */
  bind?: boolean;
  /** Extra scopes to ask for (openid is always granted). */
  scope?: string;
  /** The fetch to use (default: the global fetch). */
  fetch?: typeof fetch;
}

/** Keeps one key pair. indexedDbKeyStore and memoryKeyStore are two; a native shell may bring its own. */
export interface KeyStore {
  load(): Promise<CryptoKeyPair | undefined>;
  save(keyPair: CryptoKeyPair): Promise<void>;
  remove(): Promise<void>;
}

export declare const DEVICE_KEY_GRANT: "urn:anonymous-users:params:oauth:grant-type:device-key";

export declare class DeviceGuest {
  constructor(options: DeviceGuestOptions);
  readonly url: string;
  readonly realm: string;
  readonly clientId: string;
  readonly bind: boolean;
  readonly realmUrl: string;
  readonly tokenUrl: string;
  /** Seconds to add to this device's clock to get the server's (0 until a challenge told otherwise). */
  readonly clockOffset: number;
  /** Whether this device holds a key (has signed a guest in and was not forgotten). */
  hasKey(): Promise<boolean>;
  /**
   * Signs the device's guest in with one request (a challenge first only when the clock is off). The first call
   * makes the key and the guest; with create: false a device without a key fails with reason no-device-key.
   */
  signIn(options?: { create?: boolean }): Promise<DeviceSession>;
  /** The device key's RFC 7638 thumbprint: its kid at the server and its tokens' cnf.jkt. */
  keyThumbprint(): Promise<string>;
  /** login_hint for kc_action=promote-anonymous: "anonymous:" and an assertion with the action promote. */
  promotionLoginHint(): Promise<string>;
  /** Removes the key from the key store and ends the session this guest signed in last. */
  forget(): Promise<void>;
}

/** Claims of the ID token the library reads; the rest are there too. */
export interface GuestClaims {
  sub: string;
  is_anonymous?: boolean;
  preferred_username?: string;
  email?: string;
  [claim: string]: unknown;
}

export declare class DeviceSession {
  private constructor();
  readonly accessToken: string;
  readonly refreshToken: string | null;
  readonly idToken: string | null;
  /** "DPoP" for tokens bound to the device key, "Bearer" otherwise. */
  readonly tokenType: string;
  readonly expiresAt: Date;
  readonly claims: GuestClaims;
  readonly sub: string;
  readonly isAnonymous: boolean;
  /** New tokens now; a session that ended at Keycloak is replaced by a new sign-in with the key (same sub). */
  refresh(): Promise<void>;
  /** Authorization (and DPoP proof, ath included) for one request; refreshes first when the token is about to end. */
  authorizationHeaders(method: string, url: string): Promise<{ Authorization: string; DPoP?: string }>;
  /** fetch with those headers added. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Ends the session at Keycloak and drops its tokens. */
  signOut(): Promise<void>;
}

/** What went wrong, as a name an app can branch on. */
export type AnonymousUsersErrorReason =
  | "anonymous-users-disabled"
  | "client-not-allowed"
  | "too-many-requests"
  | "realm-full"
  | "device-key-revoked"
  | "account-disabled"
  | "dpop-proof-refused"
  | "not-found"
  | "refused"
  | "unexpected-answer"
  | "network-error"
  | "no-device-key"
  | "no-webcrypto"
  | "signed-out";

export declare class AnonymousUsersError extends Error {
  readonly name: "AnonymousUsersError";
  readonly reason: AnonymousUsersErrorReason;
  /** The HTTP status, when an answer came back. */
  readonly status: number | null;
  /** The OAuth error and its description, when Keycloak sent them. */
  readonly error: string | null;
  readonly errorDescription: string | null;
  /** For too-many-requests and realm-full: when to try again. */
  readonly retryAfterSeconds: number | null;
  readonly url: string | null;
}

/** A new P-256 key pair whose private key cannot be exported. */
export declare function createDeviceKeyPair(): Promise<CryptoKeyPair>;
/** The browser's key store: IndexedDB database keycloak-anonymous-users, this entry. */
export declare function indexedDbKeyStore(entry: string): KeyStore;
/** A key store that lives as long as the object. */
export declare function memoryKeyStore(keyPair?: CryptoKeyPair): KeyStore;

/** A device assertion (typ device-key+jwt) for the protocol by hand; DeviceGuest makes its own. */
export declare function deviceAssertion(
  keyPair: CryptoKeyPair,
  options?: { action?: "auth" | "promote"; challenge?: string | null; clockOffset?: number },
): Promise<string>;
/** A DPoP proof (RFC 9449) by the key for one request; ath when an access token is given. */
export declare function dpopProof(
  keyPair: CryptoKeyPair,
  options: { method: string; url: string; accessToken?: string | null; clockOffset?: number },
): Promise<string>;
