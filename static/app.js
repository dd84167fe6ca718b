// taskapp: small enhancements on top of htmx. Every page works without this
// file; it only adds keyboard and focus comfort, and live updates of the
// task list. It uses the htmx global only when it is there, so it keeps
// working (doing less) if htmx failed to load, and it needs no eval or
// inline script, as the CSP forbids both.
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

  // ---- Keyboard shortcuts on the task list (the ? dialog lists them) ----
  // Single keys, so they are off while typing in a field, with a modifier
  // held, and for users who turned them off on the account page
  // (data-shortcuts on <body>; WCAG 2.1.4). Each acts through the row's
  // own controls, so htmx, confirmations and focus rules stay the same.
  var goPending = false;
  var currentID = '';

  function shortcutsOn() {
    return document.body && document.body.getAttribute('data-shortcuts') === 'on' &&
      document.getElementById('task-region') !== null;
  }

  function typing(target) {
    return target instanceof Element &&
      (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null);
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('#task-list > li.task'));
  }

  function currentRow() {
    var active = document.activeElement;
    var row = active instanceof Element ? active.closest('li.task') : null;
    return row || (currentID && document.getElementById(currentID)) || null;
  }

  function announce(text) {
    var status = document.getElementById('shortcut-status');
    if (status) {
      status.textContent = text;
    }
  }

  function rowTitle(row) {
    var title = row.querySelector('.task-title');
    return title ? title.textContent.trim() : '';
  }

  // focusRow makes row the current task: focused (so its ring shows and
  // a screen reader reads it) and announced with its place in the list.
  function focusRow(row, all) {
    row.setAttribute('tabindex', '-1');
    row.focus();
    currentID = row.id;
    announce(rowTitle(row) + ', task ' + (all.indexOf(row) + 1) + ' of ' + all.length);
  }

  function move(step) {
    var all = rows();
    if (all.length === 0) {
      announce('No tasks');
      return;
    }
    var i = all.indexOf(currentRow());
    var next = i < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(i + step, 0), all.length - 1);
    focusRow(all[next], all);
  }

  // toggle marks the row completed, or pending when it already is,
  // through its status form (a change event makes htmx send it).
  function toggle(row) {
    var select = row.querySelector('.task-actions select');
    if (!select) {
      return;
    }
    select.value = select.value === 'completed' ? 'pending' : 'completed';
    currentID = row.id;
    select.dispatchEvent(new Event('change', {bubbles: true}));
    // Without htmx, submit the shared row form to this row's task, as
    // its Update button would.
    if (!window.htmx && select.form) {
      select.form.action = select.getAttribute('hx-patch');
      select.form.requestSubmit();
    }
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (field) {
      field.focus();
      return true;
    }
    return false;
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey ||
        !shortcutsOn() || typing(event.target) || document.querySelector('dialog[open]')) {
      return;
    }
    var key = event.key;
    if (goPending) {
      goPending = false;
      var link = document.querySelector('a[data-shortcut-go="' + (key === 't' || key === 'u' ? key : '-') + '"]');
      if (link) {
        event.preventDefault();
        window.location.assign(link.href);
      }
      return;
    }
    // Arrows keep their scrolling unless a task is current.
    var row = currentRow();
    var handled = true;
    switch (key) {
      case 'j':
        move(1);
        break;
      case 'k':
        move(-1);
        break;
      case 'ArrowDown':
      case 'ArrowUp':
        if (!row || document.activeElement !== row) {
          return;
        }
        move(key === 'ArrowDown' ? 1 : -1);
        break;
      case 'x':
        if (row) {
          toggle(row);
        }
        break;
      case 'e':
        var edit = row && row.querySelector('.task-actions a[role="button"]');
        if (edit) {
          edit.click();
        }
        break;
      case 'Delete':
      case '#':
        var del = row && row.querySelector('.task-actions button[hx-delete]');
        if (del) {
          del.click();
        }
        break;
      case 'n':
      case 'c':
        handled = focusField('new-title');
        break;
      case '/':
        handled = focusField('q');
        break;
      case 'g':
        goPending = true;
        break;
      case '?':
        var dialog = document.getElementById('shortcuts-dialog');
        if (dialog && typeof dialog.showModal === 'function') {
          dialog.showModal();
        }
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
    }
  });

  // A row swapped in after x (or a save) is the current task again.
  document.addEventListener('htmx:load', function (event) {
    var elt = event.target;
    if (currentID && elt instanceof Element && elt.id === currentID && shortcutsOn() &&
        !elt.contains(document.activeElement)) {
      elt.setAttribute('tabindex', '-1');
      elt.focus();
      var status = elt.querySelector('.status');
      announce(rowTitle(elt) + ': ' + (status ? status.textContent.trim() : ''));
    }
  });

  // ---- Bulk actions: select all on this page, shift-click ranges, a
  // count of what is selected, and a confirmation before a delete. ----
  var lastBox = null;

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('#task-list .task-select'));
  }

  function countSelected() {
    var n = boxes().filter(function (b) { return b.checked; }).length;
    var out = document.querySelector('[data-bulk-count]');
    if (out) {
      out.textContent = n === 1 ? '1 task selected' : n + ' tasks selected';
    }
    var all = document.querySelector('[data-bulk-all] input');
    if (all) {
      all.checked = n > 0 && n === boxes().length;
    }
    return n;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var all = document.querySelector('[data-bulk-all]');
    if (all) {
      all.hidden = false;
    }
  });

  document.addEventListener('click', function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement)) {
      return;
    }
    if (box.closest('[data-bulk-all]')) {
      boxes().forEach(function (b) { b.checked = box.checked; });
      countSelected();
      return;
    }
    if (!box.classList.contains('task-select')) {
      return;
    }
    var list = boxes();
    if (event.shiftKey && lastBox && lastBox !== box && list.indexOf(lastBox) >= 0) {
      var a = list.indexOf(lastBox), b = list.indexOf(box);
      list.slice(Math.min(a, b), Math.max(a, b) + 1).forEach(function (x) { x.checked = box.checked; });
    }
    lastBox = box;
    countSelected();
  });

  // htmx asks before it sends: a bulk delete is confirmed here, with the
  // number of tasks, then marked confirmed for the server.
  document.addEventListener('htmx:confirm', function (event) {
    var detail = event.detail;
    var form = detail && detail.elt;
    var submitter = detail && detail.triggeringEvent && detail.triggeringEvent.submitter;
    if (!(form instanceof HTMLFormElement) || form.id !== 'bulk-form' || !submitter ||
        !submitter.hasAttribute('data-bulk-delete')) {
      return;
    }
    var n = countSelected();
    if (n === 0) {
      return; // the server says what is missing
    }
    event.preventDefault();
    if (window.confirm('Delete ' + (n === 1 ? '1 task' : n + ' tasks') + '?')) {
      form.querySelector('[data-bulk-confirmed]').value = 'yes';
      detail.issueRequest(true);
    }
  });

  // After a bulk change the list is new: nothing is selected.
  document.addEventListener('htmx:afterSwap', function (event) {
    if (event.target instanceof Element && event.target.id === 'task-region') {
      var confirmed = document.querySelector('[data-bulk-confirmed]');
      if (confirmed) {
        confirmed.value = '';
      }
      lastBox = null;
      countSelected();
    }
  });
  // Live updates: the task list region names its event stream in
  // data-live. Each "tasks" event (a change in another tab, device or
  // instance) re-fetches the region at the page's own URL, so its filter,
  // search and page stay as they are. While an inline edit is open the
  // region is left alone and the row says it changed elsewhere; the
  // refresh runs once the edit closes. Rows ticked for a bulk action stay
  // ticked. A reconnect refreshes too, as
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
      // Ticked rows (for a bulk action) are input in progress too: the
      // rows still there stay ticked.
      var ticked = boxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      window.htmx.ajax('GET', location.pathname + location.search, {
        target: '#task-region',
        swap: 'outerHTML',
        headers: { 'X-Live-Refresh': 'true' }
      }).then(function () {
        boxes().forEach(function (b) { b.checked = ticked.indexOf(b.value) >= 0; });
        countSelected();
        restoreFocus(focus);
      });
    };
    // The page's own id: its requests say it (X-Live-Page) and so does
    // its stream, and the server does not announce a page's own changes
    // back to it. Its response has already shown them, and a refresh on
    // top would undo what the response left (a completed row still on
    // Today, focus after a save).
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    var pageID = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    document.addEventListener('htmx:configRequest', function (event) {
      event.detail.headers['X-Live-Page'] = pageID;
    });
    var opened = false;
    var source = new EventSource(streamURL + '?page=' + pageID);
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
