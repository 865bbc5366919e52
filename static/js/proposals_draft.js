/* Draft auto-save for the proposal form.
 * Every few seconds, when something changed: the form is kept in localStorage (survives the phone
 * sleeping or the network dropping) and sent to the server as a draft (POST once, then PATCH).
 * On return, text kept on the phone that is newer than the server's is restored.
 */
(function () {
  "use strict";
  var form = document.getElementById("proposal-form");
  if (!form || !form.dataset.editableDraft) { return; }
  var status = document.getElementById("autosave-status");
  var labels = (document.getElementById("autosave-messages") || {}).content;
  var label = function (key) {
    var span = labels && labels.querySelector("span");
    return (span && span.dataset[key]) || "";
  };
  var key = form.dataset.storageKey;
  var api = form.dataset.api;
  var draftId = form.dataset.draftId || "";
  var dirty = false;
  var sending = false;
  var INTERVAL = 5000;

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function snapshot() {
    var themes = Array.prototype.map.call(form.querySelectorAll("input[name=themes]:checked"), function (i) { return i.value; });
    var territory = form.elements.territory ? form.elements.territory.value : "";
    var data = {
      kind: form.elements.kind ? form.elements.kind.value : "proposal",
      title: form.elements.title.value,
      body: form.elements.body.value,
      themes: themes
    };
    if (territory) { data.territory = parseInt(territory, 10); }
    return data;
  }
  function restore(data) {
    if (data.title !== undefined) { form.elements.title.value = data.title; }
    if (data.body !== undefined) { form.elements.body.value = data.body; }
    if (data.kind && form.elements.kind) { form.elements.kind.value = data.kind; }
    Array.prototype.forEach.call(form.querySelectorAll("input[name=themes]"), function (i) {
      i.checked = (data.themes || []).indexOf(i.value) !== -1;
    });
  }
  function keepLocally() {
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), id: draftId, data: snapshot() }));
    } catch (e) { /* storage full or disabled: the server copy remains */ }
  }
  function say(text) { if (status) { status.textContent = text; } }

  function send() {
    if (!dirty || sending) { return; }
    sending = true;
    dirty = false;
    var data = snapshot();
    var url = draftId ? api + draftId + "/" : api;
    fetch(url, {
      method: draftId ? "PATCH" : "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify(draftId ? data : Object.assign({ publish: false }, data))
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (json) {
      if (!draftId && json.id) {
        draftId = String(json.id);
        form.dataset.draftId = draftId;
        // Further saves (and the final submit) go to this draft.
        form.action = json.url + "modifier/";
        try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
        key = key.replace("-new-", "-" + draftId + "-");
        if (window.history && history.replaceState) { history.replaceState(null, "", form.action); }
      }
      keepLocally();
      say(label("saved") + " " + new Date().toLocaleTimeString());
    }).catch(function () {
      dirty = true;
      say(label("local"));
    }).then(function () { sending = false; });
  }

  // Restore what was typed but not saved (phone asleep, network down, tab closed).
  try {
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    if (kept && kept.data) {
      var current = snapshot();
      if (kept.data.title !== current.title || kept.data.body !== current.body) {
        restore(kept.data);
        dirty = true;
        say(label("restored"));
      }
    }
  } catch (e) { /* ignore a damaged copy */ }

  form.addEventListener("input", function () { dirty = true; keepLocally(); });
  form.addEventListener("change", function () { dirty = true; keepLocally(); });
  form.addEventListener("submit", function () { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } });
  window.setInterval(send, INTERVAL);
  window.addEventListener("online", send);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { keepLocally(); send(); }
  });
})();
