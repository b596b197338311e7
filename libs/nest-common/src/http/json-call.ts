import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';

/** A request whose body was read raw: an Express request behind express.raw, or a raw route's. */
export interface RawBodyRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body?: unknown;
}

/** Which Mesos API a call is for: names it in answers (`scheduler`, `Executor`, `master`). */
export interface JsonCallApi {
  /** As in "Agora speaks the JSON <api> API". */
  readonly api: string;
  /** Mesos's name of the Call message in "Failed to validate <message>: ...". */
  readonly message: string;
  /** What a protocol validation error is, so it becomes a 400 naming the field. */
  readonly isProtocolError: (e: unknown) => e is Error;
}

/**
 * The body of a call to one of the Mesos HTTP APIs (scheduler, executor, operator), read the
 * way Mesos does: Content-Type present (400) and JSON (415; protobuf is refused by name), a body
 * that is not empty, then `parse`, whose protocol errors are a 400 naming the field. The body
 * arrives raw (express.raw or a raw route), so malformed JSON is one of those 400s.
 */
export function readJsonCall<T>(req: RawBodyRequest, api: JsonCallApi, parse: (text: string) => T): T {
  const type = req.headers['content-type'];
  if (type === undefined) throw new BadRequestException("Expecting 'Content-Type' to be present");
  const media = type.split(';')[0].trim().toLowerCase();
  if (media === 'application/x-protobuf') {
    throw new UnsupportedMediaTypeException(`Agora speaks the JSON ${api.api} API; send Content-Type: application/json`);
  }
  if (media !== 'application/json') {
    throw new UnsupportedMediaTypeException(`Expecting 'Content-Type' of application/json or application/x-protobuf, got '${type}'`);
  }
  const text = bodyText(req);
  if (text.trim() === '') throw new BadRequestException('Failed to parse body into Call: the request body is empty');
  try {
    return parse(text);
  } catch (e) {
    if (api.isProtocolError(e)) throw new BadRequestException(`Failed to validate ${api.message}: ${e.message}`);
    throw e;
  }
}

/** The raw body as text (express.raw or a raw route); empty when there is none. */
export function bodyText(req: RawBodyRequest): string {
  const body: unknown = req.body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return typeof body === 'string' ? body : '';
}

/** No Accept header means JSON (reference §3.1); otherwise JSON or a wildcard must be allowed. */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const media = part.split(';')[0].trim().toLowerCase();
    return media === 'application/json' || media === '*/*' || media === 'application/*';
  });
}
