/*
 * cccd-agent.js: a browser client for the local cccd-reader agent (`cccd serve`).
 * One file, no build step, no dependencies:
 *   <script src="cccd-agent.js"></script>   ->   window.CccdAgent
 * It also works as a CommonJS module (module.exports = CccdAgent).
 *
 *   const agent = new CccdAgent({ url: "http://127.0.0.1:8765", token: null });
 *   const status = await agent.status();            // {version, readers: [{name, card_present}]}
 *   const record = await agent.read({ id: "001190012345" }, { photo: true });
 *   const events = agent.events({ onEvent: (m) => console.log(m.type, m) });
 *   events.read({ can: "123456" }, { photo: true }); // record arrives as {type: "record"}
 *   events.close();
 *
 * Errors are thrown (or delivered as {type: "error"}) as CccdAgent.Error with `code`, `message`
 * and `status` (HTTP status; 0 when the agent cannot be reached or refused this page).
 * The page's origin must be in the agent's --allow-origin list; a refused page sees only
 * a network error, by design (the agent sends it no CORS headers).
 * This file never stores a record or a key: keep it that way in your page.
 */
(function (root, factory) {
  "use strict";
  var CccdAgent = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = CccdAgent;
  } else {
    root.CccdAgent = CccdAgent;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  function AgentError(code, message, status) {
    var err = new Error(message);
    err.name = "CccdAgentError";
    err.code = code;
    err.status = status || 0;
    return err;
  }

  var KEY_KINDS = ["can", "id", "mrz", "qr"];

  function checkKey(key) {
    var kinds = KEY_KINDS.filter(function (k) { return key && typeof key[k] === "string"; });
    if (kinds.length !== 1) {
      throw AgentError("bad_key", "give exactly one key: can, id, mrz or qr", 400);
    }
    var out = {};
    out[kinds[0]] = key[kinds[0]];
    return out;
  }

  function CccdAgent(options) {
    options = options || {};
    this.url = (options.url || "http://127.0.0.1:8765").replace(/\/+$/, "");
    this.token = options.token || null;
    this.timeoutMs = options.timeoutMs || 30000;
  }

  CccdAgent.Error = AgentError;
  CccdAgent.version = "1";

  CccdAgent.prototype._fetch = function (path, init) {
    init = init || {};
    var headers = init.headers || {};
    if (this.token) headers.Authorization = "Bearer " + this.token;
    init.headers = headers;
    init.cache = "no-store";
    init.credentials = "omit";
    var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    var timer = null;
    if (controller) {
      init.signal = controller.signal;
      timer = setTimeout(function () { controller.abort(); }, this.timeoutMs);
    }
    return fetch(this.url + path, init).then(function (resp) {
      return resp.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (!resp.ok) {
          var e = (body && body.error) || {};
          throw AgentError(e.code || "http_" + resp.status, e.message || resp.statusText,
                           resp.status);
        }
        return body;
      });
    }, function (err) {
      throw AgentError("unreachable",
        "the card agent cannot be reached, or does not allow this page (" + err.message + ")", 0);
    }).finally(function () { if (timer) clearTimeout(timer); });
  };

  /** GET /v1/status */
  CccdAgent.prototype.status = function () {
    return this._fetch("/v1/status", { method: "GET" });
  };

  /** POST /v1/read: key is {can}|{id}|{mrz}|{qr}; options {photo, reader}. */
  CccdAgent.prototype.read = function (key, options) {
    options = options || {};
    var body = checkKey(key);
    if (options.photo) body.photo = true;
    if (options.reader) body.reader = options.reader;
    return this._fetch("/v1/read", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  };

  CccdAgent.prototype._post = function (path, body) {
    return this._fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  };

  /**
   * POST /v1/active-auth: the chip signs challenge (base64 of 8 bytes, chosen by your server).
   * key as for read() (the agent keeps no keys); options {readId, reader}: with readId, on that
   * read's card only, and the answer is kept for evidence().
   */
  CccdAgent.prototype.activeAuth = function (challenge, key, options) {
    options = options || {};
    var body = checkKey(key);
    body.challenge = challenge;
    if (options.readId) body.read_id = options.readId;
    if (options.reader) body.reader = options.reader;
    return this._post("/v1/active-auth", body);
  };

  /**
   * POST /v1/face-match: image (a data: URL or base64 of a JPEG/PNG) against the portrait of
   * the read readId. options {keepLiveImage}: keep the picture for evidence() (consent asked).
   */
  CccdAgent.prototype.faceMatch = function (readId, image, options) {
    options = options || {};
    var body = { read_id: readId, image: image };
    if (options.keepLiveImage) body.keep_live_image = true;
    return this._post("/v1/face-match", body);
  };

  /**
   * POST /v1/evidence: the evidence package of the read readId. options {aaChallenge (the
   * challenge given to activeAuth), face (include this read's face result), includeLiveImage}.
   */
  CccdAgent.prototype.evidence = function (readId, options) {
    options = options || {};
    var body = { read_id: readId };
    if (options.aaChallenge) body.aa_challenge = options.aaChallenge;
    if (options.face) body.face = true;
    if (options.includeLiveImage) body.include_live_image = true;
    return this._post("/v1/evidence", body);
  };

  /**
   * The WebSocket /v1/events, reconnecting with a growing delay (1 s .. 15 s).
   * handlers: onEvent(message), onOpen(), onClose(info). Returns {read(key, options), close()}.
   */
  CccdAgent.prototype.events = function (handlers) {
    handlers = handlers || {};
    var self = this;
    var ws = null;
    var closed = false;
    var delay = 1000;
    var wsUrl = this.url.replace(/^http/, "ws") + "/v1/events" +
      (this.token ? "?token=" + encodeURIComponent(this.token) : "");

    function emit(message) {
      if (handlers.onEvent) {
        try { handlers.onEvent(message); } catch (e) { setTimeout(function () { throw e; }); }
      }
    }

    function open() {
      if (closed) return;
      try {
        ws = new WebSocket(wsUrl);
      } catch (e) {
        schedule();
        return;
      }
      ws.onopen = function () {
        delay = 1000;
        if (handlers.onOpen) handlers.onOpen();
      };
      ws.onmessage = function (ev) {
        var message;
        try { message = JSON.parse(ev.data); } catch (e) { return; }
        if (message && message.type === "error" && message.error) {
          message.error = AgentError(message.error.code, message.error.message,
                                     message.status || 0);
        }
        emit(message);
      };
      ws.onclose = function (ev) {
        if (handlers.onClose) handlers.onClose({ code: ev.code, reason: ev.reason });
        schedule();
      };
      ws.onerror = function () { /* onclose follows */ };
    }

    function schedule() {
      if (closed) return;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 15000);
    }

    open();
    return {
      read: function (key, options) {
        options = options || {};
        var message = { type: "read", key: checkKey(key) };
        if (options.photo) message.photo = true;
        if (options.reader) message.reader = options.reader;
        if (!ws || ws.readyState !== 1) {
          throw AgentError("unreachable", "not connected to the card agent", 0);
        }
        ws.send(JSON.stringify(message));
      },
      close: function () {
        closed = true;
        if (ws) ws.close();
      },
      get connected() { return !!ws && ws.readyState === 1; },
    };
  };

  /** The record's fields a registration form needs, in the card's own Vietnamese. */
  CccdAgent.summary = function (record) {
    var h = record.holder || {};
    var m = record.mrz || {};
    var v = record.verification || {};
    return {
      fullName: h.full_name || m.names || "",
      personalNumber: h.personal_number || m.personal_number || m.document_number || "",
      dateOfBirth: h.date_of_birth || m.date_of_birth || "",
      sex: h.sex || m.sex || "",
      address: h.place_of_residence || "",
      placeOfOrigin: h.place_of_origin || "",
      dateOfExpiry: h.date_of_expiry || m.date_of_expiry || "",
      photoUrl: (record.photo && record.photo.data_url) || "",
      verdict: v.verdict || null,
      failedChecks: (v.checks || []).filter(function (c) { return c.status === "fail"; }),
    };
  };

  /** Words for a verdict code, Vietnamese first; unknown codes fall back to the code. */
  CccdAgent.verdictText = {
    genuine: "Thẻ thật (đã xác minh) / Genuine",
    unverified: "Chưa xác minh được nguồn gốc / Unverified",
    not_genuine: "KHÔNG HỢP LỆ / Not genuine",
    inconsistent: "Dữ liệu không khớp / Inconsistent",
  };

  return CccdAgent;
});
