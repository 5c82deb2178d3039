/**
 * Swagger UI served entirely from this Worker: the pinned swagger-ui-dist files
 * are static assets (public/api/schema/swagger-ui/, symlinks into
 * node_modules/swagger-ui-dist), and the page has no inline code, so its CSP
 * needs no CDN and no 'unsafe-inline' script.
 */
import type { Context } from "hono";
import { SWAGGER_CSP } from "../http/security-headers";

export const SWAGGER_ASSETS = "/api/schema/swagger-ui";

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>BookMe API</title>
<link rel="stylesheet" href="${SWAGGER_ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${SWAGGER_ASSETS}/swagger-ui-bundle.js"></script>
<script src="${SWAGGER_ASSETS}/init.js"></script>
</body>
</html>`;

export function swaggerPage(c: Context): Response {
  return c.html(PAGE, 200, { "content-security-policy": SWAGGER_CSP, "cache-control": "no-store" });
}
