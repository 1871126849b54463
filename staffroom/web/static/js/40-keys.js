/* Keyboard shortcuts where posts are listed: j/k next/previous post, n new post, r reply,
   f favourite, b repost, ? the list of shortcuts (a <dialog>; Escape closes it). Never while
   typing in a field or with Ctrl/Alt/Meta held. */
(function () {
  'use strict';
  var dialog = document.querySelector('[data-shortcuts]');
  var hasPosts = document.querySelector('article.status') || document.querySelector('[data-live-timeline]');
  if (!dialog && !hasPosts) { return; }
  var hint = document.querySelector('[data-shortcuts-hint]');
  if (hint && dialog) { hint.hidden = false; }
  var opener = null;

  function typing(el) {
    if (!el || !el.tagName) { return false; }
    var tag = el.tagName.toLowerCase();
    return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable;
  }
  function visible(el) {
    return el.offsetParent !== null || el.getClientRects().length > 0;
  }
  function posts() {
    var here = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest('[data-column]');
    var scope = here || document.querySelector('main') || document;
    return Array.prototype.filter.call(scope.querySelectorAll('article.status'), visible);
  }
  function current() {
    var el = document.activeElement;
    return el && el.closest ? el.closest('article.status') : null;
  }
  function move(step) {
    var list = posts();
    if (!list.length) { return; }
    var at = list.indexOf(current());
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + step));
    var target = list[next];
    target.focus({ preventScroll: true });
    var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    target.scrollIntoView({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
  }
  function press(selector) {
    var post = current();
    var button = post && post.querySelector(selector);
    if (button) { button.click(); }
  }
  function openHelp() {
    if (!dialog || dialog.open || !dialog.showModal) { return; }
    opener = document.activeElement;
    dialog.showModal();
  }
  if (dialog) {
    dialog.addEventListener('close', function () {
      if (opener && opener.focus && document.contains(opener)) { opener.focus(); }
      opener = null;
    });
  }

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) { return; }
    if (dialog && dialog.open) { return; }
    var key = e.key;
    if (key === '?') { e.preventDefault(); openHelp(); return; }
    if (e.shiftKey) { return; }
    if (key === 'j') { e.preventDefault(); move(1); }
    else if (key === 'k') { e.preventDefault(); move(-1); }
    else if (key === 'n') {
      var box = document.querySelector('main textarea[name="status"]');
      if (box) { e.preventDefault(); box.focus(); }
    } else if (key === 'r') {
      var post = current();
      var link = post && post.querySelector('[data-key-reply]');
      if (link) { e.preventDefault(); window.location.href = link.href; }
    } else if (key === 'f') { press('[data-key-favourite], [data-key-unfavourite]'); }
    else if (key === 'b') { press('[data-key-reblog], [data-key-unreblog]'); }
  });
}());
