/**
 * The agent's end of one agora-launcher process (apps/agent/native/): sends spawn requests,
 * matches the launcher's replies to them by id, and turns exits into TaskExits.
 *
 * The launcher is a child of the agent with two pipes; it and the pipes are unref'd while no
 * start is pending and no process runs, so an idle launcher never keeps the agent alive.
 * When it dies unexpectedly the processes it started can no longer be reaped or reported: the
 * client kills their groups and ends them SIGKILL with a cause saying why, rejects pending
 * starts with LauncherGoneError, and is `dead` from then on (launcher-spawner.ts starts another).
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { getSystemErrorMap } from 'node:util';
import { TaskStatusReason } from '@agora/protocol';
import { type TaskExit, TaskStartError } from '../task-driver';
import { encodeSpawn, LAUNCHER_PROTOCOL_VERSION, type LauncherReply, ReplyDecoder } from './launcher-protocol';
import type { SpawnedProcess, SpawnRequest } from './spawner';

/** How long a launcher may take to say `ready` before the agent gives up on it. */
const READY_TIMEOUT_MS = 10_000;

/** The launcher is gone; the start may be retried with another one. */
export class LauncherGoneError extends Error {
  override readonly name = 'LauncherGoneError';
}

interface Pending {
  readonly request: SpawnRequest;
  resolve(process: SpawnedProcess): void;
  reject(error: Error): void;
}

interface Running {
  readonly pid: number;
  resolve(exit: TaskExit): void;
}

type Launcher = ChildProcessByStdio<Writable, Readable, null>;

/** For the few errnos libuv has no words for (ENOEXEC): the name at least. */
const ERRNO_NAMES = new Map<number, string>(Object.entries(constants.errno).map(([name, number]) => [number, name]));
const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]));

export class LauncherClient {
  private readonly pending = new Map<number, Pending>();
  private readonly running = new Map<number, Running>();
  private readonly decoder = new ReplyDecoder();
  private nextId = 1;
  private referenced = true;
  private goneReason: string | undefined;
  private closing = false;

  private constructor(
    private readonly child: Launcher,
    readonly binary: string,
  ) {}

  /** Starts a launcher and resolves once it said `ready`; rejects when it cannot run. */
  static start(binary: string): Promise<LauncherClient> {
    const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const client = new LauncherClient(child, binary);
    return new Promise<LauncherClient>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`${binary} did not answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        client.close();
        reject(error);
      };
      client.onReady = (version) => {
        clearTimeout(timer);
        client.onEarlyEnd = () => undefined;
        if (version !== LAUNCHER_PROTOCOL_VERSION) fail(new Error(`${binary} speaks protocol ${version}, this agent ${LAUNCHER_PROTOCOL_VERSION}; rebuild it (npm run build)`));
        else {
          client.updateReference();
          resolve(client);
        }
      };
      client.onEarlyEnd = fail;
      client.listen();
    });
  }

  /** Why the launcher is gone, or undefined while it runs. */
  get dead(): string | undefined {
    return this.goneReason;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  spawn(request: SpawnRequest): Promise<SpawnedProcess> {
    if (this.goneReason !== undefined) return Promise.reject(new LauncherGoneError(this.goneReason));
    const id = this.nextId++;
    let frame: Buffer;
    try {
      frame = encodeSpawn({ id, ...request, argv: [request.argv0, ...request.args] });
    } catch (e) {
      // A NUL byte (LauncherRequestError): the driver words it as a failed launch.
      return Promise.reject(e as Error);
    }
    return new Promise<SpawnedProcess>((resolve, reject) => {
      this.pending.set(id, { request, resolve, reject });
      this.updateReference();
      this.child.stdin.write(frame);
    });
  }

  /** Closes the launcher's stdin: it exits and leaves the processes it started running. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.child.stdin.end();
    this.child.unref();
    this.replies().unref();
  }

  /** The launcher's stdout: a pipe, which Node makes a net.Socket (so it can be unref'd). */
  private replies(): Socket {
    return this.child.stdout as Socket;
  }

  private onReady: (version: number) => void = () => undefined;
  private onEarlyEnd: (error: Error) => void = () => undefined;

  private listen(): void {
    this.child.stdout.setEncoding('latin1');
    this.child.stdout.on('data', (chunk: string) => {
      for (const reply of this.decoder.push(chunk)) this.handle(reply);
    });
    // A write to a launcher that just died: its 'exit' says what happened.
    this.child.stdin.on('error', () => undefined);
    this.child.once('error', (e) => this.gone(`${this.binary} could not be started: ${e.message}`));
    this.child.once('exit', (code, signal) => this.gone(`${this.binary} exited ${signal !== null ? `on ${signal}` : `with status ${code}`}`));
  }

  private handle(reply: LauncherReply): void {
    switch (reply.kind) {
      case 'ready':
        this.onReady(reply.version);
        return;
      case 'started': {
        const pending = this.take(reply.id);
        if (pending === undefined) return;
        const exited = new Promise<TaskExit>((resolve) => this.running.set(reply.id, { pid: reply.pid, resolve }));
        pending.resolve({ pid: reply.pid, exited });
        return;
      }
      case 'failed': {
        const pending = this.take(reply.id);
        pending?.reject(startError(pending.request, reply.errno, reply.stage));
        this.updateReference();
        return;
      }
      case 'exited':
      case 'signaled': {
        const run = this.running.get(reply.id);
        if (run === undefined) return;
        this.running.delete(reply.id);
        run.resolve(reply.kind === 'exited' ? { kind: 'exited', code: reply.code } : { kind: 'signaled', signal: SIGNAL_NAMES.get(reply.signal) ?? 'SIGKILL' });
        this.updateReference();
        return;
      }
      case 'garbled':
      case 'fatal':
        // A launcher that does not follow the protocol cannot be trusted with more starts.
        this.gone(`${this.binary} broke the protocol: ${reply.kind === 'fatal' ? reply.message : JSON.stringify(reply.line)}`);
        this.child.kill('SIGKILL');
    }
  }

  private take(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  private gone(reason: string): void {
    if (this.goneReason !== undefined) return;
    this.goneReason = reason;
    this.onEarlyEnd(new Error(reason));
    for (const pending of this.pending.values()) pending.reject(new LauncherGoneError(reason));
    this.pending.clear();
    if (!this.closing) {
      const cause = { reason: TaskStatusReason.EXECUTOR_TERMINATED, message: `the agent's process launcher ended (${reason}); the task was killed` };
      for (const run of this.running.values()) {
        killGroup(run.pid);
        run.resolve({ kind: 'signaled', signal: 'SIGKILL', cause });
      }
      this.running.clear();
    }
    this.updateReference();
  }

  /** Keeps the agent alive only while the launcher has work. */
  private updateReference(): void {
    const busy = this.goneReason === undefined && !this.closing && (this.pending.size > 0 || this.running.size > 0);
    if (busy === this.referenced) return;
    this.referenced = busy;
    if (busy) {
      this.child.ref();
      this.replies().ref();
    } else {
      this.child.unref();
      this.replies().unref();
    }
  }
}

/** The same words Node's spawn and fs use, so a task fails with the same message either way. */
function startError(request: SpawnRequest, errno: number, stage: string): Error {
  const [code, description] = getSystemErrorMap().get(-errno) ?? [ERRNO_NAMES.get(errno) ?? `errno ${errno}`, `error ${errno}`];
  switch (stage) {
    case 'stdout':
    case 'stderr': {
      const path = stage === 'stdout' ? request.stdoutPath : request.stderrPath;
      return new TaskStartError(`cannot open ${path}: ${code}: ${description}, open '${path}'`);
    }
    case 'cgroup':
      return new TaskStartError(`cannot join the cgroup through ${request.cgroupProcsFile}: ${code}: ${description}`);
    case 'spawn':
      return Object.assign(new Error(`spawn ${request.file} ${code}`), { code, errno: -errno, syscall: `spawn ${request.file}`, path: request.file });
    default:
      return new Error(`the process launcher refused the request (${code})`);
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
