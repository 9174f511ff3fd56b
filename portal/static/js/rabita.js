// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Collapse the main navigation behind a button on small screens.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    var small = window.matchMedia("(max-width: 47.99rem)");
    var apply = function () {
      toggle.hidden = !small.matches;
      nav.hidden = small.matches && toggle.getAttribute("aria-expanded") !== "true";
    };
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
      apply();
    });
    small.addEventListener("change", apply);
    apply();
  }
})();
