// The check-in page, enhanced: answers without reloading, keeps working
// without a network, and syncs when the network returns. Without this file
// the page still works as a plain form. One script serves every door: an
// event's (`data-event`) and the exhibition hall's (`data-api`,
// `data-tickets`, a `heads` field for the people who came, and a second
// look — `confirm` — for more people than booked or an arrival outside
// the window).
//
// Offline: the device keeps the event's ticket list (fetched whenever it is
// online) and a queue of check-ins made offline, both in localStorage. A
// code checked offline is accepted once per device; when the network
// returns the queue is sent with the time of each check-in, the server
// settles who was first, and duplicates found then are listed on the page.
(function () {
  "use strict";
  var root = document.querySelector("[data-checkin]");
  if (!root) return;
  var eventId = root.getAttribute("data-event") || "";
  var api = root.getAttribute("data-api") || "/api/v1/checkins";
  var ticketsUrl = root.getAttribute("data-tickets") || ("/api/v1/events/" + eventId + "/tickets");
  var undoUrl = root.hasAttribute("data-undo") ? root.getAttribute("data-undo") : "/api/v1/checkins/undo";
  var storeKey = eventId || root.getAttribute("data-store") || "door";
  var form = root.querySelector('[data-test="checkin-form"]');
  var input = form.querySelector('input[name="code"]');
  var headsInput = form.querySelector('input[name="heads"]');
  var csrf = form.querySelector('input[name="csrf_token"]').value;
  var lang = document.documentElement.lang;
  var zh = lang.indexOf("zh") === 0;
  var T = {
    ok: ["欢迎——签到成功", "Welcome — checked in"],
    already: ["已签到过", "Already checked in"],
    invalid: ["无效", "Not valid"],
    unknown: ["票码不存在", "Unknown code"],
    undone: ["已撤销签到", "Check-in undone"],
    "other-event": ["其他活动的票，未签到", "Ticket of another event — not checked in"],
    online: ["在线", "Online"],
    offline: ["离线：签到先存在本机，联网后自动同步", "Offline: check-ins are kept on this device and synced when back online"],
    queued: ["待同步", "waiting to sync"],
    first: ["首次签到", "First checked in"],
    conflicts: ["同步时发现的重复签到", "Duplicates found when syncing"],
    undo: ["撤销（一分钟内）", "Undo (within a minute)"],
    camera: ["用摄像头扫码", "Scan with the camera"],
    camera_failed: ["无法打开摄像头，请输入票码", "The camera could not start: type the code"],
    confirm: ["需要确认", "Needs a second look"],
    refused: ["未入场", "Not admitted"],
    confirm_go: ["确认入场", "Admit anyway"]
  };
  // A door may say its verdicts in its own words ([zh, en] by result).
  try {
    var own = JSON.parse(root.getAttribute("data-verdicts") || "{}");
    Object.keys(own).forEach(function (k) { T[k] = own[k]; });
  } catch (e) { /* the built-in words stay */ }
  function t(k) { return T[k][zh ? 0 : 1]; }
  function other(k) { return T[k][zh ? 1 : 0]; }
  function norm(s) {
    return s.replace(/[\s-]/g, "").toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
  }
  var device = localStorage.getItem("liaison-device");
  if (!device) {
    device = (zh ? "设备-" : "device-") + Math.random().toString(36).slice(2, 6).toUpperCase();
    localStorage.setItem("liaison-device", device);
  }
  var deviceField = form.querySelector("[data-device]");
  if (deviceField) deviceField.value = device;
  var listKey = "liaison-tickets-" + storeKey;
  var queueKey = "liaison-queue-" + storeKey;
  var conflictKey = "liaison-conflicts-" + storeKey;
  function load(k, d) { try { return JSON.parse(localStorage.getItem(k)) || d; } catch (e) { return d; } }
  function save(k, v) { localStorage.setItem(k, JSON.stringify(v)); }

  // The status line: always visible, switched automatically.
  var net = document.createElement("p");
  net.setAttribute("data-test", "net");
  root.insertBefore(net, form);
  var online = navigator.onLine;
  function showNet() {
    var q = load(queueKey, []).length;
    net.className = "net " + (online ? "net--online" : "net--offline");
    net.setAttribute("data-online", online ? "yes" : "no");
    net.textContent = (online ? t("online") : t("offline")) + (q ? " · " + q + " " + t("queued") : "");
  }
  var conflictsBox = document.createElement("section");
  conflictsBox.setAttribute("data-test", "sync-conflicts");
  root.appendChild(conflictsBox);
  function showConflicts() {
    var list = load(conflictKey, []);
    conflictsBox.className = list.length ? "card notice notice--warn" : "";
    conflictsBox.textContent = "";
    if (!list.length) return;
    var h = document.createElement("h2");
    h.textContent = t("conflicts");
    conflictsBox.appendChild(h);
    list.forEach(function (c) {
      var p = document.createElement("p");
      p.textContent = c.name + " · " + c.code + " · " + t("first") + " " + (c.at || "") + " " + (c.device || "");
      conflictsBox.appendChild(p);
    });
  }

  function result(kind, name, detail, code, heads) {
    var box = root.querySelector('[data-test="checkin-result"]');
    if (!box) {
      box = document.createElement("section");
      box.setAttribute("data-test", "checkin-result");
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "assertive");
      root.insertBefore(box, form);
    }
    var good = kind === "ok" || kind === "undone";
    box.className = "checkin__result checkin__result--" + (good ? "ok" : "no");
    box.setAttribute("data-result", kind);
    box.textContent = "";
    var add = function (cls, text, test) {
      var p = document.createElement("p");
      p.className = cls;
      p.textContent = text;
      if (test) p.setAttribute("data-test", test);
      box.appendChild(p);
    };
    add("checkin__verdict", t(kind));
    add("checkin__verdict-other", other(kind));
    if (name) add("checkin__name", name, "checkin-name");
    if (detail) add("", detail, "checkin-detail");
    if (kind === "confirm" && code) {
      var go = document.createElement("button");
      go.type = "button";
      go.className = "button";
      go.setAttribute("data-test", "confirm-admit");
      go.textContent = t("confirm_go");
      go.addEventListener("click", function () { check(code, heads, true); });
      box.appendChild(go);
    }
    if (kind === "ok" && code && online && undoUrl) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button button--quiet";
      b.setAttribute("data-test", "undo");
      b.textContent = t("undo");
      b.addEventListener("click", function () { undo(code); });
      box.appendChild(b);
    }
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf, "Accept-Language": lang },
      body: JSON.stringify(body)
    });
  }

  // The whole list, page by page (the API pages every list that can grow);
  // kept only once every page has come.
  function refreshList() {
    var map = {};
    function page(cursor) {
      var url = ticketsUrl + (ticketsUrl.indexOf("?") < 0 ? "?" : "&") + "limit=200" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
      return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error("list"); return r.json(); })
        .then(function (j) {
          j.items.forEach(function (x) {
            var code = norm(x.code || x.ticket_code || "");
            if (!code || x.status === "cancelled") return;
            map[code] = {
              name: x.name || [x.organisation, x.contact_name].filter(Boolean).join(" · "),
              cat: x.people ? (zh ? x.people + " 人" : x.people + (x.people === 1 ? " person" : " people")) : (zh ? x.category_zh : x.category_en),
              at: x.checked_in_at || x.admitted_at || null
            };
          });
          return j.next_cursor ? page(j.next_cursor) : map;
        });
    }
    return page("")
      .then(function (whole) { save(listKey, whole); setOnline(true); })
      .catch(function () { setOnline(false); });
  }

  function offlineCheck(code, heads) {
    var list = load(listKey, {});
    var entry = list[code];
    if (!entry) { result("unknown", "", ""); return; }
    if (entry.at) { result("already", entry.name, t("first") + " " + entry.at); return; }
    entry.at = new Date().toISOString();
    list[code] = entry;
    save(listKey, list);
    var q = load(queueKey, []);
    q.push({ code: code, at: entry.at, name: entry.name, heads: heads || null });
    save(queueKey, q);
    result("ok", entry.name, entry.cat || "");
    showNet();
  }

  function body(code, heads, confirm, at) {
    var b = { code: code, device: device };
    if (eventId) b.event_id = eventId;
    if (heads) b.heads = heads;
    if (confirm) b.confirm = true;
    if (at) b.at = at;
    return b;
  }

  function check(code, heads, confirm) {
    if (!online) { offlineCheck(code, heads); return; }
    post(api, body(code, heads, confirm))
      .then(function (r) {
        if (r.status === 404) { result("unknown", "", ""); return; }
        return r.json().then(function (j) {
          var cat = zh ? j.category_zh : j.category_en;
          if (j.result === "ok") {
            result("ok", j.name, cat, code);
            if (headsInput) headsInput.value = "";
            var list = load(listKey, {});
            if (list[code]) { list[code].at = j.at; save(listKey, list); }
            var c = root.querySelector('[data-count="checked-in"]');
            if (c) c.textContent = String(parseInt(c.textContent, 10) + (j.admitted || 1));
          } else if (j.result === "confirm") {
            result("confirm", j.name, cat, code, heads);
          } else if (j.result === "already") {
            result("already", j.name, t("first") + " " + (j.at || "").replace("T", " ").slice(0, 16) + " · " + j.device);
          } else if (j.result === "other_event" && j.event) {
            result("other-event", j.name, (zh ? j.event.title_zh : j.event.title_en) + " · " + (j.event.starts_at || "").replace("T", " ").slice(0, 16));
          } else {
            result(j.result || "invalid", j.name || "", cat || "");
          }
        });
      })
      .catch(function () { setOnline(false); offlineCheck(code, heads); });
  }

  function undo(code) {
    post(undoUrl, body(code)).then(function (r) {
      if (r.ok) { result("undone", "", ""); var c = root.querySelector('[data-count="checked-in"]'); if (c) c.textContent = String(parseInt(c.textContent, 10) - 1); }
    });
  }

  function sync() {
    var q = load(queueKey, []);
    if (!q.length || !online) return Promise.resolve();
    var item = q[0];
    // What was admitted offline was admitted at the door: it is sent with
    // its time and heads, confirmed.
    return post(api, body(item.code, item.heads, true, item.at))
      .then(function (r) {
        // Signed out or the server failing: keep the queue, try again later.
        if (r.status === 401 || r.status === 403 || r.status >= 500) throw new Error("later");
        if (r.ok) return;
        // Settled, but not as done at the door: listed for the staff.
        return r.json().catch(function () { return {}; }).then(function (j) {
          var cs = load(conflictKey, []);
          cs.push({
            code: item.code,
            name: j.name || item.name || "",
            at: (j.at || "").replace("T", " ").slice(0, 16),
            device: j.result === "already" ? j.device : (j.detail || j.result || String(r.status))
          });
          save(conflictKey, cs);
        });
      })
      .then(function () {
        var rest = load(queueKey, []).filter(function (x) { return x.code !== item.code; });
        save(queueKey, rest);
        showNet();
        showConflicts();
        return sync();
      })
      .catch(function () { setOnline(false); });
  }

  function setOnline(v) {
    var was = online;
    online = v;
    showNet();
    if (v && !was) sync();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var code = norm(input.value);
    var heads = headsInput && headsInput.value ? parseInt(headsInput.value, 10) : null;
    input.value = "";
    input.focus();
    if (code) check(code, heads);
  });
  window.addEventListener("online", function () { setOnline(true); refreshList(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setInterval(function () { if (online) { sync(); } else { refreshList(); } }, 15000);

  // The camera: decoded by the browser's BarcodeDetector where it reads QR
  // codes, else by the vendored jsQR (loaded only when the camera starts).
  function nativeReader() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    var formats = window.BarcodeDetector.getSupportedFormats
      ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    return formats.then(function (f) {
      if (f.indexOf("qr_code") < 0) { return null; }
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function (video) {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
      };
    }).catch(function () { return null; });
  }
  function jsqrReader() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(); return; }
      var s = document.createElement("script");
      s.src = "/static/jsqr.js";
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    }).then(function () {
      var canvas = document.createElement("canvas");
      var ctx2d = canvas.getContext("2d", { willReadFrequently: true });
      return function (video) {
        var w = video.videoWidth || video.width, h = video.videoHeight || video.height;
        if (!w || !h) { return Promise.resolve(null); }
        var scale = Math.min(1, 640 / w);
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        ctx2d.drawImage(video, 0, 0, canvas.width, canvas.height);
        var img = ctx2d.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }
  // Decodes a still image or canvas (used by the browser tests).
  window.liaisonReadQr = function (source) {
    return jsqrReader().then(function (read) { return read(source); });
  };
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    var cam = document.createElement("button");
    cam.type = "button";
    cam.className = "button button--quiet";
    cam.textContent = t("camera");
    cam.setAttribute("data-test", "camera");
    form.appendChild(cam);
    cam.addEventListener("click", function () {
      cam.disabled = true;
      var video = document.createElement("video");
      video.setAttribute("playsinline", "");
      video.muted = true;
      video.className = "checkin__video";
      form.appendChild(video);
      var last = "";
      nativeReader().then(function (read) { return read || jsqrReader(); }).then(function (read) {
        return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
          video.srcObject = stream;
          video.play();
          var busy = false;
          var tick = function () {
            if (!busy) {
              busy = true;
              read(video).then(function (value) {
                busy = false;
                if (value && value !== last) {
                  last = value;
                  check(norm(value));
                  setTimeout(function () { last = ""; }, 3000);
                }
              }).catch(function () { busy = false; });
            }
            requestAnimationFrame(tick);
          };
          tick();
        });
      }).catch(function () {
        cam.disabled = false;
        video.remove();
        cam.textContent = t("camera_failed");
      });
    });
  }

  showNet();
  showConflicts();
  refreshList().then(sync);
  input.focus();
})();
