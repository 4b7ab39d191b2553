/* Ratusz maps: one Leaflet map per .ratusz-map element, configured by its
   data-ratusz-map attribute (ratusz.gis.maps.map_config):
   tiles (xyz / wms / wmts), markers (a GeoJSON URL, clustered), overlays
   (polygons, choropleths), pick (a point picker filling two inputs).
   Everything taken from the data is put into the page as text, never as HTML:
   titles and descriptions are written by editors and residents. */
(function () {
  "use strict";

  // The feature properties that name an area, as the server reads them
  // (ratusz.gis.layerdata.NAME_PROPERTIES; JPT_NAZWA_ is the national register's).
  var NAME_PROPERTIES = ["name", "nazwa", "NAZWA", "Name", "NAME", "JPT_NAZWA_", "title", "Title"];

  function text(tag, value, className) {
    var element = document.createElement(tag);
    element.textContent = value == null ? "" : String(value);
    if (className) {
      element.className = className;
    }
    return element;
  }

  function format(template, values) {
    return String(template || "").replace(/\$\{(\w+)\}/g, function (all, key) {
      return values[key] == null ? "" : values[key];
    });
  }

  function safeUrl(url) {
    // Only links the site itself made (http(s) or a path); never javascript:.
    return /^(https?:\/\/|\/)/.test(url || "") ? url : null;
  }

  function plainAttribution(value) {
    // Leaflet writes attributions as HTML: give it text only.
    var holder = document.createElement("span");
    holder.textContent = value || "";
    return holder.innerHTML;
  }

  function tileLayer(layer) {
    var options = { attribution: plainAttribution(layer.attribution), maxZoom: 19 };
    if (layer.kind === "wms") {
      return L.tileLayer.wms(layer.url, {
        layers: layer.layers,
        format: "image/png",
        transparent: false,
        attribution: options.attribution,
        maxZoom: 19,
      });
    }
    return L.tileLayer(layer.url, options);
  }

  function popupOf(properties) {
    var popup = document.createElement("div");
    popup.className = "ratusz-map-popup";
    var kind = properties.type_title || "";
    if (properties.category_title) {
      kind += " · " + properties.category_title;
    }
    popup.appendChild(text("p", kind, "ratusz-map-popup-type"));
    var heading = document.createElement("p");
    heading.className = "ratusz-map-popup-title";
    var url = safeUrl(properties.url);
    if (url) {
      var link = text("a", properties.title);
      link.href = url;
      heading.appendChild(link);
    } else {
      heading.textContent = properties.title || "";
    }
    popup.appendChild(heading);
    if (properties.address) {
      popup.appendChild(text("p", properties.address, "ratusz-map-popup-address"));
    }
    if (properties.description) {
      popup.appendChild(text("p", properties.description, "ratusz-map-popup-description"));
    }
    return popup;
  }

  function markerIcon(colour) {
    var colourOk = /^#[0-9a-fA-F]{6}$/.test(colour || "") ? colour : "#333333";
    return L.divIcon({
      className: "ratusz-marker",
      html: '<span class="ratusz-marker-dot" style="background-color:' + colourOk + '"></span>',
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10],
    });
  }

  function clusterIcon(labels) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var inner = document.createElement("div");
      inner.appendChild(text("span", count));
      inner.appendChild(text("span", format(labels.cluster, { count: count }), "visually-hidden"));
      return L.divIcon({
        html: inner.outerHTML,
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
      });
    };
  }

  function say(element, message) {
    var status = element.nextElementSibling;
    if (status && status.classList.contains("ratusz-map-status") && message) {
      status.textContent = message;
      status.classList.remove("visually-hidden");
    }
  }

  function classOf(value, classes) {
    for (var i = 0; i < classes.length; i++) {
      var entry = classes[i];
      if (value >= entry.min && value <= entry.max) {
        return entry;
      }
    }
    return null;
  }

  function drawOverlay(map, overlay, control, labels, element) {
    return fetch(overlay.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var style = overlay.style || {};
        var choropleth = overlay.choropleth;
        var layer = L.geoJSON(data, {
          style: function (feature) {
            var own = {
              color: style.color || "#444444",
              weight: style.weight || 2,
              fillColor: style.fillColor || style.color || "#444444",
              fillOpacity: style.fillOpacity == null ? 0.15 : style.fillOpacity,
            };
            if (choropleth && feature.properties) {
              var found = classOf(feature.properties[choropleth.property], choropleth.classes || []);
              if (found) {
                own.fillColor = found.color;
                own.fillOpacity = 0.7;
              }
            }
            return own;
          },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 5 });
          },
          onEachFeature: function (feature, shape) {
            var properties = feature.properties || {};
            var name = null;
            (overlay.name_properties || NAME_PROPERTIES).some(function (key) {
              if (key && properties[key] != null && properties[key] !== "") {
                name = properties[key];
                return true;
              }
              return false;
            });
            if (name != null) {
              var tip = text("span", name);
              if (choropleth && properties[choropleth.property] != null) {
                tip.textContent += ": " + properties[choropleth.property];
              }
              shape.bindTooltip(tip, { sticky: true });
            }
          },
        });
        layer.addTo(map);
        layer.bringToBack();
        if (control) {
          control.addOverlay(layer, plainAttribution(overlay.title));
        }
        element.dataset.overlaysDrawn = String(Number(element.dataset.overlaysDrawn || 0) + 1);
        return layer;
      })
      .catch(function () {
        say(element, format(labels.overlay_failed, { title: overlay.title }));
      });
  }

  function drawMarkers(map, config, element, labels) {
    var finished = null;
    var cluster = L.markerClusterGroup({
      iconCreateFunction: clusterIcon(labels),
      // Thousands of markers are added in slices, so the page stays responsive.
      chunkedLoading: true,
      chunkProgress: function (processed, total) {
        if (processed >= total && finished) {
          finished();
        }
      },
      showCoverageOnHover: false,
    });
    var byType = {};
    map.addLayer(cluster);
    return fetch(config.markers, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var all = [];
        (data.features || []).forEach(function (feature) {
          if (!feature.geometry || feature.geometry.type !== "Point") {
            return;
          }
          var properties = feature.properties || {};
          var coordinates = feature.geometry.coordinates;
          var marker = L.marker([coordinates[1], coordinates[0]], {
            icon: markerIcon((config.colours || {})[properties.type]),
            title: properties.title || labels.marker,
            alt: properties.title || labels.marker,
            keyboard: true,
          });
          marker.bindPopup(popupOf(properties));
          marker.feature = feature;
          (byType[properties.type] = byType[properties.type] || []).push(marker);
          all.push(marker);
        });
        // Every type is loaded, the chosen ones shown: a type switched on later appears at once.
        var visible = config.visible_types;
        var shown = visible
          ? all.filter(function (marker) { return visible.indexOf(marker.feature.properties.type) !== -1; })
          : all;
        element.dataset.markers = String(shown.length);
        if (shown.length) {
          // From the points themselves: the cluster group knows its bounds only once
          // every slice is in.
          var bounds = L.latLngBounds(shown.map(function (marker) { return marker.getLatLng(); }));
          map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
        }
        var drawn = { cluster: cluster, byType: byType };
        if (!shown.length) {
          return drawn;
        }
        return new Promise(function (resolve) {
          finished = function () {
            finished = null;
            resolve(drawn);
          };
          cluster.addLayers(shown);
        });
      })
      .catch(function () {
        element.dataset.markers = "0";
        say(element, labels.markers_failed);
        return { cluster: cluster, byType: byType };
      });
  }

  function followTypeSwitches(element, drawn) {
    // The filter form's type checkboxes switch their markers (and list entries) at once;
    // "Show" reloads the page with the same filters for the server's list and counts.
    var form = document.getElementById("ratusz-map-filters");
    if (!form) {
      return;
    }
    form.querySelectorAll('input[name="portal_type:list"]').forEach(function (box) {
      box.addEventListener("change", function () {
        var markers = drawn.byType[box.value] || [];
        if (box.checked) {
          drawn.cluster.addLayers(markers);
        } else {
          drawn.cluster.removeLayers(markers);
        }
        element.dataset.markers = String(drawn.cluster.getLayers().length);
        document.querySelectorAll('.ratusz-map-item[data-type="' + CSS.escape(box.value) + '"]').forEach(function (item) {
          item.hidden = !box.checked;
        });
      });
    });
  }

  function setUpPicker(map, pick, labels, element) {
    var latitude = document.querySelector(pick.latitude);
    var longitude = document.querySelector(pick.longitude);
    if (!latitude || !longitude) {
      return;
    }
    var marker = null;
    function put(latlng, fromInputs) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, title: labels.marker, alt: labels.marker, keyboard: true });
        marker.addTo(map);
        marker.on("dragend", function () {
          put(marker.getLatLng(), false);
        });
      } else {
        marker.setLatLng(latlng);
      }
      if (!fromInputs) {
        latitude.value = latlng.lat.toFixed(6);
        longitude.value = latlng.lng.toFixed(6);
        latitude.dispatchEvent(new Event("change", { bubbles: true }));
        longitude.dispatchEvent(new Event("change", { bubbles: true }));
      }
      element.dataset.picked = latitude.value + "," + longitude.value;
      say(element, format(labels.picked, { latitude: latitude.value, longitude: longitude.value }));
    }
    function fromInputs() {
      var lat = parseFloat(String(latitude.value).replace(",", "."));
      var lng = parseFloat(String(longitude.value).replace(",", "."));
      if (isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
        put(L.latLng(lat, lng), true);
        map.panTo([lat, lng]);
      }
    }
    map.on("click", function (event) {
      put(event.latlng, false);
    });
    map.getContainer().addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === map.getContainer()) {
        event.preventDefault();
        put(map.getCenter(), false);
      }
    });
    latitude.addEventListener("input", fromInputs);
    longitude.addEventListener("input", fromInputs);
    fromInputs();
    map.getContainer().setAttribute("title", labels.pick_hint);
  }

  function setUp(element) {
    if (element.dataset.ready || typeof L === "undefined") {
      return;
    }
    element.dataset.ready = "1";
    var config;
    try {
      config = JSON.parse(element.dataset.ratuszMap || "{}");
    } catch (error) {
      return;
    }
    var labels = config.labels || {};
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView(
      config.center || [52, 19],
      config.zoom || 6
    );
    L.control.zoom({ zoomInTitle: labels.zoom_in, zoomOutTitle: labels.zoom_out }).addTo(map);
    var bases = {};
    var first = null;
    var tilesFailed = false;
    function tilesDown() {
      if (!tilesFailed) {
        tilesFailed = true;
        element.dataset.tilesFailed = "1";
        say(element, labels.tiles_failed);
      }
    }
    (config.tiles || []).forEach(function (layer) {
      try {
        var tiles = tileLayer(layer);
        tiles.on("tileerror", tilesDown);
        bases[plainAttribution(layer.name)] = tiles;
        first = first || tiles;
      } catch (error) {
        // A tile address Leaflet cannot use: no background, everything else works.
        tilesDown();
      }
    });
    if (first) {
      try {
        first.addTo(map);
      } catch (error) {
        tilesDown();
      }
    }
    var control = null;
    if (Object.keys(bases).length > 1 || (config.overlays || []).length) {
      control = L.control.layers(bases, {}, { collapsed: true }).addTo(map);
      var toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
      if (toggle) {
        toggle.setAttribute("title", labels.layers);
        toggle.setAttribute("aria-label", labels.layers);
      }
    }
    (config.overlays || []).forEach(function (overlay) {
      drawOverlay(map, overlay, control, labels, element);
    });
    if (config.markers) {
      drawMarkers(map, config, element, labels).then(function (drawn) {
        followTypeSwitches(element, drawn);
        element.dataset.loaded = "1";
      });
    } else {
      element.dataset.loaded = "1";
    }
    if (config.pick) {
      setUpPicker(map, config.pick, labels, element);
    }
    element.ratuszMap = map;
  }

  function setUpAll() {
    document.querySelectorAll(".ratusz-map").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
