import { OTLP_TARGETS_MESSAGE, ZCreateSource, ZUpdateSource, type TSourceAnswer, type TSourceList } from '../../lib/sources/source';
import { actorOf, requireRole } from '../auth/request-access';
import { HttpError } from '../http/http-error';
import { readValidBody } from '../http/read-json-body';
import { uuidParam } from '../http/route-params';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import { SourceNameTaken, type SourceStore } from './source-store';

// 5,000 target URLs of up to 2,000 characters each fit.
const BODY_LIMIT = 12 * 1024 * 1024;

const nameTaken = (name: string) => new HttpError(409, 'source_exists', `A source named "${name}" exists already`, { issues: [{ path: 'name', message: 'is taken' }] });

/**
 * Admin only: the sources the panel reads. Every change is audited and
 * restarts the source's adapter; credentials go in and never come out.
 */
export function addSourceRoutes(router: Router, { store, onChanged }: { store: SourceStore; onChanged(sourceId: string): Promise<void> }): void {
  router.add('GET', '/api/v1/sources', async ({ req, res }) => {
    requireRole(req, 'admin');
    const answer: TSourceList = { sources: await store.list() };
    sendJson(res, 200, answer);
  });

  router.add('GET', '/api/v1/sources/:id', async ({ req, res, params }) => {
    requireRole(req, 'admin');
    const source = await store.view(uuidParam(params, 'id', 'source'));
    if (!source) throw new HttpError(404, 'not_found', `No source with id ${params.id}`);
    const answer: TSourceAnswer = { source };
    sendJson(res, 200, answer);
  });

  router.add('POST', '/api/v1/sources', async ({ req, res }) => {
    const access = requireRole(req, 'admin');
    const input = await readValidBody(req, ZCreateSource, BODY_LIMIT);
    let source;
    try {
      source = await store.create(input, actorOf(access));
    } catch (error) {
      if (error instanceof SourceNameTaken) throw nameTaken(input.name);
      throw error;
    }
    await onChanged(source.id);
    const answer: TSourceAnswer = { source };
    sendJson(res, 201, answer);
  });

  router.add('PATCH', '/api/v1/sources/:id', async ({ req, res, params }) => {
    const access = requireRole(req, 'admin');
    const id = uuidParam(params, 'id', 'source');
    const input = await readValidBody(req, ZUpdateSource, BODY_LIMIT);
    const existing = await store.view(id);
    if (!existing) throw new HttpError(404, 'not_found', `No source with id ${id}`);
    if (input.targets && input.targets.length === 0 && existing.kind !== 'otlp') {
      throw new HttpError(400, 'invalid_request', 'Invalid request body: targets: name at least one target URL for this kind', {
        issues: [{ path: 'targets', message: 'name at least one target URL for this kind' }],
      });
    }
    if (input.targets && input.targets.length > 0 && existing.kind === 'otlp') {
      throw new HttpError(400, 'invalid_request', `Invalid request body: targets: ${OTLP_TARGETS_MESSAGE}`, { issues: [{ path: 'targets', message: OTLP_TARGETS_MESSAGE }] });
    }
    let source;
    try {
      source = await store.update(id, input, actorOf(access));
    } catch (error) {
      if (error instanceof SourceNameTaken) throw nameTaken(input.name ?? '');
      throw error;
    }
    if (!source) throw new HttpError(404, 'not_found', `No source with id ${id}`);
    await onChanged(id);
    const answer: TSourceAnswer = { source };
    sendJson(res, 200, answer);
  });

  router.add('DELETE', '/api/v1/sources/:id', async ({ req, res, params }) => {
    const access = requireRole(req, 'admin');
    const id = uuidParam(params, 'id', 'source');
    if (!(await store.remove(id, actorOf(access)))) throw new HttpError(404, 'not_found', `No source with id ${id}`);
    await onChanged(id);
    sendJson(res, 200, { ok: true });
  });
}
