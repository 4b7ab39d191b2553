/* Text size and high-contrast switches. The choice is kept in localStorage
   and applied before the page paints, so it does not flicker between pages. */
(function () {
  "use strict";
  var root = document.documentElement;
  var SIZES = { normal: "", large: "ratusz-font-large", largest: "ratusz-font-largest" };
  var KEY_SIZE = "ratusz.fontSize";
  var KEY_CONTRAST = "ratusz.contrast";

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
  function applySize(size) {
    if (!Object.prototype.hasOwnProperty.call(SIZES, size)) { size = "normal"; }
    Object.keys(SIZES).forEach(function (name) {
      if (SIZES[name]) { root.classList.toggle(SIZES[name], name === size); }
    });
    document.querySelectorAll("[data-ratusz-font-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.ratuszFontSize === size));
    });
  }
  function applyContrast(on) {
    root.classList.toggle("ratusz-contrast", on);
    var button = document.getElementById("ratusz-contrast-toggle");
    if (button) { button.setAttribute("aria-pressed", String(on)); }
  }

  applySize(stored(KEY_SIZE) || "normal");
  applyContrast(stored(KEY_CONTRAST) === "on");

  function bind() {
    applySize(stored(KEY_SIZE) || "normal");
    applyContrast(stored(KEY_CONTRAST) === "on");
    document.querySelectorAll("[data-ratusz-font-size]").forEach(function (button) {
      button.addEventListener("click", function () {
        store(KEY_SIZE, button.dataset.ratuszFontSize);
        applySize(button.dataset.ratuszFontSize);
      });
    });
    var toggle = document.getElementById("ratusz-contrast-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var on = !root.classList.contains("ratusz-contrast");
        store(KEY_CONTRAST, on ? "on" : "off");
        applyContrast(on);
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();

/* Map markers get a name. Leaflet draws a marker as a focusable element with
   role="button"; plone.formwidget.geolocation's markers (a div icon) have no text,
   so a screen reader announced an unnamed button (axe: aria-command-name). A marker
   with a title or label of its own keeps it. */
(function () {
  "use strict";
  var LABELS = { pl: "Znacznik na mapie", en: "Map marker", uk: "Позначка на мапі" };

  function label() {
    var language = (document.documentElement.lang || "pl").slice(0, 2);
    return LABELS[language] || LABELS.pl;
  }
  function name(marker) {
    if (!marker.getAttribute("aria-label") && !marker.getAttribute("title")) {
      marker.setAttribute("aria-label", label());
    }
  }
  // Leaflet's own icons and awesome-markers' (which drop leaflet-marker-icon); only the
  // ones that act as buttons (a shadow is not one, and may not carry a label).
  var MARKERS = ".leaflet-marker-icon[role=button], .awesome-marker[role=button]";
  function scan(node) {
    if (node.matches && node.matches(MARKERS)) { name(node); }
    if (node.querySelectorAll) { node.querySelectorAll(MARKERS).forEach(name); }
  }
  function start() {
    scan(document);
    if (!window.MutationObserver || !document.querySelector(".pat-leaflet, .leaflet-container")) {
      return;  // no map on this page
    }
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) { if (node.nodeType === 1) { scan(node); } });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
