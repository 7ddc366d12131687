// The demo app: keycloak-js with one extra line for guests, loginHint: 'anonymous'.
import Keycloak from "/vendor/keycloak-js/keycloak.js";

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
  const saved = await api("GET");
  $("saved-preference").textContent = saved.preference ?? "nothing yet";
}

$("continue-as-guest").addEventListener("click", () => keycloak.login({ loginHint: "anonymous" }));
$("sign-in").addEventListener("click", () => keycloak.login());
$("sign-out").addEventListener("click", () => keycloak.logout({ redirectUri: window.location.origin + "/" }));
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

try {
  await keycloak.init({ onLoad: "check-sso", pkceMethod: "S256", checkLoginIframe: false });
  await render();
} catch (e) {
  show(`Could not reach Keycloak: ${e?.error ?? e?.message ?? e}`);
}
