/* The door's check-in QR code (meetings/checkin_qr.py): every [data-checkin-qr] box asks its
 * data-refresh-url for a fresh code every data-rotation seconds and swaps it in. A code stays valid
 * data-max-age seconds, longer than the rotation, so a member who scanned the previous one still
 * checks in. When renewing fails, it retries every 10 s; once the code shown has expired, the box
 * says so (data-stale) instead of showing a code that no longer works. No inline script (CSP). */
(function () {
  "use strict";
  var RETRY = 10;
  function start(box) {
    var url = box.dataset.refreshUrl;
    var rotation = Math.max(Number(box.dataset.rotation) || 60, 5);
    var maxAge = Number(box.dataset.maxAge) || rotation * 2;
    var image = box.querySelector("[data-checkin-qr-image]");
    var link = box.querySelector("[data-checkin-qr-url]");
    var status = box.querySelector("[data-checkin-qr-status]");
    var drawnAt = Date.now();
    function show(data) {
      var doc = new DOMParser().parseFromString(data.svg, "image/svg+xml");
      var svg = doc.documentElement;
      if (!svg || svg.nodeName.toLowerCase() !== "svg") { throw new Error("not an svg"); }
      image.replaceChildren(document.importNode(svg, true));
      image.hidden = false;
      if (link) { link.textContent = data.url; }
      if (status) { status.textContent = ""; }
      drawnAt = Date.now();
      box.dataset.drawnAt = String(drawnAt);
      if (data.rotation) { rotation = Math.max(Number(data.rotation), 5); }
      if (data.max_age) { maxAge = Number(data.max_age); }
    }
    function stale() {
      if (Date.now() - drawnAt < maxAge * 1000) { return; }
      image.hidden = true;
      if (status) { status.textContent = status.dataset.stale || ""; }
    }
    function refresh() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) { show(data); setTimeout(refresh, rotation * 1000); })
        .catch(function () { stale(); setTimeout(refresh, RETRY * 1000); });
    }
    setTimeout(refresh, rotation * 1000);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-checkin-qr][data-refresh-url]"), start);
})();
