/**
 * The CLI's HTTP plumbing over node:http: one request with its answer read whole
 * (`sendRequest`, `getJson`, `postJson`), or held open for a stream (`openRequest`). Failures
 * become two error types whose messages are fit for a user: the server could not be reached at
 * all, or it answered with an error status (its text body included — Agora and Mesos explain
 * errors there).
 */
import * as http from 'node:http';
import * as https from 'node:https';

/** The request never got an answer: refused, unresolvable host, reset, timed out. */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';

  constructor(
    /** The server's base, e.g. http://127.0.0.1:5050. */
    readonly origin: string,
    /** The system error code (ECONNREFUSED, ...), when there is one. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    const reason = describeCode(code, options?.cause);
    super(`cannot reach ${origin}: ${reason}`, options);
    this.reason = reason;
  }

  /** What went wrong, in a few words: `connection refused`, `host not found`. */
  readonly reason: string;
}

/** The server answered, with a status the caller did not expect. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';

  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    /** The response's text body, trimmed; Mesos-style servers say what was wrong here. */
    readonly body: string,
  ) {
    const path = new URL(url).pathname;
    super(`${method} ${path} answered ${status} ${statusText}${body === '' ? '' : `: ${body}`}`);
  }
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly agent?: http.Agent;
  /** Gives up on a silent server after this long (default: no limit, for streams). */
  readonly timeoutMs?: number;
  /** Abandons the request (Ctrl+C while waiting for an answer). */
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface OpenResponse {
  readonly response: http.IncomingMessage;
  /** Destroying it ends the response stream (closing a subscription). */
  readonly request: http.ClientRequest;
}

/** Sends a request and resolves once the response head arrives; the body is left unread. */
export function openRequest(url: URL, options: RequestOptions = {}): Promise<OpenResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: options.method ?? 'GET',
      headers,
      agent: options.agent,
      signal: options.signal,
    });
    request.on('response', (response) => resolve({ response, request }));
    request.on('error', (error: NodeJS.ErrnoException) => reject(new UnreachableError(url.origin, error.code, { cause: error })));
    if (options.timeoutMs !== undefined) {
      request.setTimeout(options.timeoutMs, () => {
        const error: NodeJS.ErrnoException = new Error(`no answer within ${options.timeoutMs} ms`);
        error.code = 'ETIMEDOUT';
        request.destroy(error);
      });
    }
    request.end(options.body);
  });
}

/** Sends a request and reads the whole answer as text. */
export async function sendRequest(url: URL, options: RequestOptions = {}): Promise<HttpResponse> {
  const { response } = await openRequest(url, options);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new UnreachableError(url.origin, (error as NodeJS.ErrnoException).code, { cause: error });
  }
  return {
    status: response.statusCode ?? 0,
    statusText: response.statusMessage ?? '',
    headers: response.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 3;

/**
 * GETs JSON. Follows a few redirects, because a standby master answers state endpoints with 307
 * to the leader (`Location: //leader:5050/...`, protocol-relative). Throws HttpStatusError for
 * anything but 200, and an Error naming the URL when the body is not JSON.
 */
export async function getJson(url: URL, options: Pick<RequestOptions, 'timeoutMs' | 'agent'> = {}): Promise<unknown> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const answer = await sendRequest(target, { ...options, headers: { Accept: 'application/json' } });
    const location = answer.headers.location;
    if (REDIRECTS.has(answer.status) && location !== undefined && hop < MAX_REDIRECTS) {
      target = new URL(location, target);
      continue;
    }
    if (answer.status !== 200) {
      throw new HttpStatusError('GET', target.toString(), answer.status, answer.statusText, answer.body.trim());
    }
    try {
      return JSON.parse(answer.body) as unknown;
    } catch {
      throw new Error(`GET ${target.pathname} answered with something that is not JSON: ${answer.body.slice(0, 80)}`);
    }
  }
}

/** Redirects that keep the method and body; a 301, 302 or 303 may turn a POST into a GET. */
const BODY_KEEPING_REDIRECTS = new Set([307, 308]);

/**
 * POSTs a JSON body and resolves with the answer (any 2xx). Follows a few 307/308 redirects,
 * sending the body again, because a standby master answers `/api/v1` with 307 to the leader
 * (`Location: //leader:5050/api/v1`, protocol-relative). Throws HttpStatusError for anything
 * else, its text body included.
 */
export async function postJson(url: URL, body: unknown, options: Pick<RequestOptions, 'timeoutMs' | 'agent'> = {}): Promise<HttpResponse> {
  const text = JSON.stringify(body);
  let target = url;
  for (let hop = 0; ; hop++) {
    const answer = await sendRequest(target, {
      ...options,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: text,
    });
    const location = answer.headers.location;
    if (BODY_KEEPING_REDIRECTS.has(answer.status) && location !== undefined && hop < MAX_REDIRECTS) {
      target = new URL(location, target);
      continue;
    }
    if (answer.status < 200 || answer.status > 299) {
      throw new HttpStatusError('POST', target.toString(), answer.status, answer.statusText, answer.body.trim());
    }
    return answer;
  }
}

function describeCode(code: string | undefined, cause: unknown): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to host';
    default:
      return cause instanceof Error ? cause.message : 'connection failed';
  }
}
