/* A table that scrolls sideways in its box can be scrolled with the keyboard.

   A table wider than its column (the road to 2028 beside its chart at 1280×720) scrolls inside its
   box (.table-responsive, dashboard/ui/components.py: scrolling), never the page. While it does,
   the box is a stop in the tab order, named after the table's caption, so the arrow keys reach the
   columns out of view (WCAG 2.1.1; axe: scrollable-region-focusable); a box whose table fits is
   not, so a page of tables that fit gets no extra stops. No inline script: the app's
   Content-Security-Policy allows none. */
(function () {
  var pending = false;

  function mark() {
    pending = false;
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() + " " : "Tabel ") + "(schuift opzij)");
        box.dataset.schuift = "ja";
      } else if (!scrolls && box.dataset.schuift) {
        ["tabindex", "role", "aria-label", "data-schuift"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }

  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(mark);
    }
  }

  new MutationObserver(later).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener("resize", later);
})();
