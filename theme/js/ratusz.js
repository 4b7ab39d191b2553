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
    // A marker with text (a cluster's count and its hidden sentence) is named by it: a
    // label would hide the visible text (axe: label-content-name-mismatch).
    if (marker.textContent.trim()) {
      return;
    }
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

/* The location widget of edit forms (plone.formwidget.geolocation's pat-leaflet): a click
   on its map puts the point there, also when the item has no point yet (the pattern
   itself only moves an existing marker or uses an address search, which needs a
   geocoding service). The latitude and longitude inputs stay the source of truth. */
(function () {
  "use strict";

  function attach(element) {
    var pattern = element["pattern-leaflet"];
    var wrapper = element.closest(".geolocation_wrapper.edit");
    if (!pattern || !pattern.map || !wrapper || element.dataset.ratuszPick) {
      return;
    }
    element.dataset.ratuszPick = "1";
    var latitude = wrapper.querySelector("input.latitude");
    var longitude = wrapper.querySelector("input.longitude");
    function write(latlng) {
      latitude.value = latlng.lat.toFixed(6);
      longitude.value = latlng.lng.toFixed(6);
      latitude.dispatchEvent(new Event("change", { bubbles: true }));
      longitude.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function ensureMarker(latlng) {
      var marker = pattern.main_marker;
      if (marker) {
        // Out of the cluster group, straight on the map: the group does not redraw a
        // marker that was off screen (the widget's empty point is at 0, 0).
        pattern.marker_cluster.removeLayer(marker);
        marker.setLatLng(latlng);
        if (!pattern.map.hasLayer(marker)) {
          marker.addTo(pattern.map);
        }
        if (!marker.ratuszFollowed) {
          marker.ratuszFollowed = true;
          marker.on("dragend", function () { write(marker.getLatLng()); });
        }
        return marker;
      }
      marker = pattern.L.marker(latlng, { icon: pattern.create_marker("red"), draggable: true });
      marker.feature = { properties: { editable: true } };
      marker.on("dragend", function () { write(marker.getLatLng()); });
      pattern.main_marker = marker;
      pattern.marker_cluster.addLayer(marker);
      if (!pattern.map.hasLayer(pattern.marker_cluster)) {
        pattern.map.addLayer(pattern.marker_cluster);
      }
      return marker;
    }
    pattern.map.on("click", function (event) {
      ensureMarker(event.latlng);
      write(event.latlng);
    });
    function typed() {
      var lat = parseFloat(String(latitude.value).replace(",", "."));
      var lng = parseFloat(String(longitude.value).replace(",", "."));
      if (!pattern.main_marker && isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
        ensureMarker([lat, lng]);
        pattern.map.setView([lat, lng], Math.max(pattern.map.getZoom(), 15));
      }
    }
    latitude.addEventListener("input", typed);
    longitude.addEventListener("input", typed);
  }

  function start() {
    if (!document.querySelector(".geolocation_wrapper.edit .pat-leaflet")) {
      return;  // no location widget on this page
    }
    document.querySelectorAll(".geolocation_wrapper.edit .pat-leaflet").forEach(function (element) {
      if (element["pattern-leaflet"] && element["pattern-leaflet"].map) {
        attach(element);
      }
      element.addEventListener("init.leaflet.patterns", function () { attach(element); });
    });
    // the pattern may be initialised inside a tab shown later
    var tries = 0;
    var timer = window.setInterval(function () {
      document.querySelectorAll(".geolocation_wrapper.edit .pat-leaflet").forEach(attach);
      if (++tries > 40) { window.clearInterval(timer); }
    }, 500);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
