/* Portal behaviour that works without a framework and degrades without JavaScript:
   - a warning before an idle session ends, with a button to stay logged in;
   - forms with a [data-once] button are sent once (the server is idempotent as well). */
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function setupSessionWarning() {
    var dialog = document.getElementById("session-timeout");
    if (!dialog || typeof dialog.showModal !== "function") return;
    var idle = parseInt(dialog.dataset.idleSeconds, 10);
    var warning = parseInt(dialog.dataset.warningSeconds, 10);
    var extendUrl = dialog.dataset.extendUrl;
    var expiredUrl = dialog.dataset.expiredUrl;
    var countdown = dialog.querySelector("[data-countdown]");
    var warnTimer, endTimer, tick;

    function schedule() {
      clearTimeout(warnTimer); clearTimeout(endTimer); clearInterval(tick);
      warnTimer = setTimeout(showWarning, Math.max(idle - warning, 1) * 1000);
      endTimer = setTimeout(function () { window.location.href = expiredUrl; }, idle * 1000);
    }

    function showWarning() {
      var left = warning;
      if (countdown) countdown.textContent = String(Math.ceil(left / 60));
      tick = setInterval(function () {
        left -= 15;
        if (countdown && left > 0) countdown.textContent = String(Math.ceil(left / 60));
      }, 15000);
      dialog.showModal();
      var stay = dialog.querySelector("[data-stay]");
      if (stay) stay.focus();
    }

    dialog.querySelector("[data-stay]").addEventListener("click", function () {
      fetch(extendUrl, { method: "POST", headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 204) { dialog.close(); schedule(); }
          else { window.location.href = expiredUrl; }
        })
        .catch(function () { dialog.close(); schedule(); });
    });
    schedule();
  }

  function setupSubmitOnce() {
    document.querySelectorAll("form").forEach(function (form) {
      var button = form.querySelector("[data-once]");
      if (!button) return;
      form.addEventListener("submit", function (event) {
        if (form.dataset.sent === "true") { event.preventDefault(); return; }
        form.dataset.sent = "true";
        button.setAttribute("aria-disabled", "true");
        button.classList.add("utrecht-button--busy");
      });
      // Coming back with the back button must leave the form usable again.
      window.addEventListener("pageshow", function () {
        form.dataset.sent = "false";
        button.removeAttribute("aria-disabled");
        button.classList.remove("utrecht-button--busy");
      });
    });
  }

  /* <form data-conditions='[["field", "controlling field", "value"], …]'>: a field shows only while
     the controlling radio group has that value. Without JavaScript every field shows. */
  function setupConditions() {
    document.querySelectorAll("form[data-conditions]").forEach(function (form) {
      var conditions = JSON.parse(form.dataset.conditions);
      function wrapperOf(name) {
        var input = form.querySelector('[name="' + name + '"]');
        return input && input.closest(".utrecht-form-field, .utrecht-form-fieldset");
      }
      function apply() {
        conditions.forEach(function (condition) {
          var wrapper = wrapperOf(condition[0]);
          var chosen = form.querySelector('[name="' + condition[1] + '"]:checked');
          if (wrapper && chosen) wrapper.hidden = chosen.value !== condition[2];
        });
      }
      form.addEventListener("change", apply);
      apply();
    });
  }

  /* [data-progress-url]: poll the progress of long work, update the bar and the text, reload when done. */
  function setupProgress() {
    var box = document.querySelector("[data-progress-url]");
    if (!box) return;
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    var template = text ? text.textContent.trim() : "";
    function poll() {
      fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          bar.max = data.total;
          bar.value = data.processed;
          if (text) {
            var numbers = [data.processed, data.total, data.prepared, data.refused], i = 0;
            text.textContent = template.replace(/\d+/g, function () { return String(numbers[i++]); });
          }
          if (data.status === "done") { window.location.reload(); } else { setTimeout(poll, 1000); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 500);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupSessionWarning();
    setupSubmitOnce();
    setupConditions();
    setupProgress();
  });
})();
