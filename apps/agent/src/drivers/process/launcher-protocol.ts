/**
 * The wire format between the agent and agora-launcher (apps/agent/native/README.md). Pure:
 * bytes in, values out, so it is table-tested without a process.
 *
 * Requests are frames: a 4-byte little-endian length, then NUL-terminated fields
 * `spawn, id, file, cwd, stdout, stderr, procs ('' for none), exit ('' for none), argc, argv...,
 * envc, env...`.
 * Replies are lines of text with numbers only, so no path ever needs escaping:
 * `ready <version>`, `started <id> <pid>`, `failed <id> <errno> <stage>`,
 * `exited <id> <code>`, `signaled <id> <signo>`, `invalid request`, `fatal <message>`.
 */

/** 2 added the exit file (a task's exit status survives the agent: recovery reads it). */
export const LAUNCHER_PROTOCOL_VERSION = 2;

/** Where a start failed: the launcher's stages, each worded differently for the task's message. */
export const FAILURE_STAGES = ['request', 'stdout', 'stderr', 'cgroup', 'spawn'] as const;
export type FailureStage = (typeof FAILURE_STAGES)[number];

export interface LauncherSpawnFields {
  readonly id: number;
  readonly file: string;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly stdoutPath: string;
  readonly stderrPath: string;
  readonly cgroupProcsFile?: string;
  /** Where the launcher writes the exit status (`exited <code>` / `signaled <signo>`); see native/README.md. */
  readonly exitFile?: string;
}

export type LauncherReply =
  | { readonly kind: 'ready'; readonly version: number }
  | { readonly kind: 'started'; readonly id: number; readonly pid: number }
  | { readonly kind: 'failed'; readonly id: number; readonly errno: number; readonly stage: FailureStage }
  | { readonly kind: 'exited'; readonly id: number; readonly code: number }
  | { readonly kind: 'signaled'; readonly id: number; readonly signal: number }
  /** A request the launcher could not read an id from, or a line this agent does not know. */
  | { readonly kind: 'garbled'; readonly line: string }
  /** The launcher stops after this. */
  | { readonly kind: 'fatal'; readonly message: string };

/** A string the C side cannot carry: NUL ends a field there, as it ends a C string in exec. */
export class LauncherRequestError extends Error {
  override readonly name = 'LauncherRequestError';
}

/** One spawn request as a frame. Throws LauncherRequestError for a field holding a NUL byte. */
export function encodeSpawn(request: LauncherSpawnFields): Buffer {
  if (!Number.isSafeInteger(request.id) || request.id < 0) throw new LauncherRequestError(`the request id must be a whole number, got ${request.id}`);
  if (request.argv.length === 0) throw new LauncherRequestError('argv must hold at least argv[0]');
  const env = Object.entries(request.env).map(([name, value]) => {
    if (name === '' || name.includes('=')) throw new LauncherRequestError(`the environment variable name '${name}' is empty or holds '='`);
    return `${name}=${value}`;
  });
  const fields = [
    'spawn',
    String(request.id),
    request.file,
    request.cwd,
    request.stdoutPath,
    request.stderrPath,
    request.cgroupProcsFile ?? '',
    request.exitFile ?? '',
    String(request.argv.length),
    ...request.argv,
    String(env.length),
    ...env,
  ];
  fields.forEach((field, index) => {
    if (field.includes('\0')) throw new LauncherRequestError(`field ${index} of the request (${JSON.stringify(field.slice(0, 40))}) holds a NUL byte`);
  });
  const body = fields.join('\0') + '\0';
  const frame = Buffer.allocUnsafe(4 + Buffer.byteLength(body));
  frame.writeUInt32LE(frame.length - 4, 0);
  frame.write(body, 4);
  return frame;
}

const WHOLE = /^\d+$/;

/** One reply line (without its newline). */
export function decodeReply(line: string): LauncherReply {
  const words = line.split(' ');
  const numbers = words.slice(1).map((w) => (WHOLE.test(w) ? Number(w) : NaN));
  const ok = (count: number): boolean => words.length === count + 1 && numbers.slice(0, count).every(Number.isSafeInteger);
  switch (words[0]) {
    case 'ready':
      if (ok(1)) return { kind: 'ready', version: numbers[0] };
      break;
    case 'started':
      if (ok(2) && numbers[1] > 0) return { kind: 'started', id: numbers[0], pid: numbers[1] };
      break;
    case 'exited':
      if (ok(2)) return { kind: 'exited', id: numbers[0], code: numbers[1] };
      break;
    case 'signaled':
      if (ok(2)) return { kind: 'signaled', id: numbers[0], signal: numbers[1] };
      break;
    case 'failed': {
      const stage = FAILURE_STAGES.find((s) => s === words[3]);
      if (words.length === 4 && Number.isSafeInteger(numbers[0]) && Number.isSafeInteger(numbers[1]) && stage !== undefined) {
        return { kind: 'failed', id: numbers[0], errno: numbers[1], stage };
      }
      break;
    }
    case 'fatal':
      return { kind: 'fatal', message: words.slice(1).join(' ') };
  }
  return { kind: 'garbled', line };
}

/** Splits the launcher's stdout into replies; a line cut by a chunk boundary waits for the rest. */
export class ReplyDecoder {
  private partial = '';

  push(chunk: string): LauncherReply[] {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    return lines.filter((line) => line !== '').map(decodeReply);
  }
}
