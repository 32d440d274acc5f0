/* A link to a part of a page opens at that part: a maatregel in /programma opens its lijn at the
   maatregel (/programma/L3#maatregel-L3-2), "toelichting" opens an indicator at its road to the
   plan's end. The browser looks for the part once, when the page arrives, but Dash builds the page
   after that (its layout, then the callbacks that fill it), so the reader was left at the top of a
   long lijn page. Here the part is looked for until it is there and stays put (charts above it
   grow as they are drawn), unless the reader scrolls, clicks or types first. Back and forward are
   left to 45_scrollherstel.js (the reader's own position).
   No inline script and no eval: the app's Content-Security-Policy allows neither. */
(function () {
  var seeking = null;   // {id, until, held}: the part of the page to bring into view

  function stop() { seeking = null; }
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
    window.addEventListener(type, stop, {passive: true, capture: true});
  });

  function step() {
    if (!seeking) { return; }
    var target = document.getElementById(seeking.id);
    if (target && Math.abs(target.getBoundingClientRect().top) > 2) {
      target.scrollIntoView();
      seeking.held = 0;
    } else if (target) {
      seeking.held += 1;
    }
    if (seeking.held >= 10 || Date.now() > seeking.until) { seeking = null; return; }
    setTimeout(step, 100);
  }

  function seek() {
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (error) { return; }
    if (!id) { seeking = null; return; }
    seeking = {id: id, until: Date.now() + 10000, held: 0};
    setTimeout(step, 50);
  }

  var push = history.pushState;   // Dash's router moves to a new address with it
  history.pushState = function () {
    var result = push.apply(history, arguments);
    seek();
    return result;
  };
  var navigation = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
  if (!navigation || navigation.type !== "back_forward") { seek(); }
})();
