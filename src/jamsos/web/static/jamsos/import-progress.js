// The import page follows a running import (a separate file: the Content-Security-Policy
// allows scripts from this site only, never inline ones).
(function () {
  var card = document.getElementById("progress-card");
  function poll() {
    fetch(card.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      document.getElementById("import-progress").value = s.progress;
      if (s.status === "done" || s.status === "failed") { window.location.reload(); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
