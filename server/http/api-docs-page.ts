import type { JsonSchema, OpenApiDocument, OpenApiOperation } from '../../lib/api/openapi/document.js';

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const code = (value: unknown) => `<pre>${escape(JSON.stringify(value, null, 2))}</pre>`;
/** Prose with `code` spans, as the document's descriptions write them. */
const prose = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

// Only inline styles: the page loads nothing, so its policy can forbid every other source.
const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2430;background:#fff}
@media (prefers-color-scheme:dark){body{color:#dde3ec;background:#12161c}pre{background:#1b2129!important}}
h2{margin-top:2.5rem;border-bottom:1px solid #8884}
section{margin:1.5rem 0}
h3{font:600 15px ui-monospace,monospace;margin:0}
.method{display:inline-block;min-width:4.5rem}
pre{background:#f3f5f8;padding:.5rem .75rem;overflow:auto;font-size:12px;max-height:24rem}
details{margin:.25rem 0}
table{border-collapse:collapse}td,th{text-align:left;padding:.1rem .75rem .1rem 0;vertical-align:top}
`;

function authText(operation: OpenApiOperation): string {
  const schemes = operation.security.flatMap((requirement) => Object.keys(requirement));
  if (schemes.length === 0) return 'public';
  if (schemes.includes('apiKey')) return 'API key (bearer)';
  return `session${schemes.includes('csrfToken') ? ' + CSRF token' : ''}, role ${operation['x-required-role'] ?? 'viewer'} or above`;
}

function operationSection(path: string, method: string, operation: OpenApiOperation): string {
  const parameters = operation.parameters.length
    ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${operation.parameters
        .map(
          (parameter) =>
            `<tr><td><code>${escape(parameter.name)}</code></td><td>${parameter.in}</td><td>${parameter.required ? 'yes' : 'no'}</td><td><code>${escape(JSON.stringify(parameter.schema))}</code>${parameter.description ? ` ${prose(parameter.description)}` : ''}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const body = Object.entries(operation.requestBody?.content ?? {})
    .map(([type, { schema }]) => (schema ? `<details><summary>request body (${escape(type)})</summary>${code(schema)}</details>` : `<p>request body: ${escape(type)}</p>`))
    .join('');
  const responses = Object.entries(operation.responses)
    .map(([status, answer]) => {
      const contents = Object.entries(answer.content ?? {});
      const schemas = contents.map(([type, { schema }]) => (schema ? `<p>${escape(type)}</p>${code(schema as JsonSchema)}` : `<p>${escape(type)}</p>`)).join('');
      return `<details><summary><strong>${status}</strong> ${prose(answer.description)}</summary>${schemas}</details>`;
    })
    .join('');
  return `<section id="${escape(operation.operationId)}"><h3><span class="method">${method.toUpperCase()}</span>${escape(path)}</h3><p>${prose(operation.summary)}. <em>${escape(authText(operation))}</em></p>${parameters}${body}${responses}</section>`;
}

/** The document as a page that needs no script: every operation by tag, with its parameters and schemas. */
export function renderApiDocsPage(document: OpenApiDocument): string {
  const byTag = new Map<string, string[]>(document.tags.map((tag) => [tag.name, []]));
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) byTag.get(operation.tags[0]!)?.push(operationSection(path, method, operation));
  }
  const sections = [...byTag].map(([tag, operations]) => `<h2 id="${escape(tag.replace(/\W+/g, '-'))}">${escape(tag)}</h2>${operations.join('')}`).join('');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(document.info.title)}</title><style>${STYLE}</style>
<h1>${escape(document.info.title)} <small>${escape(document.info.version)}</small></h1>
<p>${prose(document.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${document.openapi}).</p>
<details><summary>error bodies</summary>${code(document.components.schemas)}</details>
<nav>${[...byTag.keys()].map((tag) => `<a href="#${escape(tag.replace(/\W+/g, '-'))}">${escape(tag)}</a>`).join(' · ')}</nav>
${sections}</html>`;
}
