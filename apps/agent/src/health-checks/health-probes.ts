/**
 * The checks themselves, one per HealthCheck type, as Mesos's checker runs them
 * (`src/checks/checker_process.cpp`): COMMAND runs a command and wants exit status 0; HTTP GETs
 * `<scheme>://127.0.0.1:<port><path>` and wants a status in [200, 400) (or one of
 * `statuses` when given; certificates are not verified, as `curl -k`); TCP wants a connection
 * to 127.0.0.1:<port>. A probe never rejects: every way of failing is an unhealthy outcome with
 * a message. It stops what it started when its signal aborts (the checker's timeout).
 *
 * Everything here runs on the host, in the agent's network namespace: with the process driver
 * (and Docker tasks on host networking) 127.0.0.1 is the task's own loopback. A Docker task on
 * a bridge network is reached only through a host port, and a COMMAND check does not enter the
 * container: it runs on the host in the task's sandbox.
 */
import { Injectable } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { connect } from 'node:net';
import type { CommandInfo } from '@agora/protocol';
import { commandLine } from '../drivers/process/command-line';
import type { HealthProbeSpec } from './health-check-settings';

/** Where checks connect: the task's loopback (Mesos uses 127.0.0.1, not `localhost`). */
export const CHECK_HOST = '127.0.0.1';

/** The PATH a command check gets unless the task or the check sets one (as the process driver's). */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** How much of a failing command check's stderr is kept for the log line. */
const STDERR_TAIL_BYTES = 512;

export interface ProbeOutcome {
  readonly healthy: boolean;
  /** Why it failed. */
  readonly message?: string;
}

/** One check. Settles once the check is over; never rejects. */
export type HealthProbe = (signal: AbortSignal) => Promise<ProbeOutcome>;

/** What a COMMAND check inherits from its task. */
export interface ProbeContext {
  /** Working directory (the task's sandbox). */
  readonly sandbox: string;
  /** The task's environment; the check's own variables are laid over it. */
  readonly env: Readonly<Record<string, string>>;
}

/** Builds probes; an injectable so the checker's tests can put fakes in. */
@Injectable()
export class HealthProbes {
  create(spec: HealthProbeSpec, context: ProbeContext): HealthProbe {
    switch (spec.type) {
      case 'COMMAND':
        return (signal) => commandProbe(spec.command, context, signal);
      case 'HTTP':
        return (signal) => httpProbe(spec, signal);
      case 'TCP':
        return (signal) => tcpProbe(spec.port, signal);
    }
  }
}

/** The verdict on an HTTP status: one of `statuses` when given, else 2xx or 3xx. */
export function httpStatusHealthy(status: number, statuses: readonly number[]): boolean {
  return statuses.length > 0 ? statuses.includes(status) : status >= 200 && status < 400;
}

function commandProbe(command: CommandInfo, context: ProbeContext, signal: AbortSignal): Promise<ProbeOutcome> {
  return new Promise<ProbeOutcome>((resolve) => {
    let line;
    try {
      line = commandLine(command);
    } catch (e) {
      resolve({ healthy: false, message: (e as Error).message });
      return;
    }
    const own: Record<string, string> = {};
    for (const v of command.environment?.variables ?? []) if (v.type !== 'SECRET' && v.value !== undefined) own[v.name] = v.value;
    const child = spawn(line.file, [...line.args], {
      argv0: line.argv0,
      cwd: context.sandbox,
      env: { PATH: DEFAULT_PATH, HOME: context.sandbox, ...context.env, ...own },
      // A group of its own, so a timeout kills whatever the check started (Mesos: killtree).
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    const kill = (): void => killGroup(child.pid);
    signal.addEventListener('abort', kill, { once: true });
    const done = (outcome: ProbeOutcome): void => {
      signal.removeEventListener('abort', kill);
      resolve(outcome);
    };
    child.once('error', (e) => done({ healthy: false, message: `Failed to create subprocess: ${e.message}` }));
    child.once('exit', (code, sig) => {
      // Whatever the check left behind in its group goes with it.
      killGroup(child.pid);
      if (code === 0) return done({ healthy: true });
      const how = sig !== null ? `terminated with signal ${sig}` : `exited with status ${code ?? 'unknown'}`;
      done({ healthy: false, message: `Command ${how}${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}` });
    });
  });
}

function httpProbe(spec: Extract<HealthProbeSpec, { type: 'HTTP' }>, signal: AbortSignal): Promise<ProbeOutcome> {
  const url = `${spec.scheme}://${CHECK_HOST}:${spec.port}${spec.path}`;
  return new Promise<ProbeOutcome>((resolve) => {
    const onResponse = (res: IncomingMessage): void => {
      const status = res.statusCode ?? 0;
      // Only the status matters: the body is not read, and the connection is not kept.
      res.destroy();
      resolve(httpStatusHealthy(status, spec.statuses) ? { healthy: true } : { healthy: false, message: `Unexpected HTTP response code: ${status}` });
    };
    const headers = { 'user-agent': 'agora-health-check', connection: 'close' };
    const request =
      spec.scheme === 'https'
        ? httpsGet(url, { signal, agent: false, headers, rejectUnauthorized: false }, onResponse)
        : httpGet(url, { signal, agent: false, headers }, onResponse);
    request.on('error', (e) => resolve({ healthy: false, message: `GET ${url} failed: ${e.message}` }));
  });
}

function tcpProbe(port: number, signal: AbortSignal): Promise<ProbeOutcome> {
  return new Promise<ProbeOutcome>((resolve) => {
    const socket = connect({ host: CHECK_HOST, port });
    const abort = (): void => {
      socket.destroy();
      resolve({ healthy: false, message: 'aborted' });
    };
    signal.addEventListener('abort', abort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', abort);
      socket.destroy();
      resolve({ healthy: true });
    });
    socket.once('error', (e) => {
      signal.removeEventListener('abort', abort);
      resolve({ healthy: false, message: `connecting to ${CHECK_HOST}:${port} failed: ${e.message}` });
    });
  });
}

/** SIGKILL to a process group; one that is gone already is fine. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left to kill.
  }
}
