// taskapp: small enhancements on top of htmx. Every page works without this
// file; it only adds keyboard and focus comfort. It never touches the htmx
// global, so it keeps working (doing less) if htmx failed to load, and it
// needs no eval or inline script, as the CSP forbids both.
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
    }
  });
})();
