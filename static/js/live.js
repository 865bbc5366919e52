/* Live room client: phone, projector and staff control pages (protocol: docs/realtime-protocol.md).
 * - one websocket, reconnect with backoff + jitter, resync (snapshot) on every (re)connect;
 * - votes carry a client vote_id, are kept in localStorage until acknowledged, resent on reconnect;
 * - "vote recorded" is shown only after the server's vote.ack (sent after commit);
 * - when websockets are blocked, falls back to polling the snapshot and POSTing the vote.
 * No build step, no inline script (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) { return; }
  var role = root.dataset.role;
  var strings = root.querySelector("[data-strings]").dataset;
  var sitting = root.dataset.sitting;
  var outboxKey = "agora.outbox." + sitting + "." + (root.dataset.user || "screen");
  var ballots = {};      // id -> latest public ballot (highest version wins)
  var mayCast = {};      // ballot id -> [{member, member_name, proxy, cast}]
  var pending = {};      // vote_id -> {ballot, choice, on_behalf_of}
  var ws = null, attempts = 0, everOpened = false, polling = null, lastStates = {};

  function $(sel, el) { return (el || root).querySelector(sel); }
  function announce(text) { var el = $("[data-announce]"); if (el) { el.textContent = ""; setTimeout(function () { el.textContent = text; }, 50); } }
  function setConnection(text) { var el = $("[data-connection]"); if (el) { el.textContent = text; } }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16); crypto.getRandomValues(b); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function loadOutbox() { try { pending = JSON.parse(localStorage.getItem(outboxKey) || "{}"); } catch (e) { pending = {}; } }
  function saveOutbox() { try { localStorage.setItem(outboxKey, JSON.stringify(pending)); } catch (e) { /* private mode */ } }

  // --- transport -------------------------------------------------------------------------------
  function send(message) {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(message)); return true; }
    return false;
  }
  function connect() {
    if (!("WebSocket" in window)) { startPolling(); return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    // The page's connect ticket spares the server its connect-time reads; once expired the
    // server ignores it and checks the session in full (docs/realtime-protocol.md).
    var path = root.dataset.wsPath, ticket = root.dataset.wsTicket;
    if (ticket) { path += (path.indexOf("?") < 0 ? "?" : "&") + "ticket=" + encodeURIComponent(ticket); }
    ws = new WebSocket(scheme + location.host + path);
    ws.onopen = function () { attempts = 0; everOpened = true; setConnection(strings.connected); stopPolling(); };
    ws.onmessage = function (event) { var m; try { m = JSON.parse(event.data); } catch (e) { return; } handle(m); };
    ws.onclose = function (event) {
      ws = null;
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) { setConnection(""); return; }
      attempts += 1;
      if (!everOpened && attempts >= 3 && root.dataset.stateUrl) { startPolling(); }
      setConnection(strings.reconnecting);
      var delay = Math.min(10000, 500 * Math.pow(2, attempts)) * (0.5 + Math.random());
      setTimeout(connect, delay);
    };
  }
  function startPolling() {
    if (polling || !root.dataset.stateUrl) { return; }
    setConnection(strings.polling);
    var poll = function () {
      fetch(root.dataset.stateUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(handle).catch(function () {});
    };
    poll();
    polling = setInterval(poll, 3000);
  }
  function stopPolling() { if (polling) { clearInterval(polling); polling = null; } }
  function csrf() { var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/); return m ? decodeURIComponent(m[1]) : ""; }
  function resendPending() {
    Object.keys(pending).forEach(function (voteId) { castNow(voteId); });
  }
  function castNow(voteId) {
    var p = pending[voteId];
    var message = { type: "vote.cast", vote_id: voteId, ballot: p.ballot, choice: p.choice, on_behalf_of: p.on_behalf_of };
    if (send(message)) { return; }
    if (!polling || !root.dataset.voteUrl) { return; }
    fetch(root.dataset.voteUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify(message)
    }).then(function (r) { return r.json(); }).then(function (m) { if (!m.ref) { m.ref = voteId; } handle(m); }).catch(function () {});
  }

  // --- messages --------------------------------------------------------------------------------
  function handle(m) {
    if (m.type === "snapshot") {
      if (m.may_cast) { mayCast = {}; Object.keys(m.may_cast).forEach(function (k) { mayCast[k] = m.may_cast[k]; }); }
      applyBallots(m.ballots || [], true);
      resendPending();
    } else if (m.type === "state") {
      applyBallots(m.ballots || [], false);
    } else if (m.type === "vote.ack") {
      var p = pending[m.vote_id];
      delete pending[m.vote_id]; saveOutbox();
      markCast(m.ballot, m.member, m.replayed ? strings.already : strings.recorded);
      if (p) { announce(strings.recorded); }
    } else if (m.type === "error") {
      if (m.ref && pending[m.ref]) {
        var q = pending[m.ref];
        if (m.code !== "unavailable") { delete pending[m.ref]; saveOutbox(); }
        showStatus(q.ballot, q.on_behalf_of, m.message);
        if (m.code === "already_voted") { markCast(q.ballot, q.on_behalf_of || Number(root.dataset.user), strings.already); }
      } else {
        var status = $("[data-control-status]"); if (status) { status.textContent = m.message; }
      }
    } else if (m.type === "ok") {
      var st = $("[data-control-status]"); if (st) { st.textContent = strings.done || ""; }
    }
  }
  function applyBallots(list, authoritative) {
    var seen = {};
    list.forEach(function (b) {
      seen[b.id] = true;
      var old = ballots[b.id];
      if (old && old.version > b.version && !authoritative) { return; }  // an older frame: keep the newer
      if (role === "phone" && b.state === "open" && !mayCast[b.id] && !authoritative) {
        // Ballot opened after our snapshot: vote for oneself at once, learn proxies soon (spread out).
        mayCast[b.id] = [{ member: Number(root.dataset.user), member_name: "", proxy: false, cast: false }];
        setTimeout(function () { send({ type: "resync" }); }, Math.random() * 3000);
      }
      if (!old || old.state !== b.state) {
        if (b.state === "open") { announce(strings.opened + " " + b.title); }
        if (b.state === "closed" || b.state === "cancelled") { announce(strings.closed + " " + b.title); }
      }
      ballots[b.id] = b;
    });
    Object.keys(ballots).forEach(function (id) { if (!seen[id]) { delete ballots[id]; } });
    render();
  }

  // --- rendering -------------------------------------------------------------------------------
  var container = $("[data-ballots]");
  var sections = {};
  function render() {
    var ids = Object.keys(ballots);
    var empty = $("[data-empty]");
    if (empty) { empty.hidden = ids.length > 0; }
    Object.keys(sections).forEach(function (id) { if (!ballots[id]) { sections[id].remove(); delete sections[id]; } });
    ids.forEach(function (id) {
      var b = ballots[id];
      var section = sections[id];
      if (!section) {
        section = $("[data-ballot-template]").content.firstElementChild.cloneNode(true);
        sections[id] = section; container.appendChild(section);
      }
      $("[data-title]", section).textContent = b.title;
      var part = b.participation;
      $("[data-participation]", section).textContent = part ? part.voted + " " + strings.of + " " + part.electorate + " " + strings.voted : "";
      section.dataset.closesAt = b.state === "open" && b.closes_at ? b.closes_at : "";
      renderVerdict(section, b);
      if (role === "screen") { renderBars(section, b); }
      if (role === "phone") { renderCasts(section, b); }
      if (role === "staff") { renderNonVoters(section, b); }
    });
    tick();
  }
  function renderVerdict(section, b) {
    var box = $("[data-verdict]", section);
    box.textContent = "";
    if (b.state === "cancelled") { box.textContent = strings.cancelled; return; }
    if (!b.verdict) { return; }
    var label = { adopted: strings.adopted, rejected: strings.rejected, decided: strings.decided, no_quorum: strings.noQuorum }[b.verdict.outcome] || b.verdict.outcome;
    var p = document.createElement("p"); p.className = "live-verdict live-verdict-" + b.verdict.outcome; p.textContent = label;
    box.appendChild(p);
  }
  function optionCounts(b) {
    var counts = b.counts && (b.counts.counts || b.counts.options || b.counts);
    return counts && typeof counts === "object" ? counts : null;
  }
  function renderBars(section, b) {
    var box = $("[data-bars]", section);
    box.textContent = "";
    var counts = optionCounts(b);
    if (!counts) { return; }
    var total = 0;
    b.options.forEach(function (o) { total += Number(counts[o.id] || counts[String(o.id)] || 0); });
    b.options.forEach(function (o) {
      var n = Number(counts[o.id] || counts[String(o.id)] || 0);
      var row = document.createElement("div"); row.className = "bar";
      var label = document.createElement("span"); label.className = "bar-label"; label.textContent = o.label + " — " + n;
      var meter = document.createElement("meter"); meter.min = 0; meter.max = Math.max(total, 1); meter.value = n; meter.setAttribute("aria-label", o.label);
      row.appendChild(label); row.appendChild(meter); box.appendChild(row);
    });
  }
  function renderNonVoters(section, b) {
    var list = $("[data-non-voters]", section), box = $("[data-non-voters-box]", section);
    if (!list) { return; }
    box.hidden = !b.non_voters;
    list.textContent = "";
    (b.non_voters || []).forEach(function (n) { var li = document.createElement("li"); li.textContent = n.name; list.appendChild(li); });
    var hidden = (b.non_voters_count || 0) - (b.non_voters || []).length;
    if (hidden > 0) { var more = document.createElement("li"); more.textContent = "… " + hidden.toLocaleString(document.documentElement.lang || undefined) + " " + strings.moreNonVoters; list.appendChild(more); }
  }
  function renderCasts(section, b) {
    var box = $("[data-casts]", section);
    if (b.state !== "open") { box.textContent = ""; return; }
    (mayCast[b.id] || []).forEach(function (c) {
      var key = "cast-" + b.id + "-" + c.member;
      var form = box.querySelector("[data-key='" + key + "']");
      if (!form) {
        form = $("[data-cast-template]").content.firstElementChild.cloneNode(true);
        form.dataset.key = key; form.dataset.member = c.member; form.dataset.proxy = c.proxy ? "1" : "";
        $("[data-legend]", form).textContent = c.proxy ? strings.proxyVote + " " + c.member_name : strings.yourVote;
        buildOptions(form, b, key);
        wireForm(form, b, c);
        box.appendChild(form);
      }
      if (c.cast) { lockForm(form, strings.already); }
    });
  }
  // Inputs per ballot kind (choice shapes: docs/realtime-protocol.md, "Client → server"):
  // yes_no / single: radios → an option id; multiple: checkboxes, at most k, live count → a list;
  // ranking: an ordered list with Move up / Move down buttons (no drag) → every option id, best first;
  // candidates: yes / no / abstain per candidate (a fieldset each) → {"<option id>": answer}.
  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
  }
  function labelOf(b, id) {
    var found = b.options.filter(function (o) { return o.id === id; })[0];
    return found ? found.label : String(id);
  }
  function radio(name, value, id, text) {
    var label = document.createElement("label"); label.className = "live-option"; label.htmlFor = id;
    var input = document.createElement("input"); input.type = "radio"; input.name = name; input.value = value; input.id = id;
    label.appendChild(input); label.appendChild(document.createTextNode(" " + text));
    return label;
  }
  function buildOptions(form, b, key) {
    var box = $("[data-options]", form);
    var help = $("[data-help]", form);
    if (b.kind === "ranking") {
      help.textContent = strings.rankingHelp;
      var list = document.createElement("ol"); list.className = "live-ranking"; list.dataset.ranking = "";
      b.options.forEach(function (o) { list.appendChild(rankItem(o)); });
      box.appendChild(list);
      refreshRanking(form, b);
      $("[data-cancel]", form).hidden = true;
      return;
    }
    if (b.kind === "candidates") {
      help.textContent = strings.candidatesHelp;
      b.options.forEach(function (o) {
        var set = document.createElement("fieldset"); set.className = "live-candidate";
        var legend = document.createElement("legend"); legend.textContent = o.label; set.appendChild(legend);
        [["yes", strings.yes], ["no", strings.no], ["abstain", strings.abstain]].forEach(function (pair) {
          set.appendChild(radio(key + "-" + o.id, pair[0], key + "-" + o.id + "-" + pair[0], pair[1]));
        });
        set.dataset.candidate = o.id;
        box.appendChild(set);
      });
      updateCount(form, b);
      return;
    }
    if (b.kind === "multiple") { help.textContent = fill(strings.multipleHelp, { k: b.max_choices }); }
    b.options.forEach(function (o) {
      var id = key + "-" + o.id;
      if (b.kind !== "multiple") { box.appendChild(radio(key, o.id, id, o.label)); return; }
      var label = document.createElement("label"); label.className = "live-option"; label.htmlFor = id;
      var input = document.createElement("input"); input.type = "checkbox"; input.name = key; input.value = o.id; input.id = id;
      label.appendChild(input); label.appendChild(document.createTextNode(" " + o.label));
      box.appendChild(label);
    });
    if (b.kind === "multiple") { updateCount(form, b); }
  }
  function rankItem(o) {
    var li = document.createElement("li"); li.className = "live-rank"; li.dataset.option = o.id;
    var name = document.createElement("span"); name.className = "live-rank-label"; name.textContent = o.label;
    li.appendChild(name);
    [["up", "\u25B2", strings.moveUp], ["down", "\u25BC", strings.moveDown]].forEach(function (spec) {
      var button = document.createElement("button"); button.type = "button"; button.className = "button secondary live-move";
      button.dataset.move = spec[0]; button.textContent = spec[1];
      button.setAttribute("aria-label", fill(spec[2], { label: o.label }));
      li.appendChild(button);
    });
    return li;
  }
  function refreshRanking(form, b) {
    var items = form.querySelectorAll("[data-ranking] > li");
    Array.prototype.forEach.call(items, function (li, i) {
      li.querySelector("[data-move='up']").disabled = i === 0;
      li.querySelector("[data-move='down']").disabled = i === items.length - 1;
    });
    showConfirm(form, b);
  }
  function moveRank(form, b, button) {
    var li = button.closest("li"), list = li.parentNode, up = button.dataset.move === "up";
    var other = up ? li.previousElementSibling : li.nextElementSibling;
    if (!other) { return; }
    list.insertBefore(up ? li : other, up ? other : li);
    refreshRanking(form, b);
    var again = li.querySelector("[data-move='" + button.dataset.move + "']");
    (again.disabled ? li.querySelector("[data-move='" + (up ? "down" : "up") + "']") : again).focus();
    var position = Array.prototype.indexOf.call(list.children, li) + 1;
    $("[data-count]", form).textContent = fill(strings.rankMoved, { label: labelOf(b, Number(li.dataset.option)), position: position, total: list.children.length });
  }
  function updateCount(form, b) {
    var count = $("[data-count]", form);
    if (b.kind === "multiple") {
      var boxes = form.querySelectorAll("[data-options] input"), n = 0;
      Array.prototype.forEach.call(boxes, function (i) { if (i.checked) { n += 1; } });
      var full = n >= b.max_choices;
      Array.prototype.forEach.call(boxes, function (i) { if (!form.dataset.locked) { i.disabled = full && !i.checked; } });
      count.textContent = fill(strings.multipleCount, { n: n, k: b.max_choices }) + (full ? " " + strings.limitReached : "");
    } else if (b.kind === "candidates") {
      var answered = form.querySelectorAll("[data-candidate] input:checked").length;
      count.textContent = fill(strings.candidatesCount, { n: answered, total: b.options.length });
    }
  }
  function chosen(form, b) {
    if (b.kind === "ranking") {
      return Array.prototype.map.call(form.querySelectorAll("[data-ranking] > li"), function (li) { return Number(li.dataset.option); });
    }
    if (b.kind === "candidates") {
      var answers = {}, complete = true;
      Array.prototype.forEach.call(form.querySelectorAll("[data-candidate]"), function (set) {
        var picked = set.querySelector("input:checked");
        if (picked) { answers[set.dataset.candidate] = picked.value; } else { complete = false; }
      });
      return complete ? answers : null;
    }
    var values = Array.prototype.filter.call(form.querySelectorAll("[data-options] input"), function (i) { return i.checked; })
      .map(function (i) { return Number(i.value); });
    if (!values.length) { return null; }
    return b.kind === "multiple" ? values : values[0];
  }
  function describe(b, choice) {
    if (b.kind === "ranking") {
      return choice.map(function (id, i) { return (i + 1) + ". " + labelOf(b, id); }).join(", ");
    }
    if (b.kind === "candidates") {
      var words = { yes: strings.yes, no: strings.no, abstain: strings.abstain };
      return b.options.map(function (o) { return fill(strings.candidateAnswer, { label: o.label, answer: words[choice[String(o.id)]] }); }).join(", ");
    }
    return [].concat(choice).map(function (id) { return labelOf(b, id); }).join(", ");
  }
  function showConfirm(form, b) {
    var choice = chosen(form, b);
    $("[data-confirm]", form).hidden = choice === null;
    if (choice !== null) { $("[data-confirm-text]", form).textContent = strings.youChose + " " + describe(b, choice); }
  }
  function wireForm(form, b, c) {
    var confirmBox = $("[data-confirm]", form);
    form.addEventListener("change", function () { updateCount(form, b); showConfirm(form, b); });
    form.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-move]") : null;
      if (button && !button.disabled) { moveRank(form, b, button); }
    });
    $("[data-cancel]", form).addEventListener("click", function () {
      Array.prototype.forEach.call(form.querySelectorAll("[data-options] input"), function (i) { i.checked = false; });
      updateCount(form, b);
      confirmBox.hidden = true;
      var first = form.querySelector("[data-options] input"); if (first) { first.focus(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var choice = chosen(form, b);
      if (choice === null) { return; }
      var voteId = uuid();
      pending[voteId] = { ballot: b.id, choice: choice, on_behalf_of: c.proxy ? c.member : null };
      saveOutbox();
      $("[data-status]", form).textContent = strings.sending;
      confirmBox.hidden = true;
      castNow(voteId);
    });
  }
  function lockForm(form, text) {
    form.dataset.locked = "1";
    Array.prototype.forEach.call(form.querySelectorAll("input, button"), function (i) { i.disabled = true; });
    $("[data-confirm]", form).hidden = true;
    $("[data-status]", form).textContent = text;
  }
  function markCast(ballotId, member, text) {
    (mayCast[ballotId] || []).forEach(function (c) { if (c.member === member) { c.cast = true; } });
    var form = container.querySelector("[data-key='cast-" + ballotId + "-" + member + "']");
    if (form) { lockForm(form, text); }
  }
  function showStatus(ballotId, member, text) {
    var form = container.querySelector("[data-key='cast-" + ballotId + "-" + (member || root.dataset.user) + "']");
    if (form) { $("[data-status]", form).textContent = text; }
  }
  function tick() {
    Object.keys(sections).forEach(function (id) {
      var s = sections[id], el = $("[data-countdown]", s);
      if (!el) { return; }
      if (!s.dataset.closesAt) { el.textContent = ""; return; }
      var left = Math.max(0, Math.round((Date.parse(s.dataset.closesAt) - Date.now()) / 1000));
      el.textContent = left + " " + strings.secondsLeft;
    });
  }
  setInterval(tick, 1000);

  // --- staff control buttons -----------------------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll("[data-action]"), function (button) {
    button.addEventListener("click", function () {
      var message = { type: button.dataset.action, ballot: Number(button.dataset.ballot), ref: uuid() };
      if (button.dataset.seconds) { message.seconds = Number(button.dataset.seconds); }
      send(message);
    });
  });

  loadOutbox();
  connect();
})();
