import { z } from 'zod';

// Runs in the browser before any page module builds a schema. zod compiles
// fast object parsers with `new Function`, probing for it when the first
// object schema is built; the page policy has no 'unsafe-eval', so that probe
// raised a Content-Security-Policy violation on every page. Interpreted
// parsing is ample for the few messages a page validates, and keeps the
// policy strict. The server keeps zod's compiled parsers.
z.config({ jitless: true });
