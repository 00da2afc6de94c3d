/* BestQM's only script: everything works without it. It hides the cookie bar for the
   rest of the browser session after "Not now", closes the account menu on a click
   elsewhere or Escape, and moves focus to a form's error summary. */
(function () {
  "use strict";
  var DISMISSED = "bestqm.consentBarDismissed";
  var root = document.documentElement;
  try {
    if (window.sessionStorage.getItem(DISMISSED)) root.classList.add("consent-dismissed");
  } catch (e) { /* storage refused: the bar stays */ }

  document.addEventListener("DOMContentLoaded", function () {
    var dismiss = document.querySelector("[data-consent-dismiss]");
    if (dismiss) {
      dismiss.hidden = false;
      dismiss.addEventListener("click", function () {
        try { window.sessionStorage.setItem(DISMISSED, "1"); } catch (e) { /* hide it now only */ }
        root.classList.add("consent-dismissed");
      });
    }
    var menus = document.querySelectorAll("details[data-menu]");
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      menus.forEach(function (menu) {
        if (menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
      });
    });
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();
