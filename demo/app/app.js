// The demo app. keycloak-js does what happens in the browser: "Continue as guest" (one extra line, loginHint:
// 'anonymous'), sign in, and "Sign up to keep your account" (the action promote-anonymous, same account, same sub).
// The client library keycloak-anonymous-users does "Remember this device": a key in IndexedDB that no script can read,
// tokens bound to it (DPoP) that the library refreshes, and the proof that goes with each call to the API.
import Keycloak from "keycloak-js";
import { AnonymousUsersError, DeviceGuest } from "keycloak-anonymous-users";

const config = await (await fetch("/config.json")).json();
const keycloak = new Keycloak(config);
const device = new DeviceGuest(config);
/** The session of this device's guest when it signed in with its key; keycloak-js holds every other session. */
let deviceSession = null;
const $ = (id) => document.getElementById(id);

function show(error) {
  $("error").textContent = error;
  $("error").hidden = !error;
}

async function api(method, body) {
  let response;
  if (deviceSession) {
    response = await deviceSession.fetch("/api/preference", { method, body }); // Authorization: DPoP, and a proof
  } else {
    await keycloak.updateToken(30);
    response = await fetch("/api/preference", { method, headers: { Authorization: `Bearer ${keycloak.token}` }, body });
  }
  const answer = await response.json();
  if (!response.ok) throw new Error(`The API answered ${response.status}: ${answer.error_description ?? answer.error}`);
  return answer;
}

async function render() {
  const signedIn = Boolean(deviceSession) || keycloak.authenticated;
  $("signed-out").hidden = signedIn;
  $("signed-in").hidden = !signedIn;
  if (!signedIn) return;
  const token = deviceSession ? deviceSession.claims : keycloak.idTokenParsed;
  $("sub").textContent = token.sub;
  $("is-anonymous").textContent = String(token.is_anonymous);
  $("username").textContent = token.preferred_username;
  $("email").textContent = token.email ?? "none";
  $("tokens").textContent = deviceSession ? `${deviceSession.tokenType}, bound to this device's key` : "Bearer";
  $("sign-up").hidden = token.is_anonymous !== true;
  // Present only at the sign-in that replaced a guest ("Sign in to that account instead"): a real app's back end
  // would now move the data of that guest to this account.
  $("replaced-guest").textContent = token.anonymous_sub ?? "";
  $("replaced-guest-line").hidden = !token.anonymous_sub;
  const remembered = await device.hasKey();
  $("device").textContent = remembered ? "remembered" : "not remembered";
  $("sign-out").textContent = remembered ? "Sign out and forget this device" : "Sign out";
  const saved = await api("GET");
  $("saved-preference").textContent = saved.preference ?? "nothing yet";
}

$("continue-as-guest").addEventListener("click", () => keycloak.login({ loginHint: "anonymous" }));
$("sign-in").addEventListener("click", () => keycloak.login());
// The guest signs up: same account, same sub, so everything saved stays. A remembered device has no browser
// session, so its key signs the guest in on the way (the device's promotion login hint).
$("sign-up").addEventListener("click", async () => {
  try {
    const loginHint = deviceSession ? await device.promotionLoginHint() : undefined;
    await keycloak.login({ action: "promote-anonymous", loginHint });
  } catch (e) {
    show(e.message);
  }
});
$("sign-out").addEventListener("click", async () => {
  if (deviceSession) {
    deviceSession = null;
    await device.forget(); // ends the device's session at Keycloak and removes its key
    await render();
    return;
  }
  await device.forget();
  keycloak.logout({ redirectUri: window.location.origin + "/" });
});
$("remember-device").addEventListener("click", async () => {
  show("");
  try {
    deviceSession = await device.signIn(); // makes the key and the guest; the same guest on every later visit
    await render();
  } catch (e) {
    show(e.message);
  }
});
$("preference-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const saved = await api("PUT", $("preference").value);
    $("saved-preference").textContent = saved.preference ?? "nothing yet";
    $("preference-status").textContent = "Saved";
  } catch (e) {
    show(e.message);
  }
});

keycloak.onAuthError = (error) => show(error?.error_description ?? "");
// After a promotion the device key is removed from the account: forget it here too.
keycloak.onActionUpdate = async (status, action) => {
  if (action === "promote-anonymous" && status === "success") await device.forget();
  if (action === "promote-anonymous" && status === "error") show("This account cannot be promoted.");
};
const returningFromKeycloak = /[#&?]state=/.test(window.location.href);
// A remembered device's sign-up that was cancelled comes back with an error and no code: the browser has no session
// of the guest (a device's link never leaves one behind), so the device signs its guest in again.
const returnedWithoutCode = returningFromKeycloak && !/[#&?]code=/.test(window.location.href);

try {
  if (await device.hasKey() && (!returningFromKeycloak || returnedWithoutCode)) {
    if (returnedWithoutCode) window.history.replaceState(null, "", window.location.pathname);
    // keycloak-js is made ready (its sign-up needs it) but checks no session: the device has its own.
    await keycloak.init({ pkceMethod: "S256", checkLoginIframe: false });
    deviceSession = await device.signIn({ create: false }); // a remembered device signs in silently, as the same guest
  } else {
    await keycloak.init({ onLoad: "check-sso", pkceMethod: "S256", checkLoginIframe: false });
  }
  await render();
} catch (e) {
  if (e instanceof AnonymousUsersError && e.reason === "device-key-revoked") {
    // The guest of this device is gone (deleted by an admin, or signed up on another page): start afresh.
    await device.forget();
    deviceSession = null;
    await render();
    show("This device's guest no longer exists, so the device was forgotten.");
  } else {
    show(e instanceof AnonymousUsersError ? e.message : `Could not reach Keycloak: ${e?.error ?? e?.message ?? e}`);
  }
}
