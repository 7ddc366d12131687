// Every answer of the public contract that is not a success becomes an AnonymousUsersError whose reason says what
// happened. The server's words (error, error_description) stay on the error for logs; apps branch on reason.

/**
 * How each refusal is told apart: by the OAuth error and, where one error has several causes, by the words the
 * extension's contract gives (docs/device-keys.md, Errors). The library's integration tests produce every one of
 * these with a real server, so a change of those words fails there first.
 */
const REFUSALS = [
  { reason: "realm-full", status: 429, description: /\(maxGuests\)/ },
  { reason: "too-many-requests", status: 429 },
  { reason: "anonymous-users-disabled", description: /^Anonymous users are disabled/ },
  { reason: "client-not-allowed", error: "unauthorized_client" },
  { reason: "client-not-allowed", error: "invalid_client" },
  { reason: "device-key-revoked", error: "invalid_grant", description: /^This device key was revoked/ },
  { reason: "account-disabled", error: "invalid_grant", description: /^The account of this device key is disabled/ },
  { reason: "dpop-proof-refused", error: "invalid_request", description: /DPoP/ },
  { reason: "not-found", status: 404 },
];

const ADVICE = {
  "anonymous-users-disabled": "anonymous users are off for this realm (the admin switches them on)",
  "client-not-allowed": "this client may not sign device guests in (check clientId and the realm's settings)",
  "too-many-requests": "too many requests; try again later",
  "realm-full": "the realm holds its maximum of guests; try again later",
  "device-key-revoked": "this device's guest is gone (deleted, or promoted): forget the device and start again",
  "account-disabled": "this device's account is disabled",
  "dpop-proof-refused": "the DPoP proof was refused",
  "not-found": "nothing there: check url (no /auth since Keycloak 17) and realm",
  refused: "the request was refused",
};

/** An error of this library. reason is one of the names in index.d.ts; the rest says what came back. */
export class AnonymousUsersError extends Error {
  constructor(reason, message, {
    status = null, error = null, errorDescription = null, retryAfterSeconds = null, url = null, cause,
  } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "AnonymousUsersError";
    this.reason = reason;
    this.status = status;
    this.error = error;
    this.errorDescription = errorDescription;
    this.retryAfterSeconds = retryAfterSeconds;
    this.url = url;
  }
}

/** The reason of a refusal: the first entry of REFUSALS that fits, else refused. */
function reasonOf(status, error, description) {
  const fits = (rule) => (rule.status === undefined || rule.status === status)
      && (rule.error === undefined || rule.error === error)
      && (rule.description === undefined || rule.description.test(description));
  return REFUSALS.find(fits)?.reason ?? "refused";
}

/**
 * Retry-After in seconds. Browsers show that header to scripts only when the server exposes it (the extension does
 * since 0.2.0, earlier versions did not), so the description's "retry after N seconds" stands in where it is hidden.
 */
function retryAfterOf(response, description) {
  const header = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  if (Number.isFinite(header)) return header;
  const said = /retry after (\d+) seconds/i.exec(description);
  return said ? Number(said[1]) : null;
}

/** The error for Keycloak's JSON answer that is not a success. */
export function refusalOf(response, body) {
  const url = response.url;
  const fields = body !== null && typeof body === "object" ? body : {};
  const error = typeof fields.error === "string" ? fields.error : null;
  const errorDescription = typeof fields.error_description === "string" ? fields.error_description : "";
  const reason = reasonOf(response.status, error, errorDescription);
  const said = [error, errorDescription].filter(Boolean).join(": ");
  return new AnonymousUsersError(reason, `${url} answered ${response.status} (${ADVICE[reason]}): ${said}`, {
    status: response.status, error, errorDescription, url, retryAfterSeconds: retryAfterOf(response, errorDescription),
  });
}

/**
 * The JSON Keycloak answered, error or not. Anything else — a wrong base URL behind a proxy, a Keycloak still
 * starting (503 text), a proxy's page — is an unexpected-answer error that quotes what came back.
 */
export async function jsonOf(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new AnonymousUsersError("unexpected-answer",
        `${response.url} answered ${response.status} without JSON: ${text.slice(0, 200)}`,
        { status: response.status, url: response.url });
  }
}

/** fetch, with a failure to reach the server (offline, wrong host, a CORS refusal) as a network-error. */
export async function send(fetchImpl, url, init) {
  try {
    return await fetchImpl(url, init);
  } catch (cause) {
    // Node.js puts the reason (ECONNREFUSED, ENOTFOUND) in the cause's cause; browsers say nothing more.
    const detail = [cause?.message ?? String(cause), cause?.cause?.code].filter(Boolean).join(", ");
    throw new AnonymousUsersError("network-error", `Could not reach ${url} (${detail}): offline, a wrong url,`
        + " or, in a browser, a page whose origin is not among the client's Web origins", { url, cause });
  }
}

/** A request whose success is Keycloak's JSON: that JSON, or the error for what came back instead. */
export async function keycloaksJson(fetchImpl, url, init) {
  const response = await send(fetchImpl, url, init);
  const body = await jsonOf(response);
  if (!response.ok) throw refusalOf(response, body);
  return body;
}
