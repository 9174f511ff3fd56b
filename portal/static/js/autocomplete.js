// Suggestions under the header search box: an ARIA 1.2 combobox, as progressive
// enhancement. Without this file the box is a plain search form.
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  var form = input && input.form;
  if (!input || !form || !window.fetch) return;
  var endpoint = form.getAttribute("data-autocomplete");
  if (!endpoint) return;

  var listbox = document.createElement("ul");
  listbox.id = "site-search-suggestions";
  listbox.className = "suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", form.getAttribute("data-suggestions-label") || "");
  listbox.hidden = true;
  form.appendChild(listbox);

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  var options = [];
  var active = -1;
  var timer = null;
  var lastQuery = "";

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(results) {
    listbox.textContent = "";
    options = results.map(function (result, i) {
      var item = document.createElement("li");
      item.id = "site-search-suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.url = result.url;
      var name = document.createElement("span");
      name.className = "suggestions__name";
      name.textContent = result.name + (result.acronym ? " (" + result.acronym + ")" : "");
      item.appendChild(name);
      if (result.other_name || result.place) {
        var detail = document.createElement("span");
        detail.className = "suggestions__detail";
        detail.textContent = [result.other_name, result.place].filter(Boolean).join(" · ");
        detail.setAttribute("dir", "auto");
        item.appendChild(detail);
      }
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        window.location.assign(result.url);
      });
      listbox.appendChild(item);
      return item;
    });
    var template = form.getAttribute("data-count-template") || "%s";
    status.textContent = template.replace("%s", String(results.length));
    if (options.length) {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
    active = -1;
  }

  function suggest() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (query.length < 2) {
      render([]);
      return;
    }
    fetch(endpoint + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === query) render(data.results || []); })
      .catch(function () { render([]); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      if (listbox.hidden) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); }
      highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && options.length) {
      event.preventDefault();
      highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(options[active].dataset.url);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
