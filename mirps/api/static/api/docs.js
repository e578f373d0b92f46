// Starts Swagger UI with the settings the page carries as JSON: a static file, so that the
// Content-Security-Policy (script-src 'self' + nonce) needs no inline script.
"use strict";
(function () {
  const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  window.ui = SwaggerUIBundle(settings);
})();
