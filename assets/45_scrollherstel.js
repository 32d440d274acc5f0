/* Back and forward bring the reader back to where they were on a page.

   A page is rendered again from its URL after back or forward, in steps (its layout, then the
   callbacks that fill it), so the browser's own scroll restoration finds a page too short and
   leaves the reader at the top: a raadslid who scrolled to the sixth card, opened its explorer view
   and pressed back had to find the card again. Here each history entry's position is kept in
   sessionStorage (per tab; saved while scrolling and before Dash moves to a new address), and after
   back or forward — within Dash's router or to a page loaded anew — it is restored as soon as the
   page is tall enough, unless the reader scrolls, clicks or types first. A new address still
   starts at the top.
   No inline script and no eval: the app's Content-Security-Policy allows neither. */
(function () {
  if (!("scrollRestoration" in history) || !window.sessionStorage) { return; }
  history.scrollRestoration = "manual";

  var PREFIX = "jm-positie:";
  var restoring = null;   // {top, until}: a position to go back to after back or forward

  function here() { return PREFIX + location.pathname + location.search; }

  function save() {
    if (restoring) { return; }   // the page being rebuilt is short: its position means nothing yet
    try { sessionStorage.setItem(here(), String(Math.round(window.scrollY))); } catch (error) { /* full */ }
  }

  var timer = null;
  window.addEventListener("scroll", function () {
    if (timer === null) { timer = setTimeout(function () { timer = null; save(); }, 150); }
  }, {passive: true});

  var push = history.pushState;   // Dash's router moves to a new address with it
  history.pushState = function () {
    save();
    return push.apply(history, arguments);
  };

  function stop() { restoring = null; }
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
    window.addEventListener(type, stop, {passive: true, capture: true});
  });

  // The page grows and may be replaced more than once while it is rebuilt (which can throw the
  // position back to the top): the position is put back until it has held for a second.
  function tryRestore() {
    if (!restoring) { return; }
    var room = document.documentElement.scrollHeight - window.innerHeight;
    if (room >= restoring.top && Math.abs(window.scrollY - restoring.top) > 2) {
      window.scrollTo(0, restoring.top);
      restoring.held = 0;
    } else if (room >= restoring.top) {
      restoring.held += 1;
    }
    if (restoring.held >= 10 || Date.now() > restoring.until) { restoring = null; return; }
    setTimeout(tryRestore, 100);
  }

  function restoreHere() {
    var stored = null;
    try { stored = sessionStorage.getItem(here()); } catch (error) { /* unavailable */ }
    var top = stored === null ? 0 : parseInt(stored, 10) || 0;
    if (top <= 0) { return; }
    restoring = {top: top, until: Date.now() + 10000, held: 0};
    setTimeout(tryRestore, 50);
  }

  // Back or forward within the app (Dash's router), or to a page loaded anew (a link that left the
  // app's router, or a page the browser did not keep).
  window.addEventListener("popstate", restoreHere);
  var navigation = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
  if (navigation && navigation.type === "back_forward") { restoreHere(); }
  window.addEventListener("pageshow", function (event) { if (event.persisted) { restoreHere(); } });
})();
