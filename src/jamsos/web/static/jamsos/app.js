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
// The error summary at the top of a form (GOV.UK pattern) takes the focus, so a screen reader
// reads it and the keyboard starts there; its links move to the field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
});
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
  if (!link) { return; }
  var field = document.getElementById(link.getAttribute("href").slice(1));
  if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({block: "center"}); }
});
