import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { HttpError, validationError } from './http-error';

/** Reads a body's bytes, refusing more than `limitBytes` with 413 before buffering it all. */
export async function readBodyBytes(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limitBytes) throw new HttpError(413, 'payload_too_large', `The body is ${declared} bytes; the limit is ${limitBytes}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      req.resume();
      throw new HttpError(413, 'payload_too_large', `The body is larger than the limit of ${limitBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads and parses a JSON body, refusing more than `limitBytes` with 413 before buffering it all. */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limitBytes) throw new HttpError(413, 'payload_too_large', `The body is ${declared} bytes; the limit is ${limitBytes}`);
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json');
  const body = await readBodyBytes(req, limitBytes);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON');
  }
}

/** Reads a JSON body and validates it with a shared zod schema. */
export async function readValidBody<Schema extends z.ZodType>(req: IncomingMessage, schema: Schema, limitBytes: number): Promise<z.infer<Schema>> {
  const parsed = schema.safeParse(await readJsonBody(req, limitBytes));
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
