/* Live updates for signed-in pages: ONE WebSocket to the streaming API (the session cookie
   authenticates it), shared with other scripts through DOM events:
   - document "staffroom:subscribe" {detail: {stream: "hashtag", tag: "x"}} adds a stream;
   - document "staffroom:stream" {detail: {stream: [...], event, payload}} carries each frame.
   Here: the notification badge and the home timeline's "N new posts" button. */
(function () {
  'use strict';
  var body = document.body;
  if (!body || !body.hasAttribute('data-signed-in') || !window.WebSocket) { return; }

  var subs = {};
  var socket = null;
  var delay = 1000;

  function send(message) {
    if (socket && socket.readyState === 1) { socket.send(JSON.stringify(message)); }
  }
  function subscribe(fields) {
    var message = { type: 'subscribe' };
    Object.keys(fields).forEach(function (k) { message[k] = fields[k]; });
    var key = JSON.stringify(message);
    if (subs[key]) { return; }
    subs[key] = message;
    send(message);
  }
  function connect() {
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + '/api/v1/streaming');
    socket.onopen = function () {
      delay = 1000;
      Object.keys(subs).forEach(function (k) { send(subs[k]); });
    };
    socket.onmessage = function (e) {
      var frame;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      if (!frame || !frame.event) { return; }
      document.dispatchEvent(new CustomEvent('staffroom:stream', { detail: frame }));
    };
    socket.onclose = function (e) {
      socket = null;
      if (e.code === 1008) { return; } // the session was revoked: do not retry
      var wait = delay + Math.floor(Math.random() * 1000);
      delay = Math.min(delay * 2, 60000);
      setTimeout(connect, wait);
    };
  }
  document.addEventListener('staffroom:subscribe', function (e) { subscribe(e.detail); });

  // The notification badge in the main navigation, on every signed-in page: the server
  // counted the notifications newer than the notifications marker at page load; new ones
  // add to it, and a marker moved by any session of this person ("staffroom.marker", a
  // Staffroom extension of the stream) leaves only those newer than it.
  var badge = document.querySelector('[data-notification-count]');
  var loaded = badge ? (parseInt(badge.textContent, 10) || 0) : 0;
  var arrived = [];
  subscribe({ stream: 'user:notification' });
  function newer(a, b) { // decimal IDs of any length
    return a.length !== b.length ? a.length > b.length : a > b;
  }
  function showBadge() {
    if (!badge) { return; }
    var unread = loaded + arrived.length;
    badge.textContent = unread > 99 ? '99+' : String(unread);
    (badge.closest('[data-notification-badge]') || badge).hidden = unread === 0;
  }

  // The home timeline: count new posts, insert them on request.
  var timeline = document.querySelector('[data-live-timeline]');
  var holder = document.querySelector('[data-live-new]');
  var button = document.querySelector('[data-live-show]');
  var status = document.querySelector('[data-live-status]');
  var pending = [];
  var announceTimer = null;
  if (timeline && button) { subscribe({ stream: 'user' }); }

  function label(n) {
    var text = button.getAttribute(n === 1 ? 'data-label-one' : 'data-label-other') || '{n}';
    return text.replace('{n}', String(n));
  }
  function showCount() {
    holder.hidden = pending.length === 0;
    if (!pending.length) { return; }
    button.textContent = label(pending.length);
    clearTimeout(announceTimer); // announce once things settle, not on every post
    announceTimer = setTimeout(function () {
      if (status && pending.length) { status.textContent = label(pending.length); }
    }, 2000);
  }
  function present(id) {
    return pending.indexOf(id) >= 0 ||
      document.querySelector('[data-status-id="' + id + '"]') !== null;
  }
  function removePost(id) {
    pending = pending.filter(function (p) { return p !== id; });
    var gone = document.querySelectorAll('[data-status-id="' + id + '"], [data-post-id="' + id + '"]');
    Array.prototype.forEach.call(gone, function (el) {
      if (el.contains(document.activeElement)) {
        var next = el.nextElementSibling || el.previousElementSibling;
        if (next) { next.focus({ preventScroll: true }); }
      }
      el.remove();
    });
    if (timeline && button) { showCount(); }
  }

  function insertNew() {
    var ids = pending.slice(0, 40);
    var url = '/web/fragments/statuses?here=%2F&ids=' + ids.join(',');
    button.disabled = true;
    fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.text();
    }).then(function (html) {
      var template = document.createElement('template');
      template.innerHTML = html;
      var articles = template.content.querySelectorAll('article.status');
      var before = timeline.getBoundingClientRect().top;
      var reading = window.scrollY > 0 && before < 0;
      var anchor = reading ? firstVisible() : null;
      var anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
      var first = null;
      Array.prototype.slice.call(articles).reverse().forEach(function (a) {
        if (!document.querySelector('[data-status-id="' + a.getAttribute('data-status-id') + '"]')) {
          timeline.insertBefore(a, timeline.firstChild);
          first = a;
        }
      });
      if (anchor) { window.scrollBy(0, anchor.getBoundingClientRect().top - anchorTop); }
      pending = pending.filter(function (p) { return ids.indexOf(p) < 0; });
      var empty = document.querySelector('[data-empty]');
      if (empty && first) { empty.hidden = true; }
      showCount();
      if (status) { status.textContent = ''; }
      if (first) { first.focus({ preventScroll: true }); }
    }).catch(function () { /* the posts stay counted; the next click retries */ })
      .then(function () { button.disabled = false; });
  }
  function firstVisible() {
    var items = timeline.querySelectorAll('article.status');
    for (var i = 0; i < items.length; i++) {
      if (items[i].getBoundingClientRect().bottom > 0) { return items[i]; }
    }
    return null;
  }
  if (button) { button.addEventListener('click', insertNew); }

  document.addEventListener('staffroom:stream', function (e) {
    var frame = e.detail;
    var name = frame.stream && frame.stream[0];
    if (frame.event === 'delete') { removePost(String(frame.payload)); return; }
    if (frame.event === 'notification' && name === 'user:notification' && badge) {
      var note;
      try { note = JSON.parse(frame.payload); } catch (err) { note = null; }
      var id = note && note.id ? String(note.id) : '';
      if (arrived.indexOf(id) < 0) { arrived.push(id); }
      showBadge();
      return;
    }
    if (frame.event === 'staffroom.marker' && name === 'user:notification') {
      var read;
      try { read = JSON.parse(frame.payload).notifications; } catch (err) { read = null; }
      if (!read || !read.last_read_id) { return; }
      loaded = 0; // the page-load count was of notifications the marker has now passed
      arrived = arrived.filter(function (n) { return n && newer(n, String(read.last_read_id)); });
      showBadge();
      return;
    }
    if (frame.event === 'update' && name === 'user' && timeline && button) {
      var post;
      try { post = JSON.parse(frame.payload); } catch (err) { return; }
      if (post && post.id && !present(String(post.id))) {
        pending.unshift(String(post.id));
        showCount();
      }
    }
  });

  connect();
}());
