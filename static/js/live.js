/* Live room client: the member's phone, the room projector and the staff desk (protocol:
 * docs/realtime-protocol.md).
 * - one websocket, reconnect with backoff + jitter, resync (snapshot) on every (re)connect;
 * - votes carry a client vote_id, are kept in localStorage until acknowledged, resent on reconnect;
 * - "you voted" is shown only after the server's vote.ack (sent after commit);
 * - when websockets are blocked, falls back to polling the snapshot and POSTing the vote.
 * The phone keeps, per ballot, the choices it made (the server does not link a secret vote to
 * its voter) and the ballots closed during the sitting, to recall them after the close.
 * No build step, no inline script (CSP). Every word comes from the page ([data-strings]). */
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) { return; }
  var role = root.dataset.role;  // phone | screen | staff
  var S = root.querySelector("[data-strings]").dataset;
  var lang = (document.documentElement.lang || "fr").toLowerCase();
  var french = lang.indexOf("fr") === 0;
  var sitting = root.dataset.sitting;
  var me = Number(root.dataset.user) || null;
  var owner = sitting + "." + (root.dataset.user || "screen");
  var outboxKey = "agora.outbox." + owner;
  var choicesKey = "agora.choices." + owner;
  var historyKey = "agora.history." + owner;
  var ballots = {};      // id -> latest public ballot (highest version wins)
  var sittingState = null;
  var mayCast = {};      // ballot id -> [{member, member_name, proxy, cast}]
  var present = null;    // phones: checked in (from the last snapshot)
  var pending = {};      // vote_id -> {ballot, choice, on_behalf_of, member, sentOn}
  var choices = {};      // ballot id -> {member id: choice} (acknowledged votes of this phone)
  var history = [];      // closed or cancelled ballots seen on this phone, newest first
  var ws = null, attempts = 0, everOpened = false, polling = null, retryTimer = null, serial = 0;

  // --- small helpers ---------------------------------------------------------------------------
  function $(sel, el) { return (el || root).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || root).querySelectorAll(sel)); }
  function values(map) { return Object.keys(map).map(function (k) { return map[k]; }); }
  function fill(template, vals) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) { return vals[name] !== undefined ? vals[name] : all; });
  }
  /* The same as fill, as DOM nodes: a value that is a node is inserted as is (e.g. a <strong>). */
  function fillNodes(template, vals) {
    var frag = document.createDocumentFragment();
    String(template || "").split(/(\{\w+\})/).forEach(function (part) {
      var m = /^\{(\w+)\}$/.exec(part);
      var v = m && vals[m[1]] !== undefined ? vals[m[1]] : part;
      frag.appendChild(v && v.nodeType ? v : document.createTextNode(v));
    });
    return frag;
  }
  function num(n) { return Number(n || 0).toLocaleString(lang); }
  function plural(name, n) { return S[name + ((french ? n > 1 : n !== 1) ? "Other" : "One")]; }
  function counted(name, n, extra) {
    var vals = { n: num(n) };
    Object.keys(extra || {}).forEach(function (k) { vals[k] = extra[k]; });
    return fill(plural(name, n), vals);
  }
  function percent(n, total) { return total ? (n / total).toLocaleString(lang, { style: "percent", maximumFractionDigits: 0 }) : ""; }
  /* French typography for texts typed by people: a narrow no-break space before ? ! ; : and inside « ». */
  function typo(text) {
    text = String(text || "");
    if (!french) { return text; }
    return text.replace(/[ \u00a0]([?!;:»])/g, "\u202f$1").replace(/«[ \u00a0]/g, "«\u202f");
  }
  function node(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m ? m + "\u00a0min\u00a0" + (s < 10 ? "0" : "") + s + "\u00a0s" : s + "\u00a0s";
  }
  /* Phones and the desk: whole minutes (rounded up) until the last minute, then seconds. */
  function roughClock(seconds) { return seconds > 60 ? Math.ceil(seconds / 60) + "\u00a0min" : seconds + "\u00a0s"; }
  function secondsLeft(b) { return b.closes_at ? Math.max(0, Math.round((Date.parse(b.closes_at) - Date.now()) / 1000)) : null; }
  function announce(text) {
    var el = $("[data-announce]");
    if (el) { el.textContent = ""; setTimeout(function () { el.textContent = text; }, 50); }
  }
  function setConnection(text, lost) {
    var el = $("[data-connection]");
    if (!el || el.textContent === text) { return; }
    el.textContent = text;
    el.classList.toggle("is-lost", !!lost);
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16); crypto.getRandomValues(b); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load(key, fallback) { try { return JSON.parse(localStorage.getItem(key) || "null") || fallback; } catch (e) { return fallback; } }
  function store(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } }
  function saveOutbox() { store(outboxKey, pending); }

  // --- transport -------------------------------------------------------------------------------
  function send(message) {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(message)); return true; }
    return false;
  }
  function connect() {
    retryTimer = null;
    if (!("WebSocket" in window)) { startPolling(); return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    // The page's connect ticket spares the server its connect-time reads; once expired the
    // server ignores it and checks the session in full (docs/realtime-protocol.md).
    var path = root.dataset.wsPath, ticket = root.dataset.wsTicket;
    if (ticket) { path += (path.indexOf("?") < 0 ? "?" : "&") + "ticket=" + encodeURIComponent(ticket); }
    ws = new WebSocket(scheme + location.host + path);
    ws.onopen = function () { attempts = 0; everOpened = true; serial += 1; heard = Date.now(); setConnection(S.connected); stopPolling(); };
    ws.onmessage = function (event) { var m; heard = Date.now(); try { m = JSON.parse(event.data); } catch (e) { return; } handle(m); };
    ws.onclose = function (event) {
      ws = null;
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) { setConnection(""); return; }
      retry();
    };
  }
  function retry() {
    attempts += 1;
    if (role === "staff") {  // an action sent on the lost socket gets no answer: its buttons come back
      actions = {};
      $$("[data-ballot-row][data-busy]").forEach(function (tr) { delete tr.dataset.busy; });
    }
    if (!everOpened && attempts >= 3 && root.dataset.stateUrl) { startPolling(); }
    setConnection(S.reconnecting, true);
    render();
    var delay = Math.min(10000, 500 * Math.pow(2, attempts)) * (0.5 + Math.random());
    if (retryTimer) { clearTimeout(retryTimer); }
    retryTimer = setTimeout(connect, delay);
  }
  /* A socket that went silent (a phone that lost its network rarely hears the close): drop it
   * and reconnect; the votes still in the outbox go again on the new one. */
  function drop() {
    var old = ws;
    ws = null;
    if (old) { old.onclose = null; old.onmessage = null; try { old.close(); } catch (e) { /* already gone */ } }
    retry();
  }
  var heard = Date.now();
  setInterval(function () {
    if (!ws || ws.readyState !== 1) { return; }
    var quiet = Date.now() - heard;
    if (quiet > 20000) { drop(); } else if (quiet > 8000) { send({ type: "ping" }); }
  }, 4000);
  window.addEventListener("offline", function () { if (ws) { drop(); } });
  // Back online: try at once rather than at the end of the backoff.
  window.addEventListener("online", function () {
    if (!ws && retryTimer) { clearTimeout(retryTimer); retryTimer = null; connect(); }
  });
  function startPolling() {
    if (polling || !root.dataset.stateUrl) { return; }
    setConnection(S.polling);
    var poll = function () {
      fetch(root.dataset.stateUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(handle).catch(function () {});
    };
    poll();
    polling = setInterval(poll, 3000);
  }
  function stopPolling() { if (polling) { clearInterval(polling); polling = null; } }
  function csrf() { var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/); return m ? decodeURIComponent(m[1]) : ""; }
  function castNow(voteId) {
    var p = pending[voteId];
    var message = { type: "vote.cast", vote_id: voteId, ballot: p.ballot, choice: p.choice, on_behalf_of: p.on_behalf_of };
    if (send(message)) { p.sentOn = serial; return; }
    if (!polling || !root.dataset.voteUrl) { return; }
    fetch(root.dataset.voteUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify(message)
    }).then(function (r) { return r.json(); }).then(function (m) { if (!m.ref) { m.ref = voteId; } handle(m); })
      .catch(function () { if (pending[voteId]) { keep(voteId, S.notRecordedYet); } });  // not JSON: a proxy's or server's page
  }
  /* After a (re)connect, the votes not yet sent on this connection (or every poll, without one). */
  function resendPending() {
    Object.keys(pending).forEach(function (voteId) {
      if (!ws || pending[voteId].sentOn !== serial) { castNow(voteId); }
    });
  }

  // --- messages --------------------------------------------------------------------------------
  function handle(m) {
    if (m.type === "snapshot") {
      if (m.may_cast) { mayCast = {}; Object.keys(m.may_cast).forEach(function (k) { mayCast[k] = m.may_cast[k]; }); }
      if (typeof m.present === "boolean") { present = m.present; }
      applyState(m, true);
      resendPending();
    } else if (m.type === "state") {
      applyState(m, false);
    } else if (m.type === "vote.ack") {
      acknowledged(m);
    } else if (m.type === "error") {
      if (m.ref && pending[m.ref]) { refused(m); return; }
      if (role === "staff") { actionFailed(m); }
    } else if (m.type === "ok") {
      if (role === "staff") { actionDone(m); }
    }
  }
  function applyState(m, authoritative) {
    if (m.sitting) { sittingState = m.sitting; }
    var seen = {};
    (m.ballots || []).forEach(function (b) {
      seen[b.id] = true;
      var old = ballots[b.id];
      if (old && old.version > b.version && !authoritative) { return; }  // an older frame: keep the newer
      if (role === "phone" && b.state === "open" && !mayCast[b.id] && !authoritative) {
        // Opened after our snapshot: vote for oneself at once (if checked in), learn proxies soon (spread out).
        if (present !== false && me) { mayCast[b.id] = [{ member: me, member_name: "", proxy: false, cast: false }]; }
        setTimeout(function () { send({ type: "resync" }); }, Math.random() * 3000);
      }
      if (old && old.state !== b.state || !old && !authoritative) {
        if (b.state === "open") { announce(fill(S.opened, { title: b.title })); }
        if ((b.state === "closed" || b.state === "cancelled") && old) {
          var info = verdictInfo(b);
          announce(fill(S.closed, { title: b.title }) + (info ? " " + info.label : ""));
        }
      }
      ballots[b.id] = b;
      if (role === "phone" && (b.state === "closed" || b.state === "cancelled") && b.opened_at) { remember(b); }
    });
    Object.keys(ballots).forEach(function (id) { if (!seen[id]) { delete ballots[id]; } });
    render();
  }

  // --- words: verdicts, tallies, choices ---------------------------------------------------------
  function labelOf(b, id) {
    var found = b.options.filter(function (o) { return String(o.id) === String(id); })[0];
    return found ? found.label : String(id);
  }
  function countsOf(b) { return b.counts || (b.verdict && b.verdict.counts) || null; }
  function optionCount(counts, id) { return Number(counts && counts.options && counts.options[String(id)] || 0); }
  function meets(rule, yes, no, abstain) {
    if (rule === "absolute") { return 2 * yes > yes + no + abstain; }
    if (rule === "two_thirds") { return yes + no > 0 && 3 * yes >= 2 * (yes + no); }
    return yes > no;
  }
  function ruleText(b, met) {
    var key = { absolute: "absolute", two_thirds: "twoThirds" }[b.majority] || "simple";
    return S[key + (met ? "Met" : "Unmet")];
  }
  function candidateTally(c) {
    return [fill(S.candidateYes, { n: num(c.yes) }), fill(S.candidateNo, { n: num(c.no) }), counted("abstain", c.abstain)].join(", ");
  }
  /* "80 pour, 25 contre, 13 abstentions" (yes/no); "Montpellier : 48 votes, …" (other kinds). */
  function tallyText(b, counts) {
    if (!counts) { return ""; }
    if (b.kind === "candidates") {
      return b.options.map(function (o) {
        var c = (counts.candidates || {})[String(o.id)] || { yes: 0, no: 0, abstain: 0 };
        return fill(S.candidateAnswer, { label: o.label, answer: candidateTally(c) });
      }).join(french ? "\u202f; " : "; ");
    }
    return b.options.map(function (o) {
      var n = optionCount(counts, o.id);
      if (o.code === "abstain") { return counted("abstain", n); }
      if (o.code === "yes" || o.code === "no") { return num(n) + " " + o.label.toLocaleLowerCase(lang); }
      return fill(S.candidateAnswer, { label: o.label, answer: counted("votes", n) });
    }).join(", ");
  }
  /* What a closed (or cancelled) ballot decided, and why, in the page's words. */
  function verdictInfo(b) {
    if (b.state === "cancelled") { return { key: "cancelled", label: S.cancelled, rest: S.cancelledReason, ordered: [] }; }
    var v = b.verdict;
    if (!v) { return null; }
    var counts = countsOf(b) || {};
    var winners = (v.results && v.results.winners) || [];
    var info = { key: v.outcome, label: { adopted: S.adopted, rejected: S.rejected, decided: S.decided, no_quorum: S.noQuorum }[v.outcome] || v.outcome, winners: winners, ordered: [] };
    if (v.outcome === "no_quorum") {
      info.rest = [tallyText(b, counts), S.noQuorumReason].filter(Boolean).join(" — ");
    } else if (b.kind === "yes_no") {
      var t = { yes: 0, no: 0, abstain: 0 };
      b.options.forEach(function (o) { if (o.code) { t[o.code] = optionCount(counts, o.id); } });
      var reason;
      if (v.outcome === "rejected" && b.double_majority && meets(b.majority, t.yes, t.no, t.abstain)) {
        reason = S.notEachCollege;
      } else {
        reason = ruleText(b, v.outcome === "adopted") + (b.double_majority ? ", " + S.eachCollege : "");
      }
      info.rest = tallyText(b, counts) + " — " + reason;
    } else if (b.kind === "ranking") {
      info.label = S.rankingTitle;
      var order = winners.length ? winners : b.options.map(function (o) { return o.id; });
      info.ordered = order.map(function (id) {
        return { id: id, label: labelOf(b, id), points: Number((counts.borda || {})[String(id)] || 0) };
      });
      info.rest = info.ordered.map(function (r, i) { return (i + 1) + ". " + r.label; }).join(", ");
    } else if (b.kind === "candidates") {
      info.candidates = b.options.map(function (o) {
        var c = (counts.candidates || {})[String(o.id)] || { yes: 0, no: 0, abstain: 0 };
        var won = winners.indexOf(o.id) >= 0;
        return { label: o.label, won: won, text: fill(won ? S.majorityReached : S.majorityMissed, { label: o.label }) + " (" + candidateTally(c) + ")" };
      });
      info.rest = info.candidates.map(function (c) { return c.text; }).join(french ? "\u202f; " : "; ");
    } else {
      if (winners.length) {
        info.rest = fill(plural("chosen", winners.length), { labels: winners.map(function (id) { return labelOf(b, id); }).join(", ") });
      } else {
        var numbers = b.options.map(function (o) { return optionCount(counts, o.id); }).sort(function (x, y) { return y - x; });
        var why = !counts.votes ? S.noVotes : (numbers.length > 1 && numbers[0] === numbers[1] ? S.tie : S.ruleUnmet);
        info.rest = fill(S.verdictLine, { outcome: S.noneChosen, tally: why });
      }
      info.rest += " — " + tallyText(b, counts);
    }
    return info;
  }
  /* "<strong>Rejeté</strong> : 1 pour, 1 contre — la majorité simple demande plus de pour que de contre" */
  function verdictLine(info, className) {
    var p = node("p", className);
    p.appendChild(fillNodes(S.verdictLine, { outcome: node("strong", "live-outcome-label", info.label), tally: info.rest || "" }));
    return p;
  }
  function describe(b, choice) {
    if (b.kind === "ranking") {
      return choice.map(function (id, i) { return (i + 1) + ". " + labelOf(b, id); }).join(", ");
    }
    if (b.kind === "candidates") {
      var words = { yes: S.yes, no: S.no, abstain: S.abstain };
      return b.options.map(function (o) { return fill(S.candidateAnswer, { label: o.label, answer: words[choice[String(o.id)]] }); }).join(", ");
    }
    return [].concat(choice).map(function (id) { return labelOf(b, id); }).join(", ");
  }

  // --- rendering -------------------------------------------------------------------------------
  /* The item in progress ("Point n en cours : …"), on every page; announced when it changes. */
  var shownItem = null;
  function renderCurrentItem() {
    var item = sittingState && sittingState.agenda_item;
    var text = "";
    if (item) {
      text = fill(S.itemInProgress, { position: item.position, title: typo(item.title) });
      if (item.planned_minutes) { text += " · " + fill(S.plannedMinutes, { minutes: num(item.planned_minutes) }); }
    }
    // On a phone, an open ballot takes the room's whole attention: the item line gives way to it, so
    // that the choices and the confirm button stay on the first screen (the item is announced anyway).
    var quiet = role === "phone" && openBallots().length > 0;
    $$("[data-current-item]").forEach(function (el) { el.textContent = text; el.hidden = !text || quiet; });
    $$("[data-agenda-item]").forEach(function (li) {
      li.classList.toggle("is-now", !!item && li.dataset.agendaItem === String(item.id));
    });
    var key = item ? item.id + ":" + item.started_at : null;
    if (shownItem !== null && key !== shownItem && text) { announce(text); }
    shownItem = key || "";
  }
  function render() {
    renderCurrentItem();
    if (role === "phone") { renderPhone(); }
    if (role === "screen") { renderScreen(); }
    if (role === "staff") { renderStaff(); }
    tick();
    // The floor (static/js/floor.js) follows the same state: the item in progress and its speakers.
    root.dispatchEvent(new CustomEvent("agora:state", {
      detail: { sitting: sittingState, present: present, me: me, openBallots: openBallots().length }
    }));
  }
  function openBallots() {
    return values(ballots).filter(function (b) { return b.state === "open"; })
      .sort(function (x, y) { return String(x.opened_at).localeCompare(String(y.opened_at)) || x.id - y.id; });
  }

  // ===== the member's phone =====================================================================
  var phoneSections = {};   // open ballot id -> section
  var changing = {};        // "ballot-member" -> true while a member changes a vote (allow_change)
  function renderPhone() {
    var open = openBallots();
    var box = $("[data-ballots]");
    $("[data-empty]").hidden = open.length > 0;
    Object.keys(phoneSections).forEach(function (id) {
      var b = ballots[id];
      if (b && b.state === "open") { return; }
      var section = phoneSections[id];
      var hadFocus = section.contains(document.activeElement);
      section.remove(); delete phoneSections[id];
      if (!open.length) { window.scrollTo(0, 0); }
      if (hadFocus) { renderHistory(); var past = $("[data-past='" + id + "']"); if (past) { past.focus({ preventScroll: true }); } }
    });
    open.forEach(function (b) {
      var section = phoneSections[b.id];
      if (!section) {
        section = $("[data-ballot-template]").content.firstElementChild.cloneNode(true);
        section.dataset.ballot = b.id;
        section.setAttribute("aria-labelledby", "ballot-" + b.id + "-title");
        $("[data-title]", section).id = "ballot-" + b.id + "-title";
        phoneSections[b.id] = section;
        box.appendChild(section);
        var busy = document.activeElement && document.activeElement.closest && document.activeElement.closest(".live-ballot");
        if (!busy && window.scrollY > 0) { window.scrollTo(0, 0); }
      }
      renderPhoneBallot(section, b);
    });
    renderHistory();
  }
  function renderPhoneBallot(section, b) {
    $("[data-kind]", section).textContent = b.secret ? S.secret : S.named;
    $("[data-title]", section).textContent = typo(b.title);
    var details = $("[data-description]", section);
    details.hidden = !b.description;
    var text = $("[data-description-text]", section);
    if (text.textContent !== (b.description || "")) { text.textContent = b.description || ""; }
    var part = b.participation;
    $("[data-participation]", section).textContent = part ? counted("voted", part.voted, { total: num(part.electorate) }) : "";
    var steps = $("[data-casts]", section);
    var casts = mayCast[b.id];
    if (!casts) { return; }  // the snapshot naming this person's votes is on its way
    var note = $("[data-not-elector]", steps);
    if (!casts.length) {
      if (!note) { note = node("p", "live-note", S.notVoting); note.dataset.notElector = ""; steps.appendChild(note); }
      return;
    }
    if (note) { note.remove(); }
    var own = casts.filter(function (c) { return !c.proxy; });
    var proxies = casts.filter(function (c) { return c.proxy; });
    var blocked = false, waitingProxy = null;
    own.concat(proxies).forEach(function (c) {
      var step = ensureStep(steps, b, c);
      showHelp(step, c, own.length ? proxies : []);
      var state = stepState(b, c);
      showStep(step, b, c, state);
      step.hidden = blocked;
      if (state === "todo") {
        if (c.proxy && !waitingProxy && !blocked) { waitingProxy = c; }
        blocked = true;
      }
    });
    // The own vote's confirmation says what comes next.
    own.forEach(function (c) {
      var step = steps.querySelector("[data-step='" + b.id + "-" + c.member + "']");
      $("[data-done-next]", step).textContent = waitingProxy ? fill(S.nextProxy, { name: waitingProxy.member_name }) : "";
    });
  }
  function pendingFor(ballotId, member) {
    return Object.keys(pending).filter(function (k) {
      var p = pending[k];
      return p.ballot === ballotId && (p.on_behalf_of || me) === member;
    })[0];
  }
  function knownChoice(ballotId, member) { var c = choices[ballotId]; return c ? c[member] : undefined; }
  function stepState(b, c) {
    var key = b.id + "-" + c.member;
    if (pendingFor(b.id, c.member)) { return "sending"; }
    if (changing[key]) { return "todo"; }
    return c.cast || knownChoice(b.id, c.member) !== undefined ? "done" : "todo";
  }
  function ensureStep(box, b, c) {
    var key = b.id + "-" + c.member;
    var step = box.querySelector("[data-step='" + key + "']");
    if (step) { return step; }
    step = $("[data-cast-template]").content.firstElementChild.cloneNode(true);
    step.dataset.step = key;
    step.classList.add(c.proxy ? "live-step-proxy" : "live-step-own");
    var form = $("form", step);
    form.dataset.key = "cast-" + b.id + "-" + c.member;
    form.dataset.member = c.member;
    form.dataset.proxy = c.proxy ? "1" : "";
    $("[data-legend]", step).textContent = c.proxy ? fill(S.proxyVote, { name: c.member_name }) : S.yourVote;
    $("[data-submit]", step).textContent = c.proxy ? fill(S.confirmProxy, { name: c.member_name }) : S.confirmOwn;
    buildOptions(form, b, "cast-" + b.id + "-" + c.member);
    wireForm(step, form, b, c);
    box.appendChild(step);
    return step;
  }
  /* The help above the options: the order of the steps (a proxy holder), then how to answer. */
  function showHelp(step, c, proxies) {
    var help = [];
    if (!c.proxy && proxies.length) {
      help.push(fill(S.proxyFirst, { names: proxies.map(function (p) { return p.member_name; }).join(", ") }));
    }
    var form = $("form", step);
    if (form.dataset.kindHelp) { help.push(form.dataset.kindHelp); }
    var el = $("[data-help]", step);
    el.textContent = help.join(" ");
    el.hidden = !help.length;
  }
  function showStep(step, b, c, state) {
    var form = $("form", step), done = $("[data-done]", step);
    var wasState = step.dataset.state;
    step.dataset.state = state;
    if (state === "done") {
      lockForm(form, true);
      form.hidden = true;
      done.hidden = false;
      var choice = knownChoice(b.id, c.member);
      var text;
      if (choice !== undefined) {
        text = c.proxy ? fill(S.youVotedFor, { name: c.member_name, choice: describe(b, choice) }) : fill(S.youVoted, { choice: describe(b, choice) });
      } else {
        text = c.proxy ? fill(S.recordedFor, { name: c.member_name }) : S.recorded;
      }
      $("[data-done-text]", step).textContent = text;
      $("[data-change]", step).hidden = !b.allow_change;
    } else if (state === "sending") {
      form.hidden = false; done.hidden = true;
      lockForm(form, true);
      $("[data-confirm]", form).hidden = true;
      var kept = pending[pendingFor(b.id, c.member)];
      $("[data-status]", form).textContent = (kept && kept.notice) || (ws ? S.sending : S.waiting);
    } else {
      form.hidden = false; done.hidden = true;
      if (wasState && wasState !== "todo") { lockForm(form, false); }
    }
  }
  function lockForm(form, locked) {
    form.dataset.locked = locked ? "1" : "";
    $$("input, button", form).forEach(function (i) { i.disabled = locked; });
    if (!locked) {
      var b = ballots[Number(form.dataset.key.split("-")[1])];
      if (b) { updateCount(form, b); if (b.kind === "ranking") { refreshRanking(form, b); } }
    }
  }
  // Inputs per ballot kind (choice shapes: docs/realtime-protocol.md, "Client → server"):
  // yes_no / single: radios → an option id; multiple: checkboxes, at most k, live count → a list;
  // ranking: an ordered list with Move up / Move down buttons (no drag) → every option id, best first;
  // candidates: yes / no / abstain per candidate (a fieldset each) → {"<option id>": answer};
  // election: checkboxes in a fieldset per college, at most the seats in each → a list.
  function radio(name, value, id, text) {
    var label = document.createElement("label"); label.className = "live-option"; label.htmlFor = id;
    var input = document.createElement("input"); input.type = "radio"; input.name = name; input.value = value; input.id = id;
    label.appendChild(input); label.appendChild(node("span", "live-option-text", text));
    return label;
  }
  function buildOptions(form, b, key) {
    var box = $("[data-options]", form), help = [];
    if (b.kind === "ranking") {
      help.push(S.rankingHelp);
      var list = document.createElement("ol"); list.className = "live-ranking"; list.dataset.ranking = "";
      list.setAttribute("role", "list");  // numbered by CSS: keep the list semantics
      b.options.forEach(function (o) { list.appendChild(rankItem(o)); });
      box.appendChild(list);
      refreshRanking(form, b);
      $("[data-cancel]", form).hidden = true;
    } else if (b.kind === "candidates") {
      help.push(S.candidatesHelp);
      b.options.forEach(function (o) {
        var set = document.createElement("fieldset"); set.className = "live-candidate";
        set.appendChild(node("legend", "", o.label));
        [["yes", S.yes], ["no", S.no], ["abstain", S.abstain]].forEach(function (pair) {
          set.appendChild(radio(key + "-" + o.id, pair[0], key + "-" + o.id + "-" + pair[0], pair[1]));
        });
        set.dataset.candidate = o.id;
        box.appendChild(set);
      });
    } else if (b.kind === "election") {
      // One fieldset per college (the option's code), each with its own number of seats.
      help.push(counted("electionHelp", seatsPerCollege(b), { k: seatsPerCollege(b) }));
      var sets = {};
      b.options.forEach(function (o) {
        if (!sets[o.code]) {
          sets[o.code] = document.createElement("fieldset"); sets[o.code].className = "live-college";
          sets[o.code].appendChild(node("legend", "", S["college" + o.code.charAt(0).toUpperCase() + o.code.slice(1)] || o.code));
          box.appendChild(sets[o.code]);
        }
        var id = key + "-" + o.id;
        var label = document.createElement("label"); label.className = "live-option"; label.htmlFor = id;
        var input = document.createElement("input"); input.type = "checkbox"; input.name = key; input.value = o.id; input.id = id;
        input.dataset.college = o.code;
        label.appendChild(input); label.appendChild(node("span", "live-option-text", o.label));
        sets[o.code].appendChild(label);
      });
    } else {
      if (b.kind === "multiple") { help.push(fill(S.multipleHelp, { k: b.max_choices })); }
      b.options.forEach(function (o) {
        var id = key + "-" + o.id;
        if (b.kind !== "multiple") { box.appendChild(radio(key, o.id, id, o.label)); return; }
        var label = document.createElement("label"); label.className = "live-option"; label.htmlFor = id;
        var input = document.createElement("input"); input.type = "checkbox"; input.name = key; input.value = o.id; input.id = id;
        label.appendChild(input); label.appendChild(node("span", "live-option-text", o.label));
        box.appendChild(label);
      });
    }
    form.dataset.kindHelp = help.join(" ");
    updateCount(form, b);
  }
  /* An election's seats in each college: its max_choices is the seats times its colleges. */
  function seatsPerCollege(b) {
    var colleges = {};
    b.options.forEach(function (o) { colleges[o.code] = true; });
    return Math.max(1, Math.floor(b.max_choices / (Object.keys(colleges).length || 1)));
  }
  function rankItem(o) {
    var li = document.createElement("li"); li.className = "live-rank"; li.dataset.option = o.id;
    li.appendChild(node("span", "live-rank-label", o.label));
    [["up", "\u25B2", S.moveUp], ["down", "\u25BC", S.moveDown]].forEach(function (spec) {
      var button = document.createElement("button"); button.type = "button"; button.className = "button secondary live-move";
      button.dataset.move = spec[0]; button.textContent = spec[1];
      button.setAttribute("aria-label", fill(spec[2], { label: o.label }));
      li.appendChild(button);
    });
    return li;
  }
  function refreshRanking(form, b) {
    var items = $$("[data-ranking] > li", form);
    items.forEach(function (li, i) {
      if (form.dataset.locked) { return; }
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
    $("[data-count]", form).textContent = fill(S.rankMoved, { label: labelOf(b, Number(li.dataset.option)), position: position, total: list.children.length });
  }
  function updateCount(form, b) {
    var count = $("[data-count]", form);
    if (b.kind === "multiple") {
      var boxes = $$("[data-options] input", form), n = 0;
      boxes.forEach(function (i) { if (i.checked) { n += 1; } });
      var full = n >= b.max_choices;
      boxes.forEach(function (i) { if (!form.dataset.locked) { i.disabled = full && !i.checked; } });
      count.textContent = counted("multipleCount", n, { k: b.max_choices }) + (full ? " " + S.limitReached : "");
    } else if (b.kind === "election") {
      var seats = seatsPerCollege(b), per = {}, total = 0;
      $$("[data-options] input", form).forEach(function (i) { if (i.checked) { per[i.dataset.college] = (per[i.dataset.college] || 0) + 1; total += 1; } });
      var someFull = false;
      $$("[data-options] input", form).forEach(function (i) {
        var full = (per[i.dataset.college] || 0) >= seats;
        someFull = someFull || full;
        if (!form.dataset.locked) { i.disabled = full && !i.checked; }
      });
      count.textContent = counted("multipleCount", total, { k: b.max_choices }) + (someFull ? " " + S.limitReached : "");
    } else if (b.kind === "candidates") {
      var answered = form.querySelectorAll("[data-candidate] input:checked").length;
      count.textContent = counted("candidatesCount", answered, { total: b.options.length });
    }
    count.hidden = !count.textContent;
  }
  function chosen(form, b) {
    if (b.kind === "ranking") {
      return $$("[data-ranking] > li", form).map(function (li) { return Number(li.dataset.option); });
    }
    if (b.kind === "candidates") {
      var answers = {}, complete = true;
      $$("[data-candidate]", form).forEach(function (set) {
        var picked = set.querySelector("input:checked");
        if (picked) { answers[set.dataset.candidate] = picked.value; } else { complete = false; }
      });
      return complete ? answers : null;
    }
    var picked = $$("[data-options] input", form).filter(function (i) { return i.checked; }).map(function (i) { return Number(i.value); });
    if (!picked.length) { return null; }
    return b.kind === "multiple" || b.kind === "election" ? picked : picked[0];
  }
  function showConfirm(form, b) {
    var choice = chosen(form, b), box = $("[data-confirm]", form);
    var wasHidden = box.hidden;
    box.hidden = choice === null || !!form.dataset.locked;
    if (choice !== null) { $("[data-confirm-text]", form).textContent = fill(S.youChose, { choice: describe(b, choice) }); }
    if (wasHidden && !box.hidden && b.kind !== "ranking" && box.scrollIntoView) { box.scrollIntoView({ block: "nearest" }); }
  }
  function wireForm(step, form, b, c) {
    form.addEventListener("change", function () { updateCount(form, b); showConfirm(form, b); });
    form.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-move]") : null;
      if (button && !button.disabled) { moveRank(form, b, button); }
    });
    $("[data-cancel]", form).addEventListener("click", function () {
      $$("[data-options] input", form).forEach(function (i) { i.checked = false; });
      updateCount(form, b);
      $("[data-confirm]", form).hidden = true;
      var first = form.querySelector("[data-options] input"); if (first) { first.focus(); }
    });
    $("[data-change]", step).addEventListener("click", function () {
      changing[b.id + "-" + c.member] = true;
      render();
      var first = form.querySelector("[data-options] input:not([disabled]), [data-options] button:not([disabled])");
      if (first) { first.focus(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var current = ballots[b.id] || b;
      var choice = chosen(form, current);
      if (choice === null || form.dataset.locked) { return; }
      var voteId = uuid();
      pending[voteId] = { ballot: b.id, choice: choice, on_behalf_of: c.proxy ? c.member : null, member: c.member };
      saveOutbox();
      castNow(voteId);
      render();
      var status = $("[data-status]", form);
      status.tabIndex = -1;
      status.focus();
    });
  }
  function acknowledged(m) {
    var p = pending[m.vote_id];
    if (p) {
      delete pending[m.vote_id]; saveOutbox();
      choices[m.ballot] = choices[m.ballot] || {};
      choices[m.ballot][m.member] = p.choice;
      store(choicesKey, choices);
    }
    delete changing[m.ballot + "-" + m.member];
    (mayCast[m.ballot] || []).forEach(function (c) { if (c.member === m.member) { c.cast = true; } });
    render();
    if (p) {
      var done = $("[data-step='" + m.ballot + "-" + m.member + "'] [data-done]");
      if (done && !done.hidden) { done.focus(); }
    }
  }
  /* The refusals that end a vote (docs/realtime-protocol.md): the member is shown the message and
   * the outbox forgets the vote. Any other answer (`unavailable`, `cast_failed`, a code this page
   * does not know) means "not recorded yet": the vote stays in the outbox and goes again. */
  var FINAL_REFUSALS = ["forbidden", "not_found", "invalid", "invalid_choice", "ballot_not_open", "ballot_closed",
    "not_in_electorate", "not_present", "no_proxy", "already_voted", "vote_id_reused"];
  /* Keep VOTE_ID in the outbox, say so to the member (NOTICE), and send it again with the same
   * vote id after a few seconds, waiting longer each time (and on every reconnect meanwhile). */
  function keep(voteId, notice) {
    var p = pending[voteId];
    p.sentOn = -1;
    p.tries = (p.tries || 0) + 1;
    p.notice = notice;
    saveOutbox();
    var delay = Math.min(30000, 2000 * Math.pow(2, p.tries - 1)) * (1 + Math.random());
    setTimeout(function () { if (pending[voteId]) { castNow(voteId); } }, delay);
    var waiting = $("[data-step='" + p.ballot + "-" + p.member + "'] [data-status]");
    if (waiting) { waiting.textContent = notice; }
  }
  function refused(m) {
    var p = pending[m.ref];
    if (FINAL_REFUSALS.indexOf(m.code) < 0) {
      keep(m.ref, m.code === "unavailable" && m.message ? m.message : S.notRecordedYet);
      return;
    }
    delete pending[m.ref]; saveOutbox();
    var cast = m.code === "already_voted" || m.code === "vote_id_reused";  // a vote of this member stands
    if (cast) {
      (mayCast[p.ballot] || []).forEach(function (c) { if (c.member === p.member) { c.cast = true; } });
    }
    render();
    var status = $("[data-step='" + p.ballot + "-" + p.member + "'] [data-status]");
    if (status) { status.textContent = m.message; }
    var done = $("[data-step='" + p.ballot + "-" + p.member + "'] [data-done-next]");
    if (done && cast) { done.textContent = m.message; }
  }
  // History: the ballots closed during the sitting, newest first, with one's own choice.
  function remember(b) {
    var entry = {
      id: b.id, title: b.title, kind: b.kind, state: b.state, secret: b.secret, options: b.options,
      majority: b.majority, double_majority: b.double_majority, counts: b.counts, verdict: b.verdict,
      closed_at: b.closed_at, opened_at: b.opened_at, version: b.version
    };
    var old = history.filter(function (h) { return h.id === b.id; })[0];
    if (old && old.version >= b.version) { return; }
    history = [entry].concat(history.filter(function (h) { return h.id !== b.id; }))
      .sort(function (x, y) { return String(y.closed_at).localeCompare(String(x.closed_at)); }).slice(0, 12);
    store(historyKey, history);
  }
  var historySignature = "";
  function renderHistory() {
    var box = $("[data-history-box]"), list = $("[data-history]");
    var shown = history.filter(function (h) { return !(ballots[h.id] && ballots[h.id].state === "open"); });
    var signature = JSON.stringify(shown.map(function (h) { return [h.id, h.version, choices[h.id]]; }));
    if (signature === historySignature) { return; }
    historySignature = signature;
    box.hidden = !shown.length;
    list.textContent = "";
    shown.forEach(function (h) {
      var info = verdictInfo(h);
      var li = node("li", "live-past live-past-" + (info ? info.key : "pending"));
      li.dataset.past = h.id; li.tabIndex = -1;
      li.appendChild(node("h3", "live-past-title", typo(h.title)));
      if (info) {
        if (h.kind === "ranking") {
          li.appendChild(node("p", "live-past-outcome live-verdict live-verdict-" + info.key)).appendChild(node("strong", "live-outcome-label", info.label));
        } else {
          li.appendChild(verdictLine(info, "live-past-outcome live-verdict live-verdict-" + info.key));
        }
        if (h.kind === "ranking" && info.ordered.length) {
          var ol = node("ol", "live-past-ranking");
          info.ordered.forEach(function (r) { ol.appendChild(node("li", "", r.label + " — " + counted("points", r.points))); });
          li.appendChild(ol);
        }
      }
      var mine = choices[h.id] || {};
      Object.keys(mine).sort(function (x, y) { return (Number(x) === me ? 0 : 1) - (Number(y) === me ? 0 : 1); }).forEach(function (member) {
        var name = nameOf(h.id, Number(member));
        var text = Number(member) === me ? fill(S.yourChoice, { choice: describe(h, mine[member]) })
          : fill(S.yourChoiceFor, { name: name, choice: describe(h, mine[member]) });
        li.appendChild(node("p", "live-past-mine", text));
      });
      list.appendChild(li);
    });
  }
  var names = load("agora.names." + owner, {});
  function nameOf(ballotId, member) {
    var c = (mayCast[ballotId] || []).filter(function (x) { return x.member === member; })[0];
    if (c && c.member_name) { names[member] = c.member_name; store("agora.names." + owner, names); }
    return names[member] || "";
  }

  // ===== the room projector =====================================================================
  var screenLast = null;  // the last ballot that ended after opening: its result stays up
  var agenda = {};
  $$("[data-agenda-item]").forEach(function (li, i) { agenda[li.dataset.agendaItem] = { position: i + 1, title: li.textContent, el: li }; });
  function renderScreen() {
    var open = openBallots().reverse();  // the newest first
    values(ballots).forEach(function (b) {
      if ((b.state === "closed" || b.state === "cancelled") && b.opened_at) {
        if (!screenLast || String(b.closed_at) >= String(screenLast.closed_at)) { screenLast = b; }
      }
    });
    var b = open[0] || screenLast;
    var idle = $("[data-scene='idle']"), scene = $("[data-scene='ballot']");
    idle.hidden = !!b; scene.hidden = !b; $("[data-foot]").hidden = !b;
    var current = b ? agenda[b.agenda_item] : null;
    values(agenda).forEach(function (item) { item.el.classList.toggle("is-current", item === current); });
    if (!b) { return; }
    var isOpen = b.state === "open";
    scene.dataset.state = b.state;
    scene.dataset.kind = b.kind;
    var kicker = [];
    if (current) { kicker.push(fill(S.itemTitle, { position: current.position, title: current.title })); }
    kicker.push(b.secret ? S.secret : S.named);
    var part = b.participation || { voted: 0, electorate: 0 };

    $("[data-kicker]", scene).textContent = kicker.join(" · ");
    var title = $("[data-title]", scene);
    title.textContent = typo(b.title);
    title.classList.toggle("is-long", b.title.length > 90);
    var description = $("[data-description]", scene);
    description.textContent = isOpen ? (b.description || "").slice(0, 600) : "";
    description.hidden = !isOpen || !b.description;
    // The verdict, large, with its counts and its reason.
    var info = isOpen ? null : verdictInfo(b);
    var verdict = $("[data-verdict]", scene);
    verdict.hidden = !info;
    verdict.className = "pj-verdict" + (info ? " pj-verdict-" + info.key + " live-verdict live-verdict-" + info.key : "");
    if (info) {
      $("[data-outcome]", scene).textContent = info.label;
      $("[data-reason]", scene).textContent = b.kind === "ranking" || b.kind === "candidates" ? "" : info.rest;
      $("[data-reason]", scene).hidden = b.kind === "ranking" || b.kind === "candidates";
    }
    $("[data-participation]", scene).textContent = counted("voted", part.voted, { total: num(part.electorate) });
    $("[data-progress]", scene).style.width = (part.electorate ? Math.round(100 * part.voted / part.electorate) : 0) + "%";
    $("[data-countdown-box]", scene).hidden = !(isOpen && b.closes_at);
    $("[data-figures]", scene).classList.toggle("is-closed", !isOpen);
    $("[data-foot-text]").textContent = isOpen ? S.voteOnPhone : S.joinOnPhone;
    renderResults($("[data-results]", scene), b, info);
    var note = [];
    if (isOpen && !countsOf(b)) { note.push(S.resultsAtClose); }
    if (info && b.kind === "ranking") { note.push(fill(S.borda, { top: b.options.length - 1 })); }
    if (open.length > 1) { note.push(counted("moreOpen", open.length - 1)); }
    $("[data-note]", scene).textContent = note.join(" · ");
  }
  var BAR_CLASSES = ["c0", "c1", "c2", "c3", "c4", "c5"];
  function renderResults(box, b, info) {
    var counts = countsOf(b);
    box.textContent = "";
    box.className = "pj-results";
    if (!counts || b.state === "cancelled") { return; }
    if (info && b.kind === "ranking") {
      box.classList.add("pj-results-ranking");
      var ol = node("ol", "pj-ranking");
      info.ordered.forEach(function (r) {
        var li = node("li", "pj-rank");
        li.appendChild(node("span", "pj-rank-label", r.label));
        li.appendChild(node("span", "pj-rank-points", counted("points", r.points)));
        ol.appendChild(li);
      });
      box.appendChild(ol);
      return;
    }
    if (b.kind === "candidates") {
      box.classList.add("pj-results-candidates");
      b.options.forEach(function (o) {
        var c = (counts.candidates || {})[String(o.id)] || { yes: 0, no: 0, abstain: 0 };
        var row = node("div", "pj-candidate");
        row.appendChild(node("span", "pj-candidate-label", o.label));
        row.appendChild(node("span", "pj-candidate-tally", candidateTally(c)));
        if (info) {
          var won = info.winners.indexOf(o.id) >= 0;
          row.appendChild(node("span", "pj-candidate-outcome " + (won ? "is-won" : "is-lost"), won ? S.reached : S.missed));
        }
        box.appendChild(row);
      });
      return;
    }
    var total = Number(counts.votes || 0);
    var winners = info && info.winners ? info.winners : [];
    b.options.forEach(function (o, i) {
      var n = optionCount(counts, o.id);
      var row = node("div", "pj-bar pj-bar-" + (o.code || BAR_CLASSES[i % BAR_CLASSES.length]));
      if (winners.indexOf(o.id) >= 0 && b.kind !== "yes_no") { row.classList.add("is-won"); }
      row.appendChild(node("span", "pj-bar-label", o.label));
      var track = node("span", "pj-bar-track");
      var fillEl = node("span", "pj-bar-fill");
      fillEl.style.width = (total ? Math.max(0.5, 100 * n / total) : 0) + "%";
      track.appendChild(fillEl);
      row.appendChild(track);
      var value = node("span", "pj-bar-value");
      value.appendChild(node("strong", "", num(n)));
      if (total) { value.appendChild(node("span", "pj-bar-pct", "(" + percent(n, total) + ")")); }
      row.appendChild(value);
      box.appendChild(row);
    });
  }

  // ===== the staff desk =========================================================================
  var ALLOWED = { draft: ["ballot.open", "ballot.cancel"], open: ["ballot.extend", "ballot.close", "ballot.cancel"], closed: [], cancelled: [] };
  var DONE = { "ballot.open": "doneOpen", "ballot.close": "doneClose", "ballot.extend": "doneExtend", "ballot.cancel": "doneCancel" };
  var AFTER = { "ballot.open": "open", "ballot.close": "closed", "ballot.cancel": "cancelled" };
  var actions = {};   // ref -> {action, ballot}
  var deskCards = {};
  var deskVerdicts = {};  // ballot id -> "Adopté", … (seen during this page's life)
  var deskLast = null;    // the last ballot that ended after opening: its result stays in the panel
  function stateLabel(state) { return S["state" + state.charAt(0).toUpperCase() + state.slice(1)] || state; }
  function renderRow(tr) {
    var id = tr.dataset.ballotRow, state = tr.dataset.state;
    var badge = $("[data-row-state]", tr);
    badge.textContent = stateLabel(state) + (state === "closed" && deskVerdicts[id] ? " · " + deskVerdicts[id] : "");
    badge.dataset.verdict = state === "closed" && deskVerdicts[id] ? "1" : "";
    badge.className = "desk-state desk-state-" + state;
    var proclaim = tr.querySelector("[data-proclaim-form]");
    if (proclaim) { proclaim.hidden = state !== "closed"; }  // an election is proclaimed once closed
    var allowed = (ALLOWED[state] || []).filter(function (a) { return a !== "ballot.extend" || tr.dataset.closesAt; });
    var signature = allowed.join(",") + (tr.dataset.busy ? "|busy" : "");
    var cell = $("[data-row-actions]", tr);
    if (cell.dataset.signature === signature) { return; }
    var hadFocus = cell.contains(document.activeElement);
    cell.dataset.signature = signature;
    cell.textContent = "";
    var template = $("[data-actions-template]").content;
    allowed.forEach(function (action) {
      var button = template.querySelector("[data-action='" + action + "']").cloneNode(true);
      button.dataset.ballot = id;
      button.setAttribute("aria-describedby", "ballot-" + id + "-title");
      if (tr.dataset.busy) { button.disabled = true; }
      cell.appendChild(button);
    });
    if (!allowed.length) { cell.appendChild(node("span", "meta", "—")); }
    if (hadFocus) {
      var next = cell.querySelector("button:not([disabled])");
      if (next) { next.focus(); } else { badge.tabIndex = -1; badge.focus(); }
    }
  }
  function renderStaff() {
    values(ballots).forEach(function (b) {
      var tr = $("[data-ballot-row='" + b.id + "']");
      var info = b.state === "closed" ? verdictInfo(b) : null;
      if (info && info.key !== "decided") { deskVerdicts[b.id] = info.label; }
      if ((b.state === "closed" || b.state === "cancelled") && b.opened_at) {
        if (!deskLast || String(b.closed_at) >= String(deskLast.closed_at)) { deskLast = b; }
      }
      if (!tr) { return; }
      tr.dataset.state = b.state;
      tr.dataset.closesAt = b.state === "open" && b.closes_at ? b.closes_at : "";
    });
    $$("[data-ballot-row]").forEach(renderRow);
    renderQuorum();
    var shown = openBallots().concat(deskLast ? [deskLast] : []);
    var showing = {};
    shown.forEach(function (b) { showing[b.id] = true; });
    var box = $("[data-ballots]");
    $("[data-empty]", box).hidden = shown.some(function (b) { return b.state === "open"; });
    Object.keys(deskCards).forEach(function (id) { if (!showing[id]) { deskCards[id].remove(); delete deskCards[id]; } });
    shown.forEach(function (b) {
      var card = deskCards[b.id];
      if (!card) {
        card = $("[data-ballot-template]").content.firstElementChild.cloneNode(true);
        card.dataset.ballot = b.id;
        $("[data-non-voters-title]", card).id = "desk-" + b.id + "-non-voters";
        $("[data-non-voters]", card).setAttribute("aria-labelledby", "desk-" + b.id + "-non-voters");
        deskCards[b.id] = card;
      }
      box.appendChild(card);  // keeps the order: open ballots first
      renderCard(card, b);
    });
  }
  function renderQuorum() {
    var q = sittingState && sittingState.quorum;
    var box = $("[data-quorum]");
    box.hidden = !q;
    if (!q) { return; }
    var badge = $("[data-quorum-badge]");
    badge.textContent = q.reached ? S.quorumReached : S.quorumMissed;
    badge.className = "badge " + (q.reached ? "ok" : "warn");
    $("[data-quorum-detail]").textContent = fill(S.quorumText, {
      present: num(q.present), represented: num(q.represented), counted: num(q.counted), members: num(q.members), required: num(q.required)
    });
  }
  function renderCard(card, b) {
    card.dataset.state = b.state;
    $("[data-kind]", card).textContent = b.state === "open" ? (b.secret ? S.secret : S.named) : S.lastResult;
    $("[data-title]", card).textContent = typo(b.title);
    var part = b.participation || { voted: 0, electorate: 0 };
    $("[data-participation]", card).textContent = counted("voted", part.voted, { total: num(part.electorate) }) +
      (part.electorate ? " (" + percent(part.voted, part.electorate) + ")" : "");
    var progress = $("[data-progress]", card);
    progress.max = Math.max(1, part.electorate); progress.value = part.voted;
    progress.hidden = b.state !== "open";
    var verdict = $("[data-verdict]", card);
    verdict.textContent = "";
    var info = b.state === "open" ? null : verdictInfo(b);
    if (info) { verdict.appendChild(verdictLine(info, "live-verdict live-verdict-" + info.key)); }
    var listBox = $("[data-non-voters-box]", card);
    var secretNote = $("[data-non-voters-secret]", card);
    secretNote.hidden = !(b.state === "open" && b.secret);
    secretNote.textContent = S.secretNonVoters;
    listBox.hidden = !(b.state === "open" && b.non_voters);
    if (listBox.hidden) { return; }
    var total = b.non_voters_count || 0;
    $("[data-non-voters-title]", card).textContent = total ? counted("notVoted", total) : S.everyoneVoted;
    var signature = total + ":" + b.non_voters.map(function (n) { return n.member; }).join(",");
    var list = $("[data-non-voters]", card);
    if (list.dataset.signature !== signature) {
      list.dataset.signature = signature;
      list.textContent = "";
      b.non_voters.forEach(function (n) { list.appendChild(node("li", "", n.name)); });
    }
    var hidden = total - b.non_voters.length;
    $("[data-non-voters-more]", card).textContent = hidden > 0 ? counted("moreNames", hidden) : "";
  }
  function controlStatus(text) { var st = $("[data-control-status]"); if (st) { st.textContent = text; } }
  function sendAction(action, ballotId, extra) {
    var ref = uuid();
    var message = { type: action, ballot: Number(ballotId), ref: ref };
    Object.keys(extra || {}).forEach(function (k) { message[k] = extra[k]; });
    if (!send(message)) { controlStatus(S.reconnecting); return; }
    actions[ref] = { action: action, ballot: String(ballotId) };
    var tr = $("[data-ballot-row='" + ballotId + "']");
    if (tr) { tr.dataset.busy = "1"; renderRow(tr); }
  }
  function actionDone(m) {
    var a = actions[m.ref]; delete actions[m.ref];
    controlStatus(S[DONE[m.action]] || "");
    var tr = $("[data-ballot-row='" + m.ballot + "']");
    if (!tr) { return; }
    delete tr.dataset.busy;
    if (AFTER[m.action]) { tr.dataset.state = AFTER[m.action]; }
    if (a) { renderRow(tr); }
  }
  function actionFailed(m) {
    controlStatus(m.message);
    var a = m.ref && actions[m.ref];
    if (!a) { return; }
    delete actions[m.ref];
    var tr = $("[data-ballot-row='" + a.ballot + "']");
    if (tr) { delete tr.dataset.busy; renderRow(tr); }
  }
  var dialog = $("[data-dialog]");
  var dialogFor = null;
  function confirmAction(button) {
    var id = button.dataset.ballot, action = button.dataset.action;
    var cancel = action === "ballot.cancel";
    var b = ballots[id];
    dialogFor = { button: button, ballot: id, action: action };
    $("[data-dialog-title]", dialog).textContent = cancel ? S.cancelTitle : S.closeTitle;
    var title = $("#ballot-" + id + "-title");
    var question = typo(title ? title.textContent : "");
    if (b && b.participation && b.state === "open") {
      question += " — " + counted("voted", b.participation.voted, { total: num(b.participation.electorate) });
    }
    $("[data-dialog-question]", dialog).textContent = question;
    $("[data-dialog-text]", dialog).textContent = cancel ? S.cancelText : S.closeText;
    $("[data-dialog-confirm]", dialog).textContent = cancel ? S.cancelConfirm : S.closeConfirm;
    $("[data-dialog-reason]", dialog).hidden = !cancel;
    $("[data-reason-input]", dialog).value = "";
    dialog.returnValue = "";
    dialog.showModal();
    $("[data-dialog-back]", dialog).focus();
  }
  if (dialog) {
    dialog.addEventListener("close", function () {
      var pendingAction = dialogFor; dialogFor = null;
      if (!pendingAction) { return; }
      if (dialog.returnValue === "confirm") {
        var extra = {};
        if (pendingAction.action === "ballot.cancel") { extra.reason = $("[data-reason-input]", dialog).value.trim(); }
        sendAction(pendingAction.action, pendingAction.ballot, extra);
      }
      var back = pendingAction.button;
      if (!back.isConnected || back.disabled) {
        var tr = $("[data-ballot-row='" + pendingAction.ballot + "']");
        back = tr && (tr.querySelector("[data-row-actions] button:not([disabled])") || $("[data-row-state]", tr));
        if (back && back.tagName !== "BUTTON") { back.tabIndex = -1; }
      }
      if (back) { back.focus(); }
    });
  }
  if (role === "staff") {
    root.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[data-action]") : null;
      if (!button || button.disabled) { return; }
      if (button.hasAttribute("data-confirm")) { confirmAction(button); return; }
      var extra = button.dataset.seconds ? { seconds: Number(button.dataset.seconds) } : {};
      sendAction(button.dataset.action, button.dataset.ballot, extra);
    });
    $$("[data-ballot-row]").forEach(function (tr) {
      var title = $(".desk-question", tr);
      title.textContent = typo(title.textContent);
      renderRow(tr);
    });
  }

  // --- countdowns ----------------------------------------------------------------------------------
  function tick() {
    if (role === "phone") {
      Object.keys(phoneSections).forEach(function (id) {
        var b = ballots[id], el = $("[data-countdown]", phoneSections[id]);
        var left = b ? secondsLeft(b) : null;
        el.textContent = left === null ? "" : "· " + (left > 0 ? fill(S.closesIn, { time: roughClock(left) }) : S.timeUp);
      });
    } else if (role === "screen") {
      var b = openBallots().reverse()[0];
      var el = $("[data-countdown]");
      var left = b ? secondsLeft(b) : null;
      if (el) { el.textContent = left === null ? "" : clock(left); }
      var box = $("[data-countdown-box]");
      if (box) { box.classList.toggle("is-ending", left !== null && left <= 10); }
    } else if (role === "staff") {
      Object.keys(deskCards).forEach(function (id) {
        var card = deskCards[id], bb = ballots[id], cd = $("[data-countdown]", card);
        var left2 = bb && bb.state === "open" ? secondsLeft(bb) : null;
        cd.textContent = left2 === null ? "" : "· " + (left2 > 0 ? fill(S.closesIn, { time: roughClock(left2) }) : S.timeUp);
      });
    }
  }
  setInterval(tick, 1000);

  if (role === "phone") {
    pending = load(outboxKey, {});
    choices = load(choicesKey, {});
    history = load(historyKey, []);
    renderHistory();
  }
  connect();
})();
