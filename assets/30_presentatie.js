/* Presentation mode: ←/→, PageUp/PageDown (what a clicker sends) move between slides, T shows an
   explorer view's table instead of its chart (and back), Esc leaves. The slide number lives in
   the URL; navigation goes through the app's dcc.Location. The 1280 × 720 stage is scaled to the
   window, so a slide fills any screen without scrolling. */
(function () {
  function fit() {
    var scale = Math.min(window.innerWidth / 1280, window.innerHeight / 720);
    document.documentElement.style.setProperty("--dia-schaal", String(scale));
  }
  fit();
  window.addEventListener("resize", fit);

  document.addEventListener("keydown", function (event) {
    var deck = document.getElementById("presentatie");
    if (!deck || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var current = parseInt(deck.dataset.dia || "1", 10);
    var total = parseInt(deck.dataset.diaTotaal || "1", 10);
    var jaar = deck.dataset.jaar;
    var stand = deck.dataset.stand ? "&stand=" + encodeURIComponent(deck.dataset.stand) : "";
    var next = null;
    if (event.key === "ArrowRight" || event.key === "PageDown") { next = Math.min(total, current + 1); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { next = Math.max(1, current - 1); }
    else if (event.key === "t" || event.key === "T") {
      deck.classList.toggle("tabel-getoond");
      return;
    }
    else if (event.key === "Escape") {
      event.preventDefault();
      window.dash_clientside.set_props("nav-location", {href: stand ? "/?" + stand.slice(1) : "/?jaar=" + jaar});
      return;
    }
    if (next !== null && next !== current) {
      event.preventDefault();
      window.dash_clientside.set_props("nav-location", {href: "/presentatie?dia=" + next + "&jaar=" + jaar + stand});
    }
  });
})();
