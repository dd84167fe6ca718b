// taskapp: small enhancements on top of htmx. Every page works without this
// file; it only adds keyboard and focus comfort, and live updates of the
// task list. It uses the htmx global only when it is there, so it keeps
// working (doing less) if htmx failed to load, and it needs no eval or
// inline script, as the CSP forbids both.
(function () {
  'use strict';

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

  // Live updates: the task list region names its event stream in
  // data-live. Each "tasks" event (a change in another tab, device or
  // instance) re-fetches the region at the page's own URL, so its filter,
  // search and page stay as they are. While an inline edit is open the
  // region is left alone and the row says it changed elsewhere; the
  // refresh runs once the edit closes. A reconnect refreshes too, as
  // events may have been missed meanwhile.
  var region = document.getElementById('task-region');
  var streamURL = region && region.getAttribute('data-live');
  if (streamURL && window.EventSource && window.htmx) {
    var pending = false;
    var refresh = function () {
      var edit = document.querySelector('#task-region [data-inline-edit]');
      if (edit) {
        pending = true;
        markChanged(edit);
        return;
      }
      pending = false;
      var focus = focusKey(document.activeElement);
      window.htmx.ajax('GET', location.pathname + location.search, {
        target: '#task-region',
        swap: 'outerHTML',
        headers: { 'X-Live-Refresh': 'true' }
      }).then(function () {
        restoreFocus(focus);
      });
    };
    var opened = false;
    var source = new EventSource(streamURL);
    source.addEventListener('tasks', refresh);
    // data-live on <html> says whether the stream is connected (for
    // styles and tests); it is not in the region, which refreshes replace.
    source.addEventListener('error', function () {
      document.documentElement.setAttribute('data-live', 'reconnecting');
    });
    source.addEventListener('open', function () {
      document.documentElement.setAttribute('data-live', 'open');
      if (opened) {
        refresh();
      }
      opened = true;
    });
    document.addEventListener('htmx:afterSettle', function () {
      if (pending && !document.querySelector('#task-region [data-inline-edit]')) {
        refresh();
      }
    });
  }

  // markChanged tells the person editing that the task changed elsewhere,
  // once, in a polite live region: the edit and focus stay as they are.
  function markChanged(form) {
    if (form.querySelector('.changed-elsewhere')) {
      return;
    }
    var note = document.createElement('p');
    note.className = 'changed-elsewhere';
    note.setAttribute('role', 'status');
    note.textContent = 'Changed elsewhere: the list updates when you save or cancel.';
    form.insertBefore(note, form.firstChild);
  }

  // A refresh replaces the region. htmx keeps focus on an element with an
  // id; focusKey and restoreFocus do the same for the rows' buttons and
  // links, found again by their row and accessible name.
  function focusKey(elt) {
    if (!(elt instanceof Element) || elt.id || !elt.closest('#task-region')) {
      return null;
    }
    var row = elt.closest('li.task');
    var label = elt.getAttribute('aria-label');
    return row && label ? { row: row.id, label: label } : null;
  }

  function restoreFocus(key) {
    if (!key || (document.activeElement && document.activeElement !== document.body)) {
      return;
    }
    var row = document.getElementById(key.row);
    if (!row) {
      return;
    }
    var candidates = row.querySelectorAll('[aria-label]');
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].getAttribute('aria-label') === key.label) {
        candidates[i].focus();
        return;
      }
    }
  }
})();
