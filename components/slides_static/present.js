/* Presenting a deck: keys and clickers, full screen, the URL follows the slide, and a
   presenter view (current and next slide, notes, timer) kept in step with the audience
   window. Works from a server and from a file opened with no network (the export). */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("deck-config").textContent);
  var S = cfg.strings;
  var viewport = document.getElementById("viewport");
  var deckEl = document.getElementById("deck");
  var slides = Array.prototype.slice.call(deckEl.querySelectorAll(":scope > .slide"));
  var total = slides.length;
  var hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  var presenter = cfg.mode === "presenter" || hash.get("view") === "presenter";
  var cur = -1;
  var peer = null;
  var channel = null;
  var W = 1920, H = 1080;

  function clamp(i) { return Math.max(0, Math.min(total - 1, i)); }

  function fitInto(el, box) {
    var s = Math.min(box.clientWidth / W, box.clientHeight / H);
    var x = (box.clientWidth - W * s) / 2, y = (box.clientHeight - H * s) / 2;
    el.style.transform = "translate(" + x + "px," + y + "px) scale(" + s + ")";
  }
  function fit() {
    fitInto(deckEl, viewport);
    var next = document.querySelector(".presenter-next .frame .deck");
    if (next) { fitInto(next, next.parentNode); }
  }

  function setUrl(i) {
    if (cfg.export) {
      var h = "slide=" + (i + 1) + (presenter ? "&view=presenter" : "");
      try { history.replaceState(null, "", "#" + h); } catch (e) { location.replace("#" + h); }
      return;
    }
    var q = new URLSearchParams(location.search);
    q.set("slide", String(i + 1));
    history.replaceState(null, "", location.pathname + "?" + q.toString());
  }

  function tell(i) {
    var msg = {deck: cfg.slug, slide: i, type: "deck-slide"};
    if (channel) { try { channel.postMessage(msg); } catch (e) { /* closed */ } }
    [peer, window.opener].forEach(function (w) {
      if (w && !w.closed) { try { w.postMessage(msg, "*"); } catch (e) { /* gone */ } }
    });
  }

  function show(i, remote) {
    i = clamp(i);
    if (i === cur || total === 0) { return; }
    if (cur >= 0) { slides[cur].classList.remove("current"); }
    slides[i].classList.add("current");
    slides.forEach(function (s, k) { s.setAttribute("aria-hidden", k === i ? "false" : "true"); });
    cur = i;
    var counter = document.querySelector(".controls .counter");
    if (counter) { counter.textContent = (i + 1) + " / " + total; }
    setUrl(i);
    if (presenter) { updatePresenter(); }
    if (!remote) { tell(i); }
  }

  function next() { show(cur + 1); }
  function prev() { show(cur - 1); }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(function () {});
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  function openPresenter() {
    var url;
    if (cfg.export) {
      url = location.href.split("#")[0] + "#view=presenter&slide=" + (cur + 1);
    } else {
      url = cfg.presenterUrl + (cfg.presenterUrl.indexOf("?") < 0 ? "?" : "&") +
        "slide=" + (cur + 1);
    }
    peer = window.open(url, "presenter-" + cfg.slug, "popup,width=1280,height=800");
  }

  var help = document.getElementById("help");
  var blackout = document.getElementById("blackout");
  function toggleHelp(force) {
    help.hidden = force === undefined ? !help.hidden : !force;
    if (!help.hidden) { help.querySelector("button").focus(); }
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var onButton = e.target && e.target.tagName === "BUTTON";
    var k = e.key, handled = true;
    if (k === "ArrowRight" || k === "ArrowDown" || k === "PageDown" || k === "n" ||
        (k === " " && !onButton)) {
      next();
    } else if (k === "ArrowLeft" || k === "ArrowUp" || k === "PageUp" || k === "p" ||
               k === "Backspace") {
      prev();
    } else if (k === "Home") {
      show(0);
    } else if (k === "End") {
      show(total - 1);
    } else if (k === "f" || k === "F") {
      toggleFullscreen();
    } else if (k === "Escape") {
      if (!help.hidden) { toggleHelp(false); }
      else if (!blackout.hidden) { blackout.hidden = true; }
      else if (document.fullscreenElement) { document.exitFullscreen().catch(function () {}); }
      else { handled = false; }
    } else if ((k === "s" || k === "S") && !presenter) {
      openPresenter();
    } else if (k === "b" || k === "B" || k === ".") {
      blackout.hidden = !blackout.hidden;
    } else if (k === "?" || k === "h" || k === "H") {
      toggleHelp();
    } else {
      handled = false;
    }
    if (handled) { e.preventDefault(); }
  });

  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("[data-action]") : null;
    if (!b) { return; }
    var a = b.getAttribute("data-action");
    if (a === "next") { next(); }
    else if (a === "prev") { prev(); }
    else if (a === "fullscreen") { toggleFullscreen(); }
    else if (a === "presenter") { openPresenter(); }
    else if (a === "help") { toggleHelp(); }
  });

  var idle = null;
  document.addEventListener("mousemove", function () {
    document.body.classList.add("show-controls");
    clearTimeout(idle);
    idle = setTimeout(function () { document.body.classList.remove("show-controls"); }, 2500);
  });

  var touchX = null;
  document.addEventListener("touchstart", function (e) { touchX = e.touches[0].clientX; },
                            {passive: true});
  document.addEventListener("touchend", function (e) {
    if (touchX === null) { return; }
    var dx = e.changedTouches[0].clientX - touchX;
    if (Math.abs(dx) > 50) { if (dx < 0) { next(); } else { prev(); } }
    touchX = null;
  });

  function onMessage(data) {
    if (data && data.type === "deck-slide" && data.deck === cfg.slug &&
        typeof data.slide === "number") {
      show(data.slide, true);
    }
  }
  window.addEventListener("message", function (e) { onMessage(e.data); });
  try {
    channel = new BroadcastChannel("deck-" + cfg.slug);
    channel.onmessage = function (e) { onMessage(e.data); };
  } catch (e) { channel = null; }

  /* --- presenter view ------------------------------------------------------------ */
  var started = Date.now(), pausedAt = null, timerEl = null, clockEl = null;
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) { x.className = cls; }
    if (text !== undefined) { x.textContent = text; }
    return x;
  }
  function buildPresenter() {
    document.body.classList.remove("mode-audience");
    document.body.classList.add("mode-presenter");
    var side = el("section", "presenter-next");
    side.setAttribute("aria-label", S.upcoming);
    side.appendChild(el("p", "presenter-label", S.upcoming));
    var frame = el("div", "frame");
    frame.appendChild(el("div", "deck"));
    side.appendChild(frame);
    var timer = el("div", "presenter-timer");
    timer.appendChild(el("p", "presenter-label", S.timer));
    timerEl = el("div", "time", "0:00");
    timerEl.setAttribute("role", "timer");
    timer.appendChild(timerEl);
    var pause = el("button", "", S.pause);
    pause.type = "button";
    pause.addEventListener("click", function () {
      if (pausedAt === null) { pausedAt = Date.now(); pause.textContent = S.resume; }
      else { started += Date.now() - pausedAt; pausedAt = null; pause.textContent = S.pause; }
    });
    var reset = el("button", "", S.reset);
    reset.type = "button";
    reset.addEventListener("click", function () {
      started = Date.now();
      if (pausedAt !== null) { pausedAt = started; }
      tick();
    });
    timer.appendChild(pause);
    timer.appendChild(reset);
    clockEl = el("div", "clock", "");
    clockEl.setAttribute("aria-label", S.clock);
    timer.appendChild(clockEl);
    side.appendChild(timer);
    document.body.appendChild(side);
    var notes = el("section", "presenter-notes");
    notes.setAttribute("aria-label", S.notes);
    notes.appendChild(el("h2", "", S.notes));
    notes.appendChild(el("div", "notes-text", ""));
    notes.setAttribute("aria-live", "polite");
    document.body.appendChild(notes);
    setInterval(tick, 500);
    tick();
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    if (!timerEl) { return; }
    var ms = (pausedAt === null ? Date.now() : pausedAt) - started;
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    timerEl.textContent = (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s % 60);
    var d = new Date();
    clockEl.textContent = S.clock + ": " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  /* A copy of a slide with ids of its own, and its figures' url(#id) references
     (clip paths, gradients) pointing at them, so the copy draws like the original. */
  function uniqueIds(node, suffix) {
    var renamed = {};
    [node].concat(Array.prototype.slice.call(node.querySelectorAll("[id]")))
      .forEach(function (x) {
        if (x.id) { renamed[x.id] = x.id + suffix; x.id = renamed[x.id]; }
      });
    ["clip-path", "fill", "stroke", "mask", "style"].forEach(function (attr) {
      Array.prototype.forEach.call(node.querySelectorAll("[" + attr + "]"), function (x) {
        var v = x.getAttribute(attr);
        if (v.indexOf("url(") < 0) { return; }
        x.setAttribute(attr, v.replace(/url\((['"]?)#([^'")]+)\1\)/g, function (m, q, id) {
          return renamed[id] ? "url(#" + renamed[id] + ")" : m;
        }));
      });
    });
    return node;
  }

  function updatePresenter() {
    var frameDeck = document.querySelector(".presenter-next .frame .deck");
    if (!frameDeck) { return; }
    frameDeck.innerHTML = "";
    var end = document.querySelector(".presenter-next .end");
    if (end) { end.remove(); }
    if (cur + 1 < total) {
      var copy = uniqueIds(slides[cur + 1].cloneNode(true), "-next");
      copy.classList.add("current");
      copy.setAttribute("aria-hidden", "true");
      frameDeck.appendChild(copy);
    } else {
      frameDeck.parentNode.appendChild(el("div", "end", S.end));
    }
    var notes = document.querySelector(".presenter-notes .notes-text");
    notes.textContent = cfg.notes[cur] || S.no_notes;
    fit();
  }

  /* --- figures --------------------------------------------------------------------- */
  function plotAll() {
    if (cfg.topojson) {
      window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
      window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
      Object.keys(cfg.topojson).forEach(function (name) {
        window.PlotlyGeoAssets.topojson[name] = cfg.topojson[name];
      });
    }
    var jobs = [];
    cfg.figures.forEach(function (fig, i) {
      var box = document.getElementById("fig-" + i);
      if (!fig || !box) { return; }
      if (!window.Plotly) { return; }
      var layout = Object.assign({}, fig.layout);
      if (box.clientWidth > 200 && box.clientHeight > 200) {  /* fill the slide's box */
        layout.width = box.clientWidth;
        layout.height = box.clientHeight;
      }
      jobs.push(Plotly.newPlot(box, fig.data, layout, cfg.plotlyConfig)
        .catch(function (err) { box.setAttribute("data-error", String(err)); }));
    });
    return Promise.all(jobs);
  }

  if (presenter) { buildPresenter(); }
  window.addEventListener("hashchange", function () {
    var wanted = parseInt(new URLSearchParams(location.hash.replace(/^#/, "")).get("slide"), 10);
    if (wanted) { show(wanted - 1); }
  });
  window.addEventListener("resize", fit);
  document.addEventListener("fullscreenchange", fit);
  fit();
  var first = cfg.start;
  if (cfg.export && hash.get("slide")) { first = parseInt(hash.get("slide"), 10) - 1 || 0; }
  show(first, presenter ? false : true);
  plotAll().then(function () {
    if (presenter) { updatePresenter(); }
    window.deckReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  window.deck = {show: show, next: next, prev: prev,
                 current: function () { return cur; }, total: total};
})();
