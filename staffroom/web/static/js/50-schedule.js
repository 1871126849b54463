/*
 * Scheduling in the reader's own time zone (templates/_schedule_field.html): the form's
 * hidden `time_zone` takes the browser's zone (an IANA name, which the server converts with
 * that zone's rules), a time the server gave in UTC is moved into that zone, and the hint
 * names the zone. Times shown in UTC (`time[data-local-time]`) are shown in local time.
 * Without this script every such time is in UTC, and the page says so.
 */
;(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function utcToLocal(value) {
    var moment = new Date(value + ":00Z");
    if (isNaN(moment.getTime())) return value;
    return (
      moment.getFullYear() + "-" + pad(moment.getMonth() + 1) + "-" + pad(moment.getDate()) +
      "T" + pad(moment.getHours()) + ":" + pad(moment.getMinutes())
    );
  }

  document.querySelectorAll("input[data-time-zone]").forEach(function (hidden) {
    var form = hidden.form;
    var field = form && form.querySelector('input[type="datetime-local"]');
    if (field && field.value && hidden.value === "UTC" && zone !== "UTC") {
      field.value = utcToLocal(field.value);
    }
    hidden.value = zone;
    var hint = form && form.querySelector("[data-zone-hint]");
    if (hint) hint.textContent = hint.getAttribute("data-zone-text").replace("{zone}", zone);
  });

  var lang = document.documentElement.lang || undefined;
  document.querySelectorAll("time[data-local-time]").forEach(function (time) {
    var moment = new Date(time.getAttribute("datetime"));
    if (isNaN(moment.getTime())) return;
    time.textContent = moment.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  });
})();
