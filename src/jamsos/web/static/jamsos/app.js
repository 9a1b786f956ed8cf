// Small conveniences for every page. A separate file: the Content-Security-Policy allows
// scripts from this site only, never inline handlers. Without JavaScript each form still has
// its own submit button (in <noscript>), and printing works from the browser's menu.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-print]") : null;
  if (el) { window.print(); }
});
