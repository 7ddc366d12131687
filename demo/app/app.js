// The demo app: keycloak-js with one extra line for guests, loginHint: 'anonymous'; "Remember this device": a
// WebCrypto key in IndexedDB and the device-key grant; and "Sign up to keep your account": the application-initiated
// action promote-anonymous, which turns the guest into a regular user with the same sub.
import Keycloak from "/vendor/keycloak-js/keycloak.js";
import { createDeviceKey, promotionLoginHint, signInWithDeviceKey } from "/device-key.js";
import { forgetDeviceKey, loadDeviceKey, saveDeviceKey } from "/device-key-store.js";

const config = await (await fetch("/config.json")).json();
const keycloak = new Keycloak(config);
const $ = (id) => document.getElementById(id);

function show(error) {
  $("error").textContent = error;
  $("error").hidden = !error;
}

async function api(method, body) {
  await keycloak.updateToken(30);
  const response = await fetch("/api/preference", {
    method,
    headers: { Authorization: `Bearer ${keycloak.token}` },
    body,
  });
  if (!response.ok) throw new Error(`The API answered ${response.status}`);
  return response.json();
}

async function render() {
  $("signed-out").hidden = keycloak.authenticated;
  $("signed-in").hidden = !keycloak.authenticated;
  if (!keycloak.authenticated) return;
  const token = keycloak.idTokenParsed;
  $("sub").textContent = token.sub;
  $("is-anonymous").textContent = String(token.is_anonymous);
  $("username").textContent = token.preferred_username;
  $("email").textContent = token.email ?? "none";
  $("sign-up").hidden = token.is_anonymous !== true;
  // Present only at the sign-in that replaced a guest ("Sign in to that account instead"): a real app's back end
  // would now move the data of that guest to this account.
  $("replaced-guest").textContent = token.anonymous_sub ?? "";
  $("replaced-guest-line").hidden = !token.anonymous_sub;
  const remembered = Boolean(await loadDeviceKey());
  $("device").textContent = remembered ? "remembered" : "not remembered";
  $("sign-out").textContent = remembered ? "Sign out and forget this device" : "Sign out";
  const saved = await api("GET");
  $("saved-preference").textContent = saved.preference ?? "nothing yet";
}

$("continue-as-guest").addEventListener("click", () => keycloak.login({ loginHint: "anonymous" }));
$("sign-in").addEventListener("click", () => keycloak.login());
// The guest signs up: same account, same sub, so everything saved stays. A remembered device has no browser
// session, so its key signs the guest in on the way (the device-key login hint with the action promote).
$("sign-up").addEventListener("click", async () => {
  try {
    const remembered = await loadDeviceKey();
    const loginHint = remembered ? await promotionLoginHint(config, remembered) : undefined;
    await keycloak.login({ action: "promote-anonymous", loginHint });
  } catch (e) {
    show(e.message);
  }
});
$("sign-out").addEventListener("click", async () => {
  await forgetDeviceKey();
  keycloak.logout({ redirectUri: window.location.origin + "/" });
});

// Keycloak-js takes tokens from any grant; it refreshes them with the refresh token as usual.
async function startWithDeviceKey(keyPair) {
  const tokens = await signInWithDeviceKey(config, keyPair);
  await keycloak.init({ token: tokens.access_token, refreshToken: tokens.refresh_token, idToken: tokens.id_token,
    checkLoginIframe: false, pkceMethod: "S256" });
}

$("remember-device").addEventListener("click", async () => {
  try {
    await saveDeviceKey(await createDeviceKey());
    window.location.reload(); // the page signs in with the remembered key as it loads
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
  if (action === "promote-anonymous" && status === "success") await forgetDeviceKey();
  if (action === "promote-anonymous" && status === "error") show("This account cannot be promoted.");
};
const returningFromKeycloak = /[#&?]state=/.test(window.location.href);
// A remembered device's sign-up that was cancelled comes back with an error and no code: the browser has no session
// of the guest (a device's link never leaves one behind), so the device signs its guest in again.
const returnedWithoutCode = returningFromKeycloak && !/[#&?]code=/.test(window.location.href);

try {
  const remembered = await loadDeviceKey();
  if (remembered && (!returningFromKeycloak || returnedWithoutCode)) {
    if (returnedWithoutCode) window.history.replaceState(null, "", window.location.pathname);
    await startWithDeviceKey(remembered); // a remembered device signs in silently, as the same guest
  } else {
    await keycloak.init({ onLoad: "check-sso", pkceMethod: "S256", checkLoginIframe: false });
  }
  await render();
} catch (e) {
  show(`Could not reach Keycloak: ${e?.error ?? e?.message ?? e}`);
}
