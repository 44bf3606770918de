import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { HttpError } from '../../http/http-error';
import { readBodyBytes } from '../../http/read-json-body';

export type OtlpEncoding = 'protobuf' | 'json';

/** Which of OTLP/HTTP's two encodings the request declares; 415 for any other. */
export function otlpEncoding(req: IncomingMessage): OtlpEncoding {
  const type = req.headers['content-type'] ?? '';
  if (/^application\/x-protobuf\b/i.test(type)) return 'protobuf';
  if (/^application\/json\b/i.test(type)) return 'json';
  throw new HttpError(415, 'unsupported_media_type', 'Send OTLP metrics as application/x-protobuf or application/json');
}

/**
 * An OTLP/HTTP body: refused with 413 past `limitBytes` as sent and again
 * past `limitBytes` once gunzipped (exporters compress with
 * `Content-Encoding: gzip`; a small bomb must not become a large buffer).
 */
export async function readOtlpBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') throw new HttpError(415, 'unsupported_media_type', `Content-Encoding ${encoding} is not supported; send gzip or none`);
  const body = await readBodyBytes(req, limitBytes);
  if (encoding === 'identity') return body;
  try {
    return gunzipSync(body, { maxOutputLength: limitBytes });
  } catch (error) {
    if (error instanceof RangeError) throw new HttpError(413, 'payload_too_large', `The body is larger than the limit of ${limitBytes} bytes once decompressed`);
    throw new HttpError(400, 'invalid_payload', 'The body is not valid gzip');
  }
}
