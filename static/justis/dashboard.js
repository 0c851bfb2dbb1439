/* The team leads' dashboard: the progress of today updates while the page is open.
   The section [data-progress] names its JSON endpoint (data-progress-url) and how often to ask
   (data-progress-interval, milliseconds). Every answer sets the <progress> element and the figures
   [data-progress-decided], [data-progress-waiting], [data-progress-percent] and [data-progress-at].
   It does not ask while the tab is hidden, and stops when the session has ended (any answer but 200).
   Without JavaScript the page shows the figures of the moment it was loaded. */
(function () {
  "use strict";

  function text(section, name, value) {
    var element = section.querySelector("[data-progress-" + name + "]");
    if (element) element.textContent = String(value);
  }

  function show(section, data) {
    var bar = section.querySelector("progress");
    if (bar) {
      bar.max = Math.max(data.total, 1);
      bar.value = data.decided;
      bar.textContent = data.percent + "%";
    }
    text(section, "decided", data.decided);
    text(section, "waiting", data.waiting);
    text(section, "percent", data.percent);
    var at = section.querySelector("[data-progress-at]");
    if (at) {
      var when = new Date(data.at);
      at.setAttribute("datetime", data.at);
      at.textContent = when.toLocaleTimeString(document.documentElement.lang || undefined, { hour12: false });
    }
  }

  function start(section) {
    var url = section.getAttribute("data-progress-url");
    var interval = parseInt(section.getAttribute("data-progress-interval"), 10) || 5000;
    var timer = null;

    function poll() {
      if (document.hidden) return;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (response) {
          if (!response.ok) {
            window.clearInterval(timer);
            return null;
          }
          return response.json();
        })
        .then(function (data) { if (data) show(section, data); })
        .catch(function () { /* a network hiccup: the next poll tries again */ });
    }

    timer = window.setInterval(poll, interval);
    document.addEventListener("visibilitychange", poll);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var sections = document.querySelectorAll("[data-progress]");
    for (var i = 0; i < sections.length; i += 1) start(sections[i]);
  });
})();
