/* The deck: each column live through the page's one WebSocket (20-live.js), older posts
   loaded in place, and on narrow screens one column at a time behind accessible tabs. */
(function () {
  'use strict';
  var deck = document.querySelector('[data-deck]');
  if (!deck) { return; }
  var columns = Array.prototype.slice.call(deck.querySelectorAll('[data-column]'));
  var status = deck.querySelector('[data-deck-status]');

  function parse(text) {
    var t = document.createElement('template');
    t.innerHTML = text;
    return t.content;
  }
  function fragment(column, params) {
    var url = '/web/fragments/column?here=%2Fdeck&key=' +
      encodeURIComponent(column.getAttribute('data-key')) + params;
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.text().then(function (html) { return { html: html, older: r.headers.get('X-Older') }; });
    });
  }
  function newestOf(nodes) {
    var newest = '';
    Array.prototype.forEach.call(nodes, function (n) {
      var id = n.getAttribute('data-notification-id') || n.getAttribute('data-status-id') || '';
      if (id.length > newest.length || (id.length === newest.length && id > newest)) { newest = id; }
    });
    return newest;
  }
  function title(column) {
    var h = column.querySelector('h2');
    return h ? h.textContent : '';
  }

  // Live: a matching event refreshes the column with what is newer than its newest item.
  columns.forEach(function (column) {
    var live;
    try { live = JSON.parse(column.getAttribute('data-live') || '{}'); } catch (e) { return; }
    if (!live.stream) { return; }
    column._live = live;
    column._busy = false;
    document.dispatchEvent(new CustomEvent('staffroom:subscribe', { detail: live.stream }));
  });
  function matches(column, frame) {
    var live = column._live;
    var s = live.stream;
    var param = s.tag || s.list;
    if (frame.stream[0] !== s.stream || (param && String(frame.stream[1]).toLowerCase() !== param.toLowerCase())) { return false; }
    var m = live.match || {};
    var item;
    try { item = JSON.parse(frame.payload); } catch (e) { return false; }
    if (m.type && item.type !== m.type) { return false; }
    if (m.account && (!item.account || String(item.account.username).toLowerCase() !== m.account.toLowerCase())) { return false; }
    if (m.text && String(item.content || '').toLowerCase().indexOf(m.text.toLowerCase()) < 0) { return false; }
    return true;
  }
  function refresh(column) {
    if (column._busy) { column._again = true; return; }
    column._busy = true;
    var since = column.getAttribute('data-newest');
    var items = column.querySelector('[data-items]');
    fragment(column, since ? '&since_id=' + since : '').then(function (got) {
      var nodes = parse(got.html);
      var fresh = Array.prototype.filter.call(nodes.children, function (n) {
        var id = n.getAttribute('data-notification-id') || n.getAttribute('data-status-id');
        return !items.querySelector('[data-notification-id="' + id + '"], [data-status-id="' + id + '"]');
      });
      if (!fresh.length) { return; }
      var newest = newestOf(fresh);
      var scroller = items;
      var before = scroller.scrollHeight;
      var top = scroller.scrollTop;
      fresh.reverse().forEach(function (n) { items.insertBefore(n, items.firstChild); });
      if (top > 0) { scroller.scrollTop = top + scroller.scrollHeight - before; } // keep the reader's place
      column.setAttribute('data-newest', newest);
      var empty = column.querySelector('[data-empty]');
      if (empty) { empty.hidden = true; }
      if (status) {
        status.textContent = (status.getAttribute('data-new-label') || '%(column)s').replace('%(column)s', title(column));
      }
    }).catch(function () { /* the next event tries again */ }).then(function () {
      column._busy = false;
      if (column._again) { column._again = false; refresh(column); }
    });
  }
  document.addEventListener('staffroom:stream', function (e) {
    var frame = e.detail;
    if (!frame.stream || (frame.event !== 'update' && frame.event !== 'notification')) { return; }
    columns.forEach(function (column) {
      if (column._live && matches(column, frame)) { refresh(column); }
    });
  });

  // Older posts in place of the plain "Older posts" page.
  deck.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('[data-older]');
    if (!link) { return; }
    var column = link.closest('[data-column]');
    if (!column) { return; }
    e.preventDefault();
    var items = column.querySelector('[data-items]');
    fragment(column, '&max_id=' + link.getAttribute('data-older')).then(function (got) {
      var nodes = parse(got.html);
      var first = nodes.firstElementChild;
      items.appendChild(nodes);
      if (got.older) {
        link.setAttribute('data-older', got.older);
        link.href = link.href.replace(/max_id=\d+/, 'max_id=' + got.older);
      } else {
        link.parentNode.remove();
      }
      if (first) {
        var target = first.matches('article') ? first : first.querySelector('article') || first;
        target.focus({ preventScroll: false });
      }
    }).catch(function () { window.location.href = link.href; });
  });

  // Narrow screens: a tab list shows one column at a time.
  var tabs = deck.querySelector('[data-deck-tabs]');
  var narrow = window.matchMedia ? window.matchMedia('(max-width: 40em)') : null;
  if (!tabs || !narrow || !columns.length) { return; }
  var buttons = Array.prototype.slice.call(tabs.querySelectorAll('[data-tab]'));
  var current = 0;
  function select(index, focus) {
    current = index;
    buttons.forEach(function (b, i) {
      b.setAttribute('aria-selected', i === index ? 'true' : 'false');
      b.tabIndex = i === index ? 0 : -1;
      columns[i].hidden = narrow.matches && i !== index;
    });
    if (focus) { buttons[index].focus(); }
  }
  function layout() {
    tabs.hidden = !narrow.matches;
    columns.forEach(function (c, i) {
      if (narrow.matches) {
        c.setAttribute('role', 'tabpanel');
        c.setAttribute('aria-labelledby', buttons[i].id);
      } else {
        c.removeAttribute('role');
        c.setAttribute('aria-labelledby', c.id + '-title');
      }
    });
    select(current, false);
  }
  buttons.forEach(function (b, i) {
    b.addEventListener('click', function () { select(i, false); });
  });
  tabs.addEventListener('keydown', function (e) {
    var n = buttons.length;
    var to = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: n - 1 }[e.key];
    if (to === undefined) { return; }
    e.preventDefault();
    select((to + n) % n, true);
  });
  if (narrow.addEventListener) { narrow.addEventListener('change', layout); }
  layout();
}());
