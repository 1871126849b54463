/* The notifications page marks what it shows as read: its "Mark all as read" form (a plain
   form without JavaScript) is sent at once, in the background, and the answer (the markers,
   as the API gives them) is passed to 20-live.js as the same "staffroom.marker" frame the
   person's other sessions receive from the stream, so the badge clears here too. */
(function () {
  'use strict';
  var form = document.querySelector('form[data-mark-read]');
  if (!form || !window.fetch) { return; }
  fetch(form.action, {
    method: 'POST',
    body: new FormData(form),
    credentials: 'same-origin',
    headers: { 'Accept': 'application/json' }
  }).then(function (r) {
    if (!r.ok) { throw new Error(String(r.status)); }
    return r.text();
  }).then(function (text) {
    form.hidden = true;
    document.dispatchEvent(new CustomEvent('staffroom:stream', {
      detail: { stream: ['user:notification'], event: 'staffroom.marker', payload: text }
    }));
  }).catch(function () { /* the form stays: the person can send it */ });
}());
