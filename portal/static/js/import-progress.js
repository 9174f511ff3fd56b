/*
 * Progress of a bulk import in the Wagtail admin (templates/directory/admin/import_results.html).
 * Progressive enhancement: without JavaScript the page has a "Refresh" link. With it,
 * the status endpoint is polled every second to move the <progress> bar, and the page
 * reloads to show the report once the import has finished.
 */
(function () {
  "use strict";

  var section = document.querySelector("[data-import-status-url]");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-import-status-url");
  var bar = section.querySelector("[data-import-progress]");
  var text = section.querySelector("[data-import-progress-text]");
  var template = text ? text.getAttribute("data-template") : "";
  var failures = 0;

  function show(status) {
    if (bar) {
      bar.value = status.percent;
      bar.textContent = status.percent + "%";
    }
    if (text && template) {
      text.textContent = template
        .replace("{percent}", status.percent)
        .replace("{done}", status.done)
        .replace("{total}", status.total);
    }
  }

  function poll() {
    fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (status) {
        failures = 0;
        show(status);
        if (status.status === "done" || status.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        // A few network hiccups are fine; after that the Refresh link remains.
        failures += 1;
        if (failures < 5) {
          window.setTimeout(poll, 2000);
        }
      });
  }

  window.setTimeout(poll, 1000);
})();
