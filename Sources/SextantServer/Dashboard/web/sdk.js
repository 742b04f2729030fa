/* Sextant browser SDK: pageviews (including history navigation), clicks, errors, network timing,
 * session and user identity, batched like Lucent's SDK (every 10 s, 500 events or 1 MiB), gzip
 * through CompressionStream when the browser has it, sendBeacon on pagehide. With rrweb on the
 * page (window.rrweb or window.rrwebRecord) it records the session and uploads replay chunks.
 *
 *   <script src="https://sextant.example.com/sdk.js"></script>
 *   <script>Sextant.init({ app: "shop", key: "sx_pk_…" });</script>
 */
(function () {
  'use strict';
  if (window.Sextant) return;
  var script = document.currentScript;
  var defaults = {
    endpoint: script && script.src ? new URL(script.src).origin : location.origin,
    flushIntervalMs: 10000, maxEventsPerBatch: 500, maxBatchBytes: 1024 * 1024,
    replayChunkMs: 10000, sessionTimeoutMs: 30 * 60 * 1000, capture: { pageviews: true, clicks: true, errors: true, network: true },
  };
  var config = null, queue = [], queueBytes = 0, timer = null, userId = null;
  var replay = { events: [], seq: 0, stop: null, timer: null };

  function now() { return Date.now(); }
  function id() { return Math.random().toString(36).slice(2) + now().toString(36); }
  function storage(kind) { try { return window[kind]; } catch (e) { return null; } }

  // A session lasts until 30 minutes without activity, within one tab.
  function sessionId() {
    var store = storage('sessionStorage'), raw = store && store.getItem('sextant.session'), session = null;
    try { session = raw && JSON.parse(raw); } catch (e) { session = null; }
    if (!session || now() - session.last > config.sessionTimeoutMs) session = { id: 's_' + id(), last: now(), seq: 0 };
    session.last = now();
    if (store) store.setItem('sextant.session', JSON.stringify(session));
    return session.id;
  }
  function anonymousId() {
    var store = storage('localStorage'), value = store && store.getItem('sextant.anon');
    if (!value) { value = 'anon_' + id(); if (store) store.setItem('sextant.anon', value); }
    return value;
  }

  function enqueue(event) {
    if (!config) return;
    event.ts = event.ts || now();
    event.session_id = sessionId();
    event.user_id = userId || anonymousId();
    if (!event.url) event.url = location.href;
    var size = JSON.stringify(event).length;
    queue.push(event);
    queueBytes += size;
    if (queue.length >= config.maxEventsPerBatch || queueBytes >= config.maxBatchBytes) flush();
  }

  function gzip(text) {
    if (!window.CompressionStream) return Promise.resolve(null);
    var stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  }

  function post(path, text, extraHeaders) {
    var url = config.endpoint + path;
    return gzip(text).then(function (compressed) {
      var headers = { 'Content-Type': 'application/json' };
      for (var name in extraHeaders || {}) headers[name] = extraHeaders[name];
      if (compressed) headers['Content-Encoding'] = 'gzip';
      return originalFetch(url, { method: 'POST', headers: headers, body: compressed || text, keepalive: !compressed && text.length < 60000 });
    });
  }

  function takeBatch() {
    var events = queue;
    queue = [];
    queueBytes = 0;
    return JSON.stringify({ app: config.app, key: config.key, events: events });
  }

  function flush() {
    if (!config || !queue.length) return Promise.resolve();
    var body = takeBatch();
    return post('/v1/events', body).catch(function () { /* dropped: the page keeps working */ });
  }

  // On pagehide the page may be gone before a fetch finishes: sendBeacon survives it.
  function flushOnExit() {
    if (!config) return;
    uploadReplay(true);
    if (!queue.length) return;
    var body = takeBatch();
    if (!(navigator.sendBeacon && navigator.sendBeacon(config.endpoint + '/v1/events', new Blob([body], { type: 'text/plain' })))) {
      originalFetch(config.endpoint + '/v1/events', { method: 'POST', body: body, keepalive: true, headers: { 'Content-Type': 'text/plain' } });
    }
  }

  function selector(element) {
    if (!element || !element.tagName) return '';
    var part = element.tagName.toLowerCase();
    if (element.id) return part + '#' + element.id;
    if (typeof element.className === 'string' && element.className.trim()) part += '.' + element.className.trim().split(/\s+/).slice(0, 2).join('.');
    return part;
  }

  function capturePageview() { enqueue({ type: 'pageview', name: location.pathname, url: location.href, props: { title: document.title, referrer: document.referrer || null } }); }

  function watchHistory() {
    var last = location.href;
    function changed() { if (location.href !== last) { last = location.href; capturePageview(); } }
    ['pushState', 'replaceState'].forEach(function (method) {
      var original = history[method];
      history[method] = function () { var result = original.apply(this, arguments); changed(); return result; };
    });
    window.addEventListener('popstate', changed);
    window.addEventListener('hashchange', changed);
  }

  function captureClicks() {
    document.addEventListener('click', function (event) {
      var target = event.target && event.target.closest ? event.target.closest('a,button,input,select,textarea,[role=button],[onclick]') || event.target : event.target;
      if (!target || !target.tagName) return;
      var text = (target.innerText || target.value || '').toString().trim().slice(0, 80);
      if (target.type === 'password') text = '';
      enqueue({ type: 'event', name: 'click', props: { target: selector(target), text: text, href: target.href || null } });
    }, true);
  }

  function captureErrors() {
    window.addEventListener('error', function (event) {
      if (!event.error && !event.message) return;
      var error = event.error || {};
      enqueue({ type: 'error', name: error.name || 'Error', props: { message: error.message || event.message, stack: error.stack || null,
        source: event.filename || null, line: event.lineno || null, column: event.colno || null } });
    });
    window.addEventListener('unhandledrejection', function (event) {
      var reason = event.reason || {};
      enqueue({ type: 'error', name: reason.name || 'UnhandledRejection', props: { message: reason.message || String(event.reason), stack: reason.stack || null, unhandled: true } });
    });
  }

  var originalFetch = window.fetch ? window.fetch.bind(window) : null;
  function isOwn(url) { return String(url).indexOf(config.endpoint + '/v1/') === 0 || String(url).indexOf(config.endpoint + '/api/sdk/') === 0; }
  function networkEvent(method, url, status, started) {
    var parsed;
    try { parsed = new URL(url, location.href); } catch (e) { return; }
    enqueue({ type: 'network', name: method.toUpperCase() + ' ' + parsed.pathname,
      props: { url: parsed.origin + parsed.pathname, status: status, duration_ms: Math.round(performance.now() - started) } });
  }
  function captureNetwork() {
    if (originalFetch) {
      window.fetch = function (input, init) {
        var url = typeof input === 'string' ? input : (input && input.url) || String(input);
        var method = (init && init.method) || (input && input.method) || 'GET';
        var started = performance.now();
        var pending = originalFetch(input, init);
        if (isOwn(url)) return pending;
        return pending.then(function (response) { networkEvent(method, url, response.status, started); return response; },
          function (error) { networkEvent(method, url, 0, started); throw error; });
      };
    }
    var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url) { this.__sextant = { method: method, url: url }; return open.apply(this, arguments); };
    XMLHttpRequest.prototype.send = function () {
      var request = this, info = request.__sextant, started = performance.now();
      if (info && !isOwn(info.url)) request.addEventListener('loadend', function () { networkEvent(info.method, info.url, request.status, started); });
      return send.apply(this, arguments);
    };
  }

  // Replay: rrweb events buffered and uploaded as numbered chunks of the session.
  function startReplay() {
    var record = (window.rrweb && window.rrweb.record) || window.rrwebRecord;
    if (!record) return;
    replay.stop = record({ emit: function (event) { replay.events.push(event); }, maskAllInputs: true });
    replay.timer = setInterval(function () { uploadReplay(false); }, config.replayChunkMs);
  }
  function uploadReplay(exiting) {
    if (!replay.events.length) return;
    var events = replay.events;
    replay.events = [];
    var session = sessionId();
    var store = storage('sessionStorage'), state = JSON.parse((store && store.getItem('sextant.session')) || '{}');
    var seq = (state.seq || 0) + 1;
    state.seq = seq;
    if (store) store.setItem('sextant.session', JSON.stringify(state));
    var text = JSON.stringify(events);
    var query = '?session=' + encodeURIComponent(session.replace(/[^A-Za-z0-9_-]/g, '')) + '&seq=' + seq + '&app=' + encodeURIComponent(config.app) +
      '&key=' + encodeURIComponent(config.key) + '&ts=' + events[0].timestamp;
    if (window.CompressionStream) {
      gzip(text).then(function (body) {
        return originalFetch(config.endpoint + '/v1/replay' + query, { method: 'POST', body: body, keepalive: exiting && body.byteLength < 60000,
          headers: { 'Content-Type': 'application/octet-stream' } });
      }).catch(function () {});
    } else {
      // Without gzip in the browser, Lucent's JSON replay route takes the same chunk.
      var batch = { session: { id: session }, user: { anonymousId: anonymousId(), id: userId }, page: { url: location.href },
        replay: { events: events, sequence: seq - 1 }, flush: exiting ? 'final' : 'normal' };
      originalFetch(config.endpoint + '/api/sdk/replay?api_key=' + encodeURIComponent(config.key),
        { method: 'POST', body: JSON.stringify(batch), keepalive: exiting, headers: { 'Content-Type': 'text/plain' } }).catch(function () {});
    }
  }

  window.Sextant = {
    init: function (options) {
      if (config) return;
      if (!options || !options.app || !options.key) throw new Error('Sextant.init needs { app, key }');
      config = {};
      for (var name in defaults) config[name] = defaults[name];
      for (name in options) config[name] = options[name];
      if (options.userId) userId = options.userId;
      if (config.capture.network) captureNetwork();
      if (config.capture.errors) captureErrors();
      if (config.capture.clicks) captureClicks();
      if (config.capture.pageviews) { capturePageview(); watchHistory(); }
      timer = setInterval(flush, config.flushIntervalMs);
      window.addEventListener('pagehide', flushOnExit);
      document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') flush(); });
      startReplay();
    },
    identify: function (id) { userId = id ? String(id) : null; },
    track: function (name, props) { enqueue({ type: 'event', name: String(name), props: props || null }); },
    captureError: function (error, props) {
      var details = props || {};
      details.message = error && error.message || String(error);
      details.stack = error && error.stack || null;
      enqueue({ type: 'error', name: error && error.name || 'Error', props: details });
    },
    reportBug: function (message, props) { var details = props || {}; details.message = message; enqueue({ type: 'bug_report', name: 'bug_report', props: details }); },
    flush: function () { uploadReplay(false); return flush(); },
    get sessionId() { return config ? sessionId() : null; },
  };
})();
