// Starts Swagger UI on the API's own document; a file (not inline) so the page's CSP allows no inline script.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({ url: "/api/schema", dom_id: "#swagger-ui", deepLinking: true });
});
