// "Continue as guest" on Keycloak's login page. Added by the anonymous-guest step of the browser flow only when
// the realm has anonymous users enabled; the server passes the guest request URL and the localised label in
// this script's own query string. The button borrows the classes of the page's sign-in button, so it looks
// native in keycloak.v2, in the base theme and in the themes that extend them.
(function () {
  "use strict";
  var source = new URL(document.currentScript.src);
  var href = source.searchParams.get("href");
  var label = source.searchParams.get("label") || "Continue as guest";
  if (!href) {
    return;
  }

  function secondaryClasses(primary) {
    if (!primary) {
      return "pf-v5-c-button pf-m-secondary pf-m-block";
    }
    return primary.className
      .replace(/\bpf-m-primary\b/g, "pf-m-secondary")
      .replace(/\bbtn-primary\b/g, "btn-default");
  }

  function addButton() {
    if (document.getElementById("kc-continue-as-guest")) {
      return;
    }
    var anchor = document.getElementById("kc-form-login")
      || document.getElementById("kc-form-wrapper")
      || document.getElementById("kc-content-wrapper");
    if (!anchor) {
      return;
    }
    var wrapper = document.createElement("div");
    wrapper.id = "kc-continue-as-guest-container";
    wrapper.style.marginTop = "1rem";
    var link = document.createElement("a");
    link.id = "kc-continue-as-guest";
    link.href = href;
    link.className = secondaryClasses(document.getElementById("kc-login"));
    link.textContent = label;
    wrapper.appendChild(link);
    anchor.insertAdjacentElement(anchor.tagName === "FORM" ? "afterend" : "beforeend", wrapper);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButton);
  } else {
    addButton();
  }
})();
