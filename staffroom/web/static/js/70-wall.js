// The backchannel wall and audience Q&A, live: one EventSource to /events/{id}/wall/live.
// The projector view inserts posts (HTML from /events/{id}/wall/fragment), removes hidden
// ones and moves pinned ones; other pages refresh their [data-live-region] parts from the
// page itself when a frame of a kind they list (data-wall-refresh-on) arrives.
(function () {
  'use strict';
  var holder = document.querySelector('[data-wall-live]');
  if (!holder || !window.EventSource) { return; }
  var base = holder.getAttribute('data-wall-live');
  var view = document.querySelector('[data-wall-view]');
  var pinnedList = document.querySelector('[data-wall-pinned]');
  var postList = document.querySelector('[data-wall-posts]');
  var KEEP = 30;
  var waiting = [];
  var fetching = false;

  var full = document.querySelector('[data-wall-fullscreen]');
  if (full && document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener('click', function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
    });
  }

  function remove(id) {
    var el = document.getElementById('wall-' + id);
    if (el) { el.remove(); }
  }

  function place(item) {
    remove(item.getAttribute('data-id'));
    if (item.hasAttribute('data-pinned')) {
      pinnedList.insertBefore(item, pinnedList.firstChild);
      return;
    }
    var id = BigInt(item.getAttribute('data-id'));
    var next = null;
    Array.prototype.some.call(postList.children, function (el) {
      if (BigInt(el.getAttribute('data-id')) < id) { next = el; return true; }
      return false;
    });
    postList.insertBefore(item, next);
    while (postList.children.length > KEEP) { postList.lastElementChild.remove(); }
  }

  function fetchPosts() {
    if (fetching || !waiting.length) { return; }
    fetching = true;
    var ids = waiting.splice(0, 40);
    fetch(base + '/fragment?ids=' + ids.join(','), { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.text();
    }).then(function (html) {
      var template = document.createElement('template');
      template.innerHTML = html;
      Array.prototype.slice.call(template.content.querySelectorAll('li.wall-post')).forEach(place);
      var empty = document.querySelector('[data-wall-empty]');
      if (empty && (pinnedList.children.length || postList.children.length)) { empty.remove(); }
    }).catch(function () { /* the next frame or a reload brings them */ }).then(function () {
      fetching = false;
      if (waiting.length) { fetchPosts(); }
    });
  }

  var refreshTimer = null;
  function refreshRegions() {
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      fetch(window.location.pathname + window.location.search, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.text();
      }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        document.querySelectorAll('[data-live-region][id]').forEach(function (region) {
          var other = fresh.getElementById(region.id);
          if (other && !region.contains(document.activeElement)) { region.innerHTML = other.innerHTML; }
        });
      }).catch(function () { /* keep what is shown */ });
    }, 300);
  }

  var refreshOn = (holder.getAttribute('data-wall-refresh-on') || '').split(' ');
  var source = new EventSource(base + '/live');
  source.addEventListener('wall', function (event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    if (view) {
      if (frame.type === 'hide') {
        remove(frame.id);
      } else if (frame.type === 'post' || frame.type === 'pin' || frame.type === 'unpin') {
        if (waiting.indexOf(frame.id) < 0) { waiting.push(frame.id); }
        fetchPosts();
      } else if (frame.type === 'qa') {
        refreshRegions();
      }
    } else if (refreshOn.indexOf(frame.type) >= 0) {
      refreshRegions();
    }
  });
}());
