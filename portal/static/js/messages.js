/* Live private messages: the unread count in the header, an open conversation and
   the list of a folder update as messages arrive (WebSocket /ws/messages/), with polling of
   /messages/live/ when WebSocket is unavailable. Without JS, pages still work. */
(function () {
  "use strict";
  var link = document.querySelector("[data-messages-live]");
  if (!link) { return; }
  var countEl = link.querySelector("[data-unread-count]");
  var thread = document.querySelector("[data-thread]");
  var folder = document.querySelector("[data-live-folder]");
  var lastCount = null;
  var pollUrl = link.getAttribute("data-poll-url");
  var POLL_MS = 15000;
  var pollTimer = null;
  var retries = 0;
  var refreshing = false;

  function setCount(n) {
    if (!countEl || typeof n !== "number") { return; }
    countEl.textContent = String(n);
    countEl.hidden = n === 0;
  }

  function refreshThread() {
    if (!thread || refreshing) { return; }
    refreshing = true;
    fetch(window.location.pathname, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-thread]");
        var list = thread.querySelector("[data-thread-messages]");
        var freshList = fresh && fresh.querySelector("[data-thread-messages]");
        if (list && freshList) {
          list.replaceWith(freshList);
          thread.setAttribute("data-latest", fresh.getAttribute("data-latest"));
        }
        var freshCount = doc.querySelector("[data-unread-count]");
        if (freshCount) { setCount(parseInt(freshCount.textContent, 10) || 0); }
      })
      .catch(function () {})
      .then(function () { refreshing = false; });
  }

  function refreshFolder() {
    // A reader who ticked messages keeps the list as it is until they act.
    if (!folder || refreshing || folder.querySelector("input[type=checkbox]:checked")) { return; }
    refreshing = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-folder]");
        if (fresh) { folder.replaceChildren.apply(folder, Array.prototype.slice.call(fresh.childNodes)); }
      })
      .catch(function () {})
      .then(function () { refreshing = false; });
  }

  function onEvent(data) {
    if (!data) { return; }
    if (typeof data.unread_count === "number") { setCount(data.unread_count); }
    if (folder && (data.type === "message" || data.type === "thread")) { refreshFolder(); }
    if (thread && (data.type === "message" || data.type === "thread") &&
        String(data.thread) === thread.getAttribute("data-thread")) {
      refreshThread();
    }
  }

  function poll() {
    var url = pollUrl + (thread ? "?thread=" + encodeURIComponent(thread.getAttribute("data-thread")) : "");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        setCount(data.unread_count);
        if (folder && lastCount !== null && data.unread_count !== lastCount) { refreshFolder(); }
        lastCount = data.unread_count;
        if (thread && data.latest && String(data.latest) !== thread.getAttribute("data-latest")) {
          refreshThread();
        }
      })
      .catch(function () {});
  }

  function startPolling() {
    if (pollTimer) { return; }
    pollTimer = window.setInterval(poll, POLL_MS);
    poll();
  }

  function stopPolling() {
    if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
  }

  function connect() {
    if (!("WebSocket" in window)) { startPolling(); return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + window.location.host + link.getAttribute("data-ws-path"));
    } catch (error) { startPolling(); return; }
    socket.addEventListener("open", function () {
      retries = 0;
      stopPolling();
      document.documentElement.setAttribute("data-messages-live", "websocket");
    });
    socket.addEventListener("message", function (event) {
      try { onEvent(JSON.parse(event.data)); } catch (error) { /* ignore a bad frame */ }
    });
    socket.addEventListener("close", function () {
      document.documentElement.setAttribute("data-messages-live", "polling");
      startPolling();
      retries += 1;
      if (retries <= 5) { window.setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, retries))); }
    });
  }

  connect();
})();
