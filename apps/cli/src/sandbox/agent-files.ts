/**
 * The two agent endpoints `agora run` needs to follow a task's output (reference §5.8): the
 * agent's `/state`, to learn where the task's sandbox is, and `/files/read`, to read its
 * `stdout` and `stderr` from an offset.
 */
import type { Offer } from '@agora/protocol';
import { getJson, HttpStatusError } from '../http/http-client';

/** What the tail needs from an agent; tests and other transports provide their own. */
export interface SandboxFiles {
  /** The sandbox directory of the executor, or undefined while the agent does not know it. */
  executorDirectory(frameworkId: string, executorId: string): Promise<string | undefined>;
  /** Up to `length` bytes of `path` from `offset`; empty data when there is nothing (yet). */
  read(path: string, offset: number, length: number): Promise<string>;
}

/**
 * The agent's HTTP base from an offer's `url` (Agora always sends one), preferring the IP the
 * agent advertises over its hostname, which the CLI's machine may not resolve.
 */
export function agentBaseUrl(offer: Offer): string | undefined {
  const address = offer.url?.address;
  if (address === undefined) return undefined;
  const host = address.ip ?? address.hostname ?? offer.hostname;
  const scheme = offer.url?.scheme ?? 'http';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

export class AgentFiles implements SandboxFiles {
  constructor(
    /** e.g. http://127.0.0.1:5051 */
    readonly base: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async executorDirectory(frameworkId: string, executorId: string): Promise<string | undefined> {
    const state = await getJson(new URL('/state', this.base), { timeoutMs: this.timeoutMs });
    return findExecutorDirectory(state, frameworkId, executorId);
  }

  async read(path: string, offset: number, length: number): Promise<string> {
    const url = new URL('/files/read', this.base);
    url.searchParams.set('path', path);
    url.searchParams.set('offset', String(offset));
    url.searchParams.set('length', String(length));
    let answer: unknown;
    try {
      answer = await getJson(url, { timeoutMs: this.timeoutMs });
    } catch (error) {
      // The task has not written the file yet.
      if (error instanceof HttpStatusError && error.status === 404) return '';
      throw error;
    }
    const data = isObject(answer) ? answer.data : undefined;
    if (typeof data !== 'string') throw new Error(`${url.pathname} answered without a "data" string`);
    return data;
  }
}

/**
 * The `directory` of executor `executorId` in an agent's `/state`, looking at running and
 * completed executors of running and completed frameworks: by the time a task's terminal update
 * arrives, its executor may already count as completed. (A command task's executor id is its
 * task id.)
 */
export function findExecutorDirectory(state: unknown, frameworkId: string, executorId: string): string | undefined {
  if (!isObject(state)) return undefined;
  const frameworks = [...list(state.frameworks), ...list(state.completed_frameworks)].filter(isObject);
  const ours = frameworks.filter((f) => f.id === frameworkId);
  for (const framework of ours.length > 0 ? ours : frameworks) {
    for (const executor of [...list(framework.executors), ...list(framework.completed_executors)]) {
      if (isObject(executor) && executor.id === executorId && typeof executor.directory === 'string') {
        return executor.directory;
      }
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
