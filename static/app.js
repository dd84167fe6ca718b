// taskapp: small enhancements on top of htmx. Every page works without this
// file; it only adds keyboard and focus comfort. It never touches the htmx
// global, so it keeps working (doing less) if htmx failed to load, and it
// needs no eval or inline script, as the CSP forbids both.
(function () {
  'use strict';

  // Tell the server the browser's time zone, so that due dates say
  // "Today" by the user's own calendar (web/timezone.go reads the "tz"
  // cookie; the account page sets a zone for browsers without this).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && /^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
      document.cookie = 'tz=' + zone + '; path=/; max-age=31536000; samesite=lax';
    }
  } catch (e) {
    // No Intl: the server counts days in UTC, or the account's zone.
  }

  // Escape inside an inline edit form cancels it, by clicking the element
  // marked [data-cancel] so that htmx (or plain navigation) does the rest.
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) {
      return;
    }
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var scope = target.closest('[data-inline-edit]');
    var cancel = scope && scope.querySelector('[data-cancel]');
    if (!cancel) {
      return;
    }
    event.preventDefault();
    cancel.click();
  });

  // After htmx swaps content in, focus its [autofocus] or [data-autofocus]
  // element: browsers honour autofocus only on page load. htmx fires
  // htmx:load on each new element once it has settled, and on <body> at
  // start-up, where the browser has already done this.
  var autofocus = '[autofocus], [data-autofocus]';
  document.addEventListener('htmx:load', function (event) {
    var root = event.target;
    if (!(root instanceof Element) || root === document.body) {
      return;
    }
    var elt = root.matches(autofocus) ? root : root.querySelector(autofocus);
    if (elt && typeof elt.focus === 'function') {
      elt.focus();
      // Put the caret after the text, so typing adds to it rather than
      // in front of it.
      if (typeof elt.setSelectionRange === 'function' && typeof elt.value === 'string') {
        try {
          elt.setSelectionRange(elt.value.length, elt.value.length);
        } catch (e) {
          // Input types without a text selection (e.g. email) refuse it.
        }
      }
    }
  });

  // When htmx deletes a task row, the focused Delete button disappears and
  // focus would fall back to <body>, sending keyboard and screen-reader
  // users to the top of the page. Move it to the neighbouring row's Edit
  // button, or to the new-task field when the list is now empty.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var detail = event.detail;
    if (!detail || !detail.requestConfig || detail.requestConfig.verb !== 'delete') {
      return;
    }
    var row = detail.elt instanceof Element ? detail.elt.closest('li.task') : null;
    if (!row) {
      return;
    }
    var neighbour = row.nextElementSibling || row.previousElementSibling;
    var next = neighbour && neighbour.querySelector('.task-actions a[role="button"]');
    setTimeout(function () {
      var target = next && next.isConnected ? next : document.getElementById('new-title');
      if (target) {
        target.focus();
      }
    }, 0);
  });
})();
