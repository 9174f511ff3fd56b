// Picking an association's position on a map in the profile form (progressive
// enhancement: the latitude and longitude fields work without it). A click or a
// dragged marker fills the fields; typing in them moves the marker; without a
// position, the map shows the chosen province.
(function () {
  "use strict";
  var picker = document.querySelector(".location-picker");
  var centresSource = document.getElementById("province-centres");
  if (!picker || !centresSource || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var options = picker.dataset;
  var latitude = document.getElementById(options.latitudeInput);
  var longitude = document.getElementById(options.longitudeInput);
  var province = document.getElementById(options.provinceInput);
  var centres = JSON.parse(centresSource.textContent);
  var rtl = document.documentElement.dir === "rtl";
  var element = picker.querySelector(".location-picker__map");

  picker.hidden = false;
  element.setAttribute("dir", "ltr");
  var map = L.map(element, { zoomControl: false, attributionControl: false, scrollWheelZoom: false });
  L.control
    .zoom({ position: rtl ? "topright" : "topleft", zoomInTitle: options.zoomIn, zoomOutTitle: options.zoomOut })
    .addTo(map);
  L.control.attribution({ position: rtl ? "bottomleft" : "bottomright", prefix: false }).addTo(map);
  L.tileLayer(options.tileUrl, { attribution: options.tileAttribution, maxZoom: 18 }).addTo(map);
  var icon = L.icon({
    iconUrl: options.iconUrl,
    iconRetinaUrl: options.iconRetinaUrl,
    shadowUrl: options.shadowUrl,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    shadowSize: [41, 41],
  });
  var marker = null;

  function typedPosition() {
    var lat = parseFloat(latitude.value);
    var lng = parseFloat(longitude.value);
    if (isNaN(lat) || isNaN(lng) || lat < -90 || lat > 90 || lng < -180 || lng > 180) {
      return null;
    }
    return L.latLng(lat, lng);
  }

  function fill(position) {
    latitude.value = position.lat.toFixed(5);
    longitude.value = position.lng.toFixed(5);
  }

  function place(position) {
    if (!marker) {
      marker = L.marker(position, { icon: icon, draggable: true, title: options.markerTitle }).addTo(map);
      marker.on("dragend", function () {
        fill(marker.getLatLng());
      });
    } else {
      marker.setLatLng(position);
    }
  }

  function showProvince() {
    var centre = province && centres[province.value];
    map.setView(centre || [31.8, -7.1], centre ? 10 : 5);
  }

  var start = typedPosition();
  if (start) {
    place(start);
    map.setView(start, 13);
  } else {
    showProvince();
  }

  map.on("click", function (event) {
    place(event.latlng);
    fill(event.latlng);
  });
  [latitude, longitude].forEach(function (input) {
    input.addEventListener("change", function () {
      var position = typedPosition();
      if (position) {
        place(position);
        map.panTo(position);
      }
    });
  });
  if (province) {
    province.addEventListener("change", function () {
      if (!typedPosition()) {
        showProvince();
      }
    });
  }
  picker.querySelector(".location-picker__clear").addEventListener("click", function () {
    latitude.value = "";
    longitude.value = "";
    if (marker) {
      map.removeLayer(marker);
      marker = null;
    }
    showProvince();
  });
})();
