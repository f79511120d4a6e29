// podsplit report: search, drawing filters, pan and zoom, copy buttons.
// Everything here only enhances a page that reads without it.
(function () {
  "use strict";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  function show(el) { if (el) { el.hidden = false; } }

  // Search: hide rows whose component names do not match, dim the steps
  // that move none of them, and light the matching nodes up in the drawing.
  function setupSearch() {
    var input = $("#search");
    if (!input) { return; }
    show($("#search-bar"));
    var rows = $$("[data-name]");
    var nodes = $$("#components-drawing g.node");
    var comps = $$("tr[data-node]");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var hits = {};
      var count = 0;
      rows.forEach(function (el) {
        var match = q === "" || el.getAttribute("data-name").toLowerCase().indexOf(q) >= 0;
        if (el.tagName === "LI") {
          el.classList.toggle("dimmed", !match);
        } else {
          el.classList.toggle("miss", !match);
        }
      });
      comps.forEach(function (tr) {
        if (q !== "" && !tr.classList.contains("miss")) {
          hits["g-" + tr.getAttribute("data-node")] = true;
          count++;
        }
      });
      nodes.forEach(function (g) {
        g.classList.toggle("hit", q !== "" && hits[g.id] === true);
      });
      $("#search-count").textContent = q === "" ? "" : count + (count === 1 ? " component" : " components");
    });
  }

  // Filters on the component drawing: one service, and the tiers shown.
  function setupFilters() {
    var svg = $("#components-drawing svg");
    if (!svg) { return; }
    show($("#graph-controls"));
    var sel = $("#svc-filter");
    var toggles = $$(".tier-toggle");
    // Edge ids are "g-e_c0_c51": the drawing's prefix, then both ends.
    var edges = $$("g.edge", svg).map(function (g) {
      var ends = g.id.replace(/^g-e_/, "").split("_");
      return { g: g, from: "g-" + ends[0], to: "g-" + ends[1] };
    });
    function apply() {
      var svc = sel.value;
      var inSvc = {};
      $$("g.node", svg).forEach(function (g) {
        var keep = svc === "" || g.classList.contains("svc-" + svc);
        if (keep) { inSvc[g.id] = true; }
        g.classList.toggle("dim", !keep);
      });
      var tiers = {};
      toggles.forEach(function (t) { tiers[t.value] = t.checked; });
      edges.forEach(function (e) {
        var tier = "none";
        e.g.classList.forEach(function (c) { if (c.indexOf("tier-") === 0) { tier = c.slice(5); } });
        e.g.classList.toggle("off", tiers[tier] === false);
        e.g.classList.toggle("dim", svc !== "" && !inSvc[e.from] && !inSvc[e.to]);
      });
    }
    sel.addEventListener("change", apply);
    toggles.forEach(function (t) { t.addEventListener("change", apply); });
  }

  // Pair table: show only the checked tiers.
  function setupPairFilter() {
    var boxes = $$(".pair-tier");
    if (boxes.length === 0) { return; }
    show($("#pair-controls"));
    var rows = $$("tr[data-tier]");
    function apply() {
      var on = {};
      boxes.forEach(function (b) { on[b.value] = b.checked; });
      rows.forEach(function (r) { r.hidden = on[r.getAttribute("data-tier")] === false; });
    }
    boxes.forEach(function (b) { b.addEventListener("change", apply); });
  }

  // Pan and zoom by rewriting the viewBox: wheel zooms around the pointer,
  // dragging pans, the buttons zoom about the centre or fit the drawing.
  function setupZoom() {
    var fig = $("#components-drawing");
    var svg = fig && $("svg", fig);
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) { return; }
    fig.classList.add("live");
    var base = svg.viewBox.baseVal;
    var full = { x: base.x, y: base.y, w: base.width, h: base.height };
    var vb = { x: full.x, y: full.y, w: full.w, h: full.h };
    function set() { svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h); }
    // As tall as the drawing at full width, at most three quarters of the window.
    svg.style.height = Math.round(Math.min(window.innerHeight * 0.75, svg.getBoundingClientRect().width * full.h / full.w)) + "px";
    function zoom(f, cx, cy) {
      var w = Math.min(Math.max(vb.w * f, full.w / 200), full.w * 4);
      var k = w / vb.w;
      vb.x = cx - (cx - vb.x) * k;
      vb.y = cy - (cy - vb.y) * k;
      vb.w = w;
      vb.h = vb.h * k;
      set();
    }
    function point(ev) {
      var r = svg.getBoundingClientRect();
      var s = Math.max(vb.w / r.width, vb.h / r.height);
      return { x: vb.x + vb.w / 2 + (ev.clientX - r.left - r.width / 2) * s,
               y: vb.y + vb.h / 2 + (ev.clientY - r.top - r.height / 2) * s, s: s };
    }
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = point(ev);
      zoom(ev.deltaY > 0 ? 1.2 : 1 / 1.2, p.x, p.y);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (ev) {
      drag = { x: ev.clientX, y: ev.clientY, s: point(ev).s };
      svg.classList.add("dragging");
      svg.setPointerCapture(ev.pointerId);
    });
    svg.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      vb.x -= (ev.clientX - drag.x) * drag.s;
      vb.y -= (ev.clientY - drag.y) * drag.s;
      drag.x = ev.clientX;
      drag.y = ev.clientY;
      set();
    });
    function stop() { drag = null; svg.classList.remove("dragging"); }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    $("#zoom-in").addEventListener("click", function () { zoom(1 / 1.5, vb.x + vb.w / 2, vb.y + vb.h / 2); });
    $("#zoom-out").addEventListener("click", function () { zoom(1.5, vb.x + vb.w / 2, vb.y + vb.h / 2); });
    function fit() { vb = { x: full.x, y: full.y, w: full.w, h: full.h }; set(); }
    $("#zoom-fit").addEventListener("click", fit);
    // Paper cannot pan: print the whole drawing.
    window.addEventListener("beforeprint", fit);
  }

  // Copy buttons: the clipboard API where the page may use it, otherwise
  // select the text so that the reader can copy it by hand.
  function setupCopy() {
    $$(".copy").forEach(function (btn) {
      show(btn);
      btn.addEventListener("click", function () {
        var code = $("code", btn.parentNode);
        var done = function () { btn.textContent = "Copied"; setTimeout(function () { btn.textContent = "Copy"; }, 1500); };
        var select = function () {
          var range = document.createRange();
          range.selectNodeContents(code);
          var s = window.getSelection();
          s.removeAllRanges();
          s.addRange(range);
          btn.textContent = "Selected";
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(code.textContent).then(done, select);
        } else {
          select();
        }
      });
    });
  }

  // Open the step a link points to, and every step when printing.
  function setupSteps() {
    function openHash() {
      var el = location.hash && document.getElementById(location.hash.slice(1));
      if (el && el.tagName === "DETAILS") { el.open = true; }
    }
    window.addEventListener("hashchange", openHash);
    openHash();
    window.addEventListener("beforeprint", function () {
      $$("details").forEach(function (d) { d.open = true; });
    });
  }

  setupSearch();
  setupFilters();
  setupPairFilter();
  setupZoom();
  setupCopy();
  setupSteps();
}());
