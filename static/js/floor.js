/* The floor of the item in progress: who speaks, for how long, and the speakers list.
   Follows the live room's state (static/js/live.js sends "agora:state" on #live after each
   render; protocol: docs/realtime-protocol.md, `agenda_item.floor`). Actions are POSTed to
   the section's data-url (votes/live/pages.py `live_speakers`), with Django's CSRF token;
   the next state shows their effect. Words come from the section's data-s-* attributes. */
(function () {
  "use strict";
  var root = document.getElementById("live");
  var box = root && root.querySelector("[data-floor]");
  if (!box) { return; }
  var role = root.dataset.role;
  var S = box.dataset;
  var lang = (document.documentElement.lang || "fr").toLowerCase();
  var french = lang.indexOf("fr") === 0;
  var floor = null, me = null, lastSpeaker = null;

  function $(sel) { return box.querySelector(sel); }
  function fill(t, v) { return String(t || "").replace(/\{(\w+)\}/g, function (a, k) { return v[k] !== undefined ? v[k] : a; }); }
  function clock(seconds) {
    var s = Math.abs(Math.round(seconds)), m = Math.floor(s / 60);
    return m + ":" + String(s % 60).padStart(2, "0");
  }
  function plural(name, n) { return S[name + ((french ? n > 1 : n !== 1) ? "Other" : "One")]; }
  function csrf() { var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/); return m ? decodeURIComponent(m[1]) : ""; }
  var statusTimer = null;
  function status(text) {
    var el = $("[data-floor-status]");
    if (!el) { return; }
    el.textContent = text || "";
    clearTimeout(statusTimer);
    if (text) { statusTimer = setTimeout(function () { el.textContent = ""; }, 6000); }  // the state tells the rest
  }

  function post(body) {
    status(S.sSending);
    fetch(box.dataset.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify(body)
    }).then(function (r) { return r.json(); })
      .then(function (m) { status(m.message || S.sFailed); })
      .catch(function () { status(S.sFailed); });
  }

  function timeLeft() {
    var sp = floor && floor.speaker;
    if (!sp || !sp.ends_at) { return null; }
    return Math.round((Date.parse(sp.ends_at) - Date.now()) / 1000);
  }
  function tick() {
    if (role === "staff") { renderParity(); }
    var left = timeLeft();
    var el = $("[data-floor-clock]");
    if (!el) { return; }
    el.textContent = left === null ? "" : (left >= 0 ? clock(left) : "+" + clock(left));
    var holder = $("[data-floor-clock-box]");
    if (holder) {
      holder.hidden = left === null;
      holder.classList.toggle("is-ending", left !== null && left <= 15);
      holder.classList.toggle("is-over", left !== null && left < 0);
      var label = $("[data-floor-clock-label]");
      if (label) { label.textContent = left !== null && left < 0 ? S.sOver : S.sLeft; }
    }
  }

  function renderPhone(present) {
    var waiting = floor.waiting || [];
    var place = me ? waiting.indexOf(me) : -1;
    var speaking = !!(floor.speaker && floor.speaker.person === me);
    var mine = $("[data-floor-mine]"), ask = $("[data-floor-ask]"), withdraw = $("[data-floor-withdraw]");
    var text = "";
    if (speaking) { text = S.sYouSpeak; }
    else if (place >= 0) { text = fill(S.sPosition, { n: place + 1 }); }
    else if (present === false) { text = S.sAbsent; }
    mine.textContent = text;
    ask.hidden = speaking || place >= 0 || present === false;
    withdraw.hidden = place < 0;
  }

  function cell(key, seconds) {
    var el = box.querySelector('[data-parity="' + key + '"]');
    if (el) { el.textContent = clock(seconds || 0); }
  }
  function button(label, className, action, extra) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "button " + className; b.textContent = label;
    b.addEventListener("click", function () { post(Object.assign({ action: action }, extra)); });
    return b;
  }
  function renderStaff() {
    var list = $("[data-floor-queue-list]");
    list.textContent = "";
    (floor.queue || []).forEach(function (r, i, all) {
      var li = document.createElement("li");
      li.className = "desk-speaker";
      var name = document.createElement("span");
      name.className = "desk-speaker-name"; name.textContent = r.name;
      li.appendChild(name);
      var actions = document.createElement("span");
      actions.className = "cluster desk-actions";
      var hidden = function (t) { var s = document.createElement("span"); s.className = "visually-hidden"; s.textContent = " " + t; return s; };
      var give = button(S.sGive, "", "give_floor", { request: r.request }); give.appendChild(hidden(r.name));
      actions.appendChild(give);
      if (i > 0) { var up = button("\u25B2", "secondary", "move", { request: r.request, direction: "up" }); up.setAttribute("aria-label", fill(S.sUp, { name: r.name })); actions.appendChild(up); }
      if (i < all.length - 1) { var down = button("\u25BC", "secondary", "move", { request: r.request, direction: "down" }); down.setAttribute("aria-label", fill(S.sDown, { name: r.name })); actions.appendChild(down); }
      li.appendChild(actions);
      list.appendChild(li);
    });
    $("[data-floor-queue-empty]").hidden = (floor.queue || []).length > 0;
    $("[data-floor-end]").hidden = !floor.speaker;
    renderParity();
  }
  /* The sitting's speaking time by college and gender; the speech in progress keeps running. */
  function renderParity() {
    var p = floor && floor.parity;
    if (!p) { return; }
    var run = p.running, extra = run && p.at ? Math.max(0, (Date.now() - Date.parse(p.at)) / 1000) : 0;
    function plus(college, gender) { return run && (college === null || run.college === college) && (gender === null || run.gender === gender) ? extra : 0; }
    p.rows.forEach(function (r) { if (r.gender) { cell(r.college + ":" + r.gender, r.seconds + plus(r.college, r.gender)); } });
    Object.keys(p.by_college).forEach(function (c) { cell(c + ":", p.by_college[c] + plus(c, null)); });
    Object.keys(p.by_gender).forEach(function (g) { cell(":" + g, p.by_gender[g] + plus(null, g)); });
    cell("total", p.total + plus(null, null));
  }

  function renderScreen(openBallots) {
    var show = !!(floor && floor.speaker) && openBallots === 0;
    var scene = root.querySelector("[data-scene='floor']");
    scene.hidden = !show;
    if (show) {
      root.querySelectorAll("[data-scene='idle'], [data-scene='ballot'], [data-foot]").forEach(function (el) { el.hidden = true; });
    }
  }

  root.addEventListener("agora:state", function (event) {
    var d = event.detail || {};
    var item = d.sitting && d.sitting.agenda_item;
    me = d.me;
    floor = item ? item.floor || null : null;
    box.hidden = !floor;
    if (role === "screen") { renderScreen(d.openBallots || 0); }
    if (!floor) { lastSpeaker = null; return; }
    var sp = floor.speaker;
    var who = $("[data-floor-speaker]");
    var line = sp ? fill(role === "screen" ? "{name}" : S.sSpeaking, { name: sp.name }) : S.sNobody;
    if (role === "phone" && sp && sp.person === me) { line = ""; }  // "You have the floor" says it
    if (who.textContent !== line) { who.textContent = line; }  // aria-live: only real changes
    var queue = $("[data-floor-queue]");
    if (queue) { queue.textContent = floor.queue_length ? fill(plural("sQueue", floor.queue_length), { n: floor.queue_length }) : ""; }
    if (role === "phone") { renderPhone(d.present); }
    if (role === "staff") { renderStaff(); }
    lastSpeaker = sp ? sp.request : null;
    tick();
  });

  var ask = $("[data-floor-ask]"), withdraw = $("[data-floor-withdraw]"), end = $("[data-floor-end]");
  if (ask) { ask.addEventListener("click", function () { post({ action: "request" }); }); }
  if (withdraw) { withdraw.addEventListener("click", function () { post({ action: "withdraw" }); }); }
  if (end) { end.addEventListener("click", function () { post({ action: "end" }); }); }
  setInterval(tick, 1000);
})();
