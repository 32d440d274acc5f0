/* Keyboard use of the selects that change the view (KPI, breakdown, year …).

   1. On a closed native select, Chrome and Edge change the value — and so the whole view — on every
      arrow press: choosing the 11th KPI meant ten page loads. Here ↑/↓ (and PageUp/PageDown,
      Home/End) on a closed select open its list instead; the view changes once, on Enter or a
      click in the list. Alt+↓, Space and F4 keep their usual meaning.
   2. A change re-renders the page from its URL, which replaces the select: focus fell back to
      <body>. When the page has been re-rendered, focus returns to the control with the same id.
   No inline script and no eval: the app's Content-Security-Policy allows neither. */
(function () {
  var OPENING_KEYS = ["ArrowDown", "ArrowUp", "PageDown", "PageUp", "Home", "End"];

  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.closest("main")) { return; }
    if (event.altKey || event.ctrlKey || event.metaKey || OPENING_KEYS.indexOf(event.key) === -1) { return; }
    event.preventDefault();
    if (typeof select.showPicker === "function") {
      try { select.showPicker(); } catch (error) { /* not allowed here: the select stays as it is */ }
    }
  }, true);

  var pending = null;   // {id, element, until}: the control that changed the view
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.id && select.closest("main")) {
      pending = {id: select.id, element: select, until: Date.now() + 15000};
    }
  }, true);

  new MutationObserver(function () {
    if (!pending) { return; }
    if (Date.now() > pending.until) { pending = null; return; }
    var again = document.getElementById(pending.id);
    var active = document.activeElement;
    // only the new control of the re-rendered page, and only when nothing else took the focus
    if (again && again !== pending.element && (!active || active === document.body)) {
      again.focus();
      pending = null;
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
}());
