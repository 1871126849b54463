/* An event's live room (templates/room.html): the posts arrive without reloading.
   20-live.js's one WebSocket is asked for the "hashtag" stream of the room's tag; when an
   update comes (or every 15 s, in case the socket is down or the reader is signed out) the
   page asks /web/fragments/room (at most every 500 ms) for the posts newer than the newest
   shown, rendered and filtered by the server exactly as a page load (public only, the
   event's window, blocks, mutes, mutes in this room). "Pause" holds new posts back and counts them ("N new",
   announced politely); "Resume" or the count's button inserts them. */
(function () {
  'use strict';
  var room = document.querySelector('[data-room]');
  var feed = document.querySelector('[data-room-feed]');
  if (!room || !feed || !window.fetch) { return; }
  var tools = room.querySelector('[data-room-tools]');
  var pauseButton = room.querySelector('[data-room-pause]');
  var newButton = room.querySelector('[data-room-new]');
  var empty = room.querySelector('[data-room-empty]');
  var eventId = room.getAttribute('data-event-id');
  var tag = room.getAttribute('data-tag') || '';
  var newest = room.getAttribute('data-newest') || '';
  var paused = false;
  var held = [];      // articles fetched while paused, newest first
  var busy = false;
  var again = false;

  if (tools) { tools.hidden = false; }

  function label(n) {
    var text = newButton.getAttribute(n === 1 ? 'data-label-one' : 'data-label-other') || '{n}';
    return text.replace('{n}', String(n));
  }
  function showHeld() {
    if (!newButton) { return; }
    newButton.hidden = held.length === 0;
    newButton.textContent = held.length ? label(held.length) : '';
  }
  function present(item) {
    var id = item.getAttribute('data-room-post');
    return document.querySelector('[data-room-post="' + id + '"]') !== null ||
      held.some(function (h) { return h.getAttribute('data-room-post') === id; });
  }
  function insert(items) { // newest first
    items.slice().reverse().forEach(function (item) {
      if (!document.querySelector('[data-room-post="' + item.getAttribute('data-room-post') + '"]')) {
        feed.insertBefore(item, feed.firstChild);
      }
    });
    if (empty && feed.children.length) { empty.hidden = true; }
  }
  // At most one request in flight, and one start per GAP: in a busy chat (ten posts a
  // second) every viewer asking after each update would be thousands of requests a second;
  // spaced like this each request brings the few posts since the last, a fraction of a
  // second later.
  var GAP = 500;
  var lastStart = 0;
  var timer = null;
  function fetchNew() {
    if (busy) { again = true; return; }
    var wait = lastStart + GAP - Date.now();
    if (wait > 0) {
      if (!timer) { timer = setTimeout(function () { timer = null; fetchNew(); }, wait); }
      return;
    }
    busy = true;
    lastStart = Date.now();
    var url = '/web/fragments/room?event=' + encodeURIComponent(eventId) +
      (newest ? '&since_id=' + encodeURIComponent(newest) : '');
    fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      var top = r.headers.get('X-Newest');
      return r.text().then(function (html) { return { html: html, top: top }; });
    }).then(function (got) {
      var template = document.createElement('template');
      template.innerHTML = got.html;
      var items = Array.prototype.slice.call(template.content.querySelectorAll('[data-room-post]'))
        .filter(function (item) { return !present(item); });
      if (got.top) { newest = got.top; }
      if (!items.length) { return; }
      if (paused) { held = items.concat(held); showHeld(); } else { insert(items); }
    }).catch(function () { /* the next update or poll tries again */ })
      .then(function () {
        busy = false;
        if (again) { again = false; fetchNew(); }
      });
  }
  function resume() {
    paused = false;
    insert(held);
    held = [];
    showHeld();
    if (pauseButton) {
      pauseButton.setAttribute('aria-pressed', 'false');
      pauseButton.textContent = pauseButton.getAttribute('data-label-pause');
    }
  }
  if (pauseButton) {
    pauseButton.addEventListener('click', function () {
      if (paused) { resume(); return; }
      paused = true;
      pauseButton.setAttribute('aria-pressed', 'true');
      pauseButton.textContent = pauseButton.getAttribute('data-label-resume');
    });
  }
  if (newButton) { newButton.addEventListener('click', resume); }

  document.addEventListener('staffroom:stream', function (e) {
    var frame = e.detail;
    var name = frame.stream && frame.stream[0];
    var streamTag = frame.stream && frame.stream[1];
    if (frame.event === 'update' && name === 'hashtag' &&
        String(streamTag || '').toLowerCase() === tag.toLowerCase()) {
      fetchNew();
    }
  });
  if (tag) {
    document.dispatchEvent(new CustomEvent('staffroom:subscribe', {
      detail: { stream: 'hashtag', tag: tag }
    }));
  }
  setInterval(fetchNew, 15000);
}());
