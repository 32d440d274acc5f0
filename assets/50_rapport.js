/* "Rapport (PDF)": making the report takes seconds, so the page says it is being made.
   A click fetches the PDF; meanwhile the link is busy and the status beside it (a live region,
   see components.report_link) shows a spinner and "Rapport wordt gemaakt…". The PDF is then saved
   under the link's file name; a refusal shows the server's Dutch sentence (the reason on its page). A second click while
   the report is being made starts nothing. Without this script the link is a plain download.
   No inline script, no eval, no style attribute: it runs under the app's Content-Security-Policy. */
(function () {
  "use strict";
  var CLEAR_AFTER_MS = 8000;

  function show(box, text, kind) {
    if (!box) { return; }
    box.textContent = "";
    box.classList.remove("text-danger-emphasis", "text-success-emphasis");
    if (kind === "busy") {
      var spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-1";
      spinner.setAttribute("aria-hidden", "true");
      box.appendChild(spinner);
    } else if (kind) {
      box.classList.add(kind === "error" ? "text-danger-emphasis" : "text-success-emphasis");
    }
    box.appendChild(document.createTextNode(text));
  }

  function setBusy(link, busy) {
    link.classList.toggle("disabled", busy);
    if (busy) {
      link.setAttribute("aria-busy", "true");
      link.setAttribute("aria-disabled", "true");
    } else {
      link.removeAttribute("aria-busy");
      link.removeAttribute("aria-disabled");
    }
  }

  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  // The server's reason: a refused download is a Dutch page whose sentence has id "foutmelding"
  // (dashboard/exports/answers.py); the login guard's 401 is a plain sentence.
  function failure(response) {
    var type = response.headers.get("Content-Type") || "";
    var general = "Het rapport kon niet worden gemaakt (fout " + response.status + ").";
    if (type.indexOf("text/plain") === 0) {
      return response.text().then(function (text) { return text.trim(); });
    }
    if (type.indexOf("text/html") === 0 && window.DOMParser) {
      return response.text().then(function (text) {
        // parsing runs no script of the page: DOMParser's documents are inert
        var reason = new DOMParser().parseFromString(text, "text/html").getElementById("foutmelding");
        return reason && reason.textContent.trim() ? reason.textContent.trim() : general;
      });
    }
    return Promise.resolve(general);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.report-link") : null;
    if (!link || !window.fetch || !window.URL || !URL.createObjectURL) { return; }
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;  // a new tab or window: the browser's own download
    }
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") { return; }  // already being made
    var box = link.parentElement ? link.parentElement.querySelector(".report-status") : null;
    var filename = link.getAttribute("download") || "rapport.pdf";
    setBusy(link, true);
    show(box, "Rapport wordt gemaakt…", "busy");
    fetch(link.getAttribute("href"), {credentials: "same-origin", headers: {"Accept": "application/pdf"}})
      .then(function (response) {
        if (!response.ok) {
          return failure(response).then(function (text) {
            var refusal = new Error(text);
            refusal.fromServer = true;
            throw refusal;
          });
        }
        return response.blob();
      })
      .then(function (blob) {
        save(blob, filename);
        show(box, "Rapport gedownload.", "done");
        setTimeout(function () { if (box && box.textContent === "Rapport gedownload.") { show(box, "", null); } },
                   CLEAR_AFTER_MS);
      })
      .catch(function (error) {
        show(box, error && error.fromServer ? error.message
          : "Het rapport kon niet worden gemaakt: de server is niet bereikbaar. Probeer het opnieuw.", "error");
      })
      .then(function () { setBusy(link, false); });
  });
}());
