// Starts the vendored Swagger UI on /api/v1/docs. Settings come from a JSON data block (json_script); the CSRF
// token is added to unsafe requests so "Try it out" works with the signed-in session.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrf = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  config.requestInterceptor = function (req) {
    if (csrf && req.method && ["GET", "HEAD", "OPTIONS"].indexOf(req.method.toUpperCase()) === -1) {
      req.headers["X-CSRFToken"] = csrf;
    }
    return req;
  };
  window.SwaggerUIBundle(config);
})();
