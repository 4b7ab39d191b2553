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
