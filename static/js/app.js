// Small behaviours shared by every page. No inline scripts: the CSP allows only files from this app.
(function () {
  "use strict";
  // htmx sends the CSRF token with every non-GET request.
  document.body.addEventListener("htmx:configRequest", function (e) {
    var el = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (el) { e.detail.headers["X-CSRFToken"] = el.value; }
  });
  // Forms marked data-once disable their submit buttons after the first submit (double clicks).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset && form.dataset.once !== undefined) {
      if (form.dataset.sent) { e.preventDefault(); return; }
      form.dataset.sent = "1";
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  });
})();
