/* The counter intake keeps what the clerk typed in this browser until Justis has the application:
   - every change to the form <form data-draft-key> is saved in localStorage under that key (the desk
     and the page); never the CSRF token;
   - a freshly opened form (data-draft-restore) with an unsent draft gets the draft back, with a
     notice [data-draft-notice] and a button [data-draft-discard] to throw it away;
   - the done page [data-draft-done] removes the draft that carries its idempotency key.
   The draft holds the form's idempotency key, so sending it again after an outage gives the
   application made the first time, never a second one. Without JavaScript the form works as it is. */
(function () {
  "use strict";

  var PREFIX = "justis.counter.draft:";
  var MAX_AGE_MS = 24 * 60 * 60 * 1000; // a draft older than a day is not restored
  var SKIPPED = { csrfmiddlewaretoken: true, action: true };

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function saved(store, key) {
    var draft = null;
    try { draft = JSON.parse(store.getItem(key)); } catch (error) { draft = null; }
    if (draft && draft.fields && Date.now() - draft.savedAt < MAX_AGE_MS) return draft;
    store.removeItem(key);
    return null;
  }

  function kept(element) {
    return element.name && !SKIPPED[element.name] && !/^(submit|button|reset|file)$/.test(element.type);
  }

  function fieldsOf(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) return;
      fields[element.name] = fields[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) fields[element.name].push(element.value);
      } else {
        fields[element.name].push(element.value);
      }
    });
    return fields;
  }

  function fill(form, fields) {
    Array.prototype.forEach.call(form.elements, function (element) {
      var values = fields[element.name];
      if (!kept(element) || !values) return;
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else {
        element.value = values[0] || "";
      }
    });
    // Fields that show only with a given answer (portal.js) follow the restored answers.
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setupDraft(form, store) {
    var key = PREFIX + form.dataset.draftKey;
    function save() {
      try {
        store.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: fieldsOf(form) }));
      } catch (error) { /* storage full or refused: the form still works */ }
    }
    if (form.hasAttribute("data-draft-restore")) {
      var draft = saved(store, key);
      var notice = document.querySelector("[data-draft-notice]");
      if (draft) {
        fill(form, draft.fields);
        if (notice) {
          notice.hidden = false;
          notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
            store.removeItem(key);
            window.location.replace(window.location.pathname); // a fresh form with a new key
          });
        }
      }
    } else {
      save(); // the form as the server sent it back (with the register's data, or errors) is the draft
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }

  function setupDone(marker, store) {
    var key = PREFIX + marker.dataset.draftKey;
    var draft = saved(store, key);
    var sentKey = draft && draft.fields.idempotency_key;
    if (sentKey && sentKey[0] === marker.dataset.idempotencyKey) store.removeItem(key);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var store = storage();
    if (!store) return;
    var form = document.querySelector("form[data-draft-key]");
    if (form) setupDraft(form, store);
    var marker = document.querySelector("[data-draft-done]");
    if (marker) setupDone(marker, store);
  });
})();
