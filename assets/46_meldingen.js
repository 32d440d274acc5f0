/* A save's message comes into view.

   The indicator page and /beheer show the outcome of a save (done, or why not) in one place above
   their forms; a trekker who saved a value lower down did not see it, and a refused value looked
   as if nothing had happened. When such a message appears or changes, it is scrolled into view
   (as little as needed). Screen readers already hear it (aria-live). No inline script: the app's
   Content-Security-Policy allows none. */
(function () {
  var IDS = ["indicator-message", "beheer-message"];
  var shown = {};

  function check() {
    IDS.forEach(function (id) {
      var box = document.getElementById(id);
      var text = box ? box.textContent.trim() : "";
      if (text && text !== shown[id]) {
        var where = box.getBoundingClientRect();
        if (where.top < 0 || where.bottom > window.innerHeight) {
          box.scrollIntoView({block: "nearest"});
        }
      }
      shown[id] = text;
    });
  }

  new MutationObserver(check).observe(document.documentElement, {childList: true, subtree: true,
                                                                 characterData: true});
})();
