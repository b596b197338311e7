/**
 * The Docker engine as the docker driver uses it: a thin, typed face over dockerode (whose own
 * types answer `any` for half the calls), and the only file of the agent that talks to it.
 * Errors come out as EngineError with the engine's HTTP status and its own message.
 */
import type { Writable } from 'node:stream';
import Docker, { type ContainerCreateOptions } from 'dockerode';
import type { EngineAddress } from './engine-address';

export interface EngineVersion {
  /** e.g. 20.10.24+dfsg1. */
  readonly version: string;
  readonly apiVersion: string;
}

export interface ContainerState {
  readonly running: boolean;
  readonly exitCode: number;
  /** The kernel killed a process of the container for exceeding its memory limit. */
  readonly oomKilled: boolean;
  /** The container's first process on the host; 0 once it ended. */
  readonly pid: number;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
  readonly image?: string;
  /** The limits it was created with (HostConfig), for a recovered container's stats. */
  readonly memoryBytes?: number;
  readonly cpuQuota?: number;
  readonly cpuPeriod?: number;
}

/** A container as listed (`docker ps -a`). */
export interface ListedContainer {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ContainerUsage {
  readonly cpuUserSeconds?: number;
  readonly cpuSystemSeconds?: number;
  readonly memoryBytes?: number;
}

/** A container's output being copied; `done` settles when the engine ends the stream. */
export interface OutputFollower {
  readonly done: Promise<void>;
  cancel(): void;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(
    message: string,
    /** The engine's HTTP status; undefined when it could not be reached. */
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** dockerode's error shape: `statusCode` and the engine's JSON answer, or a socket error. */
interface DockerodeError {
  readonly message?: string;
  readonly statusCode?: number;
  readonly json?: { message?: string } | null;
}

function engineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const e = (error ?? {}) as DockerodeError;
  const message = e.json?.message ?? e.message ?? String(error);
  return new EngineError(message, e.statusCode, { cause: error });
}

/** Runs an engine call and turns its failure into an EngineError. */
async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw engineError(error);
  }
}

export class DockerEngine {
  private readonly docker: Docker;

  constructor(address: EngineAddress) {
    // Every field given: docker-modem fills what is missing from process.env (DOCKER_HOST,
    // DOCKER_CERT_PATH...), and the agent reads its configuration in one place only.
    this.docker = new Docker(
      address.kind === 'unix'
        ? { socketPath: address.socketPath, host: undefined, port: undefined, protocol: 'http', ca: undefined, cert: undefined, key: undefined }
        : { socketPath: undefined, host: address.host, port: address.port, protocol: 'http', ca: undefined, cert: undefined, key: undefined },
    );
  }

  /** The engine's version, or an EngineError when it does not answer within `timeoutMs`. */
  version(timeoutMs: number): Promise<EngineVersion> {
    const version = this.docker.version as unknown as (options: { abortSignal: AbortSignal }) => Promise<Docker.DockerVersion>;
    return call(async () => {
      const answer = await version.call(this.docker, { abortSignal: AbortSignal.timeout(timeoutMs) });
      return { version: answer.Version, apiVersion: answer.ApiVersion };
    });
  }

  /** Pulls `image` to the end of the engine's progress stream; rejects with the engine's error. */
  pull(image: string): Promise<void> {
    return call(async () => {
      const stream = await this.docker.pull(image);
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(stream, (error: Error | null) => (error === null ? resolve() : reject(error)));
      });
    });
  }

  /** Creates a container and answers its id. */
  create(options: ContainerCreateOptions): Promise<string> {
    return call(async () => (await this.docker.createContainer(options)).id);
  }

  start(id: string): Promise<void> {
    return call(async () => {
      await this.docker.getContainer(id).start();
    });
  }

  inspect(id: string): Promise<ContainerState> {
    return call(async () => {
      const { State, Config, HostConfig } = await this.docker.getContainer(id).inspect();
      return {
        running: State.Running,
        exitCode: State.ExitCode,
        oomKilled: State.OOMKilled,
        pid: State.Pid,
        startedAt: Date.parse(State.StartedAt),
        ...(Config?.Image !== undefined ? { image: Config.Image } : {}),
        ...(HostConfig?.Memory ? { memoryBytes: HostConfig.Memory } : {}),
        ...(HostConfig?.CpuQuota ? { cpuQuota: HostConfig.CpuQuota } : {}),
        ...(HostConfig?.CpuPeriod ? { cpuPeriod: HostConfig.CpuPeriod } : {}),
      };
    });
  }

  /** Every container, running or not, that carries all of `labels`. */
  list(labels: Readonly<Record<string, string>>): Promise<ListedContainer[]> {
    return call(async () => {
      const found = await this.docker.listContainers({ all: true, filters: { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) } });
      return found.map((c) => ({ id: c.Id, labels: c.Labels ?? {} }));
    });
  }

  /** Resolves with the exit code once the container is not running (at once if it ended already). */
  wait(id: string): Promise<number> {
    return call(async () => {
      const answer = (await this.docker.getContainer(id).wait()) as { StatusCode: number };
      return answer.StatusCode;
    });
  }

  /**
   * Copies the container's stdout and stderr (from its start, demultiplexed) into the two
   * writables until the container ends; `docker logs --follow`, as Mesos's executor does.
   * `sinceSeconds` (epoch seconds) skips what was written before: a recovered container's
   * earlier output is in the sandbox already.
   */
  async followOutput(id: string, stdout: Writable, stderr: Writable, sinceSeconds?: number): Promise<OutputFollower> {
    const stream = await call(() =>
      this.docker.getContainer(id).logs({ follow: true, stdout: true, stderr: true, ...(sinceSeconds !== undefined ? { since: sinceSeconds } : {}) }),
    );
    const done = new Promise<void>((resolve) => {
      // Either ends the copy: an error means the engine went away, and what came is kept.
      stream.once('end', () => resolve());
      stream.once('close', () => resolve());
      stream.once('error', () => resolve());
    });
    this.docker.modem.demuxStream(stream, stdout, stderr);
    return {
      done,
      cancel: () => (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.(),
    };
  }

  /** `docker stop --time`: the container's stop signal, then SIGKILL after `seconds`. */
  stop(id: string, seconds: number): Promise<void> {
    return call(async () => {
      await this.docker.getContainer(id).stop({ t: seconds });
    });
  }

  kill(id: string, signal: NodeJS.Signals): Promise<void> {
    return call(async () => {
      await this.docker.getContainer(id).kill({ signal });
    });
  }

  remove(id: string): Promise<void> {
    return call(async () => {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    });
  }

  /** One sample of the container's usage (`docker stats --no-stream`). */
  stats(id: string): Promise<ContainerUsage> {
    return call(async () => {
      const stats = await this.docker.getContainer(id).stats({ stream: false });
      const cpu = stats.cpu_stats?.cpu_usage;
      const memory = stats.memory_stats;
      // Resident memory: cgroup v1 reports `rss`, v2 `anon`; `usage` also counts page cache.
      const resident = memory?.stats?.rss ?? (memory?.stats as { anon?: number } | undefined)?.anon ?? memory?.usage;
      return {
        ...(cpu?.usage_in_usermode !== undefined ? { cpuUserSeconds: cpu.usage_in_usermode / 1e9 } : {}),
        ...(cpu?.usage_in_kernelmode !== undefined ? { cpuSystemSeconds: cpu.usage_in_kernelmode / 1e9 } : {}),
        ...(resident !== undefined ? { memoryBytes: resident } : {}),
      };
    });
  }
}

/** The engine answered that the thing does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof EngineError && error.statusCode === 404;
}

/** The engine answered 304: the container was already stopped (or started). */
export function isNotModified(error: unknown): boolean {
  return error instanceof EngineError && error.statusCode === 304;
}
