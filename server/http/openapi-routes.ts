import { buildOpenApiDocument } from '../../lib/api/openapi/document.js';
import { renderApiDocsPage } from './api-docs-page';
import type { Router } from './router';
import { sendJson } from './send-json';

// The page's own styles are inline; it loads nothing else and runs no script.
const DOCS_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** The API described by machine at `/api/openapi.json` and as a page at `/api/docs`, built once at start from the route table in lib/api/openapi. */
export function addOpenApiRoutes(router: Router, version: string): void {
  const document = buildOpenApiDocument(version);
  const page = renderApiDocsPage(document);
  router.add('GET', '/api/openapi.json', async ({ res }) => {
    sendJson(res, 200, document);
  });
  router.add('GET', '/api/docs', async ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page), 'cache-control': 'no-cache', 'content-security-policy': DOCS_POLICY });
    res.end(page);
  });
}
