// The directory map (progressive enhancement: the list below it works without this).
// Markers come from the <script type="application/json"> the server embeds, built
// with the same filters as the list; tiles from the server named in data-tile-url.
(function () {
  "use strict";
  var element = document.getElementById("directory-map");
  var source = document.getElementById("directory-map-data");
  if (!element || !source || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var data = JSON.parse(source.textContent);
  var options = element.dataset;
  var rtl = document.documentElement.dir === "rtl";

  element.hidden = false;
  // Leaflet positions tiles and controls for left-to-right; its controls are
  // mirrored below instead, and popup text gets its own direction.
  element.setAttribute("dir", "ltr");
  var map = L.map(element, { zoomControl: false, attributionControl: false, scrollWheelZoom: false });
  L.control
    .zoom({
      position: rtl ? "topright" : "topleft",
      zoomInTitle: options.zoomIn,
      zoomOutTitle: options.zoomOut,
    })
    .addTo(map);
  L.control.attribution({ position: rtl ? "bottomleft" : "bottomright", prefix: false }).addTo(map);
  L.tileLayer(options.tileUrl, { attribution: options.tileAttribution, maxZoom: 18 }).addTo(map);

  var icon = L.icon({
    iconUrl: options.iconUrl,
    iconRetinaUrl: options.iconRetinaUrl,
    shadowUrl: options.shadowUrl,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41],
  });

  function popup(marker) {
    // Built as elements, never as HTML: names come from the directory's data.
    var box = document.createElement("div");
    box.setAttribute("dir", "auto");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    box.appendChild(link);
    if (marker.place) {
      var place = document.createElement("span");
      place.className = "map-popup__place";
      place.textContent = marker.place;
      box.appendChild(place);
    }
    if (!marker.exact && !marker.count) {
      var approximate = document.createElement("span");
      approximate.className = "map-popup__place";
      approximate.textContent = options.approximate;
      box.appendChild(approximate);
    }
    return box;
  }

  var points = [];
  data.markers.forEach(function (marker) {
    var label = marker.count ? marker.name + " (" + marker.count + ")" : marker.name;
    L.marker([marker.lat, marker.lng], { icon: icon, title: label, alt: label, keyboard: true })
      .bindPopup(popup(marker))
      .addTo(map);
    points.push([marker.lat, marker.lng]);
  });
  if (points.length) {
    map.fitBounds(points, { padding: [30, 30], maxZoom: 11 });
  } else {
    map.setView([31.8, -7.1], 5); // Morocco
  }
})();
