/**
 * A cluster of real processes for the benchmarks that need many agents: its own nats-server on a
 * free port, a master as a child process (`agora master`, so its CPU time and peak RSS come from
 * /proc and it can be killed with -9 and replaced), and `agora sim --agents N` as another child.
 * The registry is a fresh database on DATABASE_URL when set, else the master's embedded Postgres
 * in a temporary directory that outlives a master, so a replacement master finds the registry.
 * With `sharedPostgres` (and no DATABASE_URL) it is a Postgres server of the cluster's own
 * (test/support/private-postgres.ts) instead, so that standby masters (`startStandby`) share the leader's
 * registry and leadership lock, as a highly available cluster does.
 *
 * Used by bench:throughput, bench:state, bench:allocation and bench:failover.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { freePort } from '../../test/support/free-port';
import { PrivatePostgres } from '../../test/support/private-postgres';

const ROOT = join(__dirname, '..', '..');
const CLK_TCK = 100;

export interface SimClusterOptions {
  /** Names the temporary directory and database, e.g. `throughput`. */
  readonly name: string;
  readonly agents: number;
  /** Resources of every simulated agent, in the agent's --resources syntax. */
  readonly agentResources: string;
  /** Extra arguments of `agora sim` (e.g. `--task-duration 0`). */
  readonly simArgs?: readonly string[];
  /** Extra environment of the master (AGORA_* settings). */
  readonly masterEnv?: Readonly<Record<string, string>>;
  /** Write V8 CPU profiles of the master and the simulator there when they stop. */
  readonly profileDir?: string;
  /** How long registration of every agent may take (default 120 s). */
  readonly registrationTimeoutMs?: number;
  /**
   * Without DATABASE_URL: start a Postgres server of the cluster's own rather than the master's
   * embedded one, so that several masters (startStandby) can share the registry.
   */
  readonly sharedPostgres?: boolean;
}

/** A master process of the cluster besides the first: a standby (startStandby). */
export interface MasterProcess {
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
}

export interface ProcessUsage {
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

export class SimCluster {
  /** The leading master's base URL: the first master's, until `takeOver` names a standby. */
  master: string;
  private readonly children: ChildProcess[] = [];
  private natsProcess: ChildProcess | undefined;
  private masterProcess: ChildProcess | undefined;
  private simProcess: ChildProcess | undefined;
  private masterGeneration = 0;
  private standbys = 0;
  private stopping = false;

  private constructor(
    private readonly options: SimClusterOptions,
    private readonly work: string,
    private readonly natsUrl: string,
    private readonly masterPort: number,
    private readonly namespace: string,
    private readonly database: { url: string; drop: () => Promise<void> } | undefined,
  ) {
    this.master = `http://127.0.0.1:${masterPort}`;
  }

  /** Starts NATS and a master and waits until the master answers /health. */
  static async start(options: SimClusterOptions): Promise<SimCluster> {
    const work = mkdtempSync(join(tmpdir(), `agora-bench-${options.name}-`));
    // As root the embedded Postgres runs as an unprivileged user, who must reach its data directory.
    chmodSync(work, 0o755);
    const natsPort = await freePort();
    const masterPort = await freePort();
    const database = process.env.DATABASE_URL
      ? await freshDatabase(process.env.DATABASE_URL, options.name)
      : options.sharedPostgres === true
        ? await ownPostgres(options.name)
        : undefined;
    const cluster = new SimCluster(options, work, `nats://127.0.0.1:${natsPort}`, masterPort, `bench-${randomBytes(3).toString('hex')}`, database);
    cluster.natsProcess = cluster.spawnChild('nats-server', 'nats-server', ['--addr', '127.0.0.1', '--port', String(natsPort)], {});
    try {
      await cluster.startMaster();
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  /** The registry's URL when the benchmark knows it (DATABASE_URL or sharedPostgres), else undefined (embedded). */
  get registryUrl(): string | undefined {
    return this.database?.url;
  }

  /** Starts a master process (the first, or a replacement after killMaster) and waits for /health. */
  async startMaster(): Promise<ChildProcess> {
    const generation = this.masterGeneration++;
    const name = generation === 0 ? 'master' : `master-${generation}`;
    this.masterProcess = this.spawnMaster(name, this.masterPort);
    await until('the master answering /health', 60_000, async () => ((await fetch(`${this.master}/health`)).ok ? true : undefined));
    return this.masterProcess;
  }

  /**
   * Starts another master on a port of its own, against the same registry and NATS (needs
   * DATABASE_URL or `sharedPostgres`), and waits until it answers /health and its /redirect
   * names the leader: it is a standby, campaigning every AGORA_LEADER_POLL_MS.
   */
  async startStandby(): Promise<MasterProcess> {
    if (this.database === undefined) throw new Error('a standby master needs a shared registry: set DATABASE_URL or start the cluster with sharedPostgres');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = this.spawnMaster(`standby-${this.standbys++ + 1}`, port);
    const leader = `//127.0.0.1:${this.masterPort}`;
    await until(`the standby at ${url} answering /health and redirecting to the leader`, 60_000, async () => {
      if (!(await fetch(`${url}/health`)).ok) return undefined;
      return (await leaderLocation(url)) === leader ? true : undefined;
    });
    return { url, port, process: child };
  }

  /**
   * From now on `master`, masterUsage() and killMaster() mean `standby` (the benchmark calls this
   * once the leader is dead, as a standby takes office).
   */
  takeOver(standby: MasterProcess): void {
    this.master = standby.url;
    this.masterProcess = standby.process;
  }

  /** kill -9 of the (leading) master; resolves once the process is gone. */
  async killMaster(): Promise<void> {
    const child = this.masterProcess;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts `agora sim` and waits until the master lists every agent; returns the seconds that took. */
  async startAgents(): Promise<number> {
    const startedAt = performance.now();
    this.simProcess = this.node('sim', ['apps/cli/src/main.ts', 'sim', '--agents', String(this.options.agents), '--resources', this.options.agentResources, ...(this.options.simArgs ?? [])], {
      NATS_URL: this.natsUrl,
      AGORA_BUS_NAMESPACE: this.namespace,
    });
    await this.untilAgents(this.options.agents, this.options.registrationTimeoutMs ?? 120_000);
    return (performance.now() - startedAt) / 1000;
  }

  /** Waits until the master's /state-summary lists at least `count` agents. */
  async untilAgents(count: number, timeoutMs: number): Promise<void> {
    await until(`${count} agents registered`, timeoutMs, async () => {
      const summary = (await (await fetch(`${this.master}/state-summary`)).json()) as { slaves: unknown[] };
      return summary.slaves.length >= count ? true : undefined;
    });
  }

  masterUsage(): ProcessUsage {
    return usage(this.masterProcess?.pid ?? 0);
  }

  /** CPU time and peak RSS of a master started by startStandby. */
  usageOf(master: MasterProcess): ProcessUsage {
    return usage(master.process.pid ?? 0);
  }

  simUsage(): ProcessUsage {
    return usage(this.simProcess?.pid ?? 0);
  }

  natsUsage(): ProcessUsage {
    return usage(this.natsProcess?.pid ?? 0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const child of [...this.children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await this.database?.drop().catch(() => undefined);
    rmSync(this.work, { recursive: true, force: true });
  }

  private spawnMaster(name: string, port: number): ChildProcess {
    return this.node(name, ['apps/cli/src/main.ts', 'master', '--port', String(port), '--host', '127.0.0.1'], {
      NATS_URL: this.natsUrl,
      AGORA_BUS_NAMESPACE: this.namespace,
      ...(this.database ? { DATABASE_URL: this.database.url } : { AGORA_EMBEDDED_POSTGRES_DIR: join(this.work, 'postgres') }),
      ...this.options.masterEnv,
    });
  }

  private node(name: string, args: string[], env: Record<string, string>): ChildProcess {
    const dir = this.options.profileDir;
    const profile = dir !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
    return this.spawnChild(name, process.execPath, [...profile, '-r', '@swc-node/register', ...args], { SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env });
  }

  private spawnChild(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      // A master killed on purpose (signal SIGKILL) is part of the benchmark, not news.
      if (!this.stopping && signal !== 'SIGKILL') console.error(`${name} exited (${code ?? signal}); last output:\n${tail}`);
    });
    this.children.push(child);
    return child;
  }
}

/** Stops the cluster on Ctrl+C; the benchmark's main calls this once. */
export function stopOnSignals(benchmark: string, cluster: () => SimCluster | undefined): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${benchmark}: ${signal}, stopping the master, the simulator and NATS`);
      void (cluster()?.stop() ?? Promise.resolve()).then(() => process.exit(130));
    });
  }
}

/**
 * Where `master`'s /redirect points (`//host:port`, the leader it knows; its own address once it
 * leads), or undefined when it answers otherwise (503: no leader known) or not at all.
 */
export async function leaderLocation(master: string): Promise<string | undefined> {
  const res = await fetch(`${master}/redirect`, { redirect: 'manual' }).catch(() => undefined);
  if (res === undefined) return undefined;
  await res.arrayBuffer().catch(() => undefined);
  return res.status === 307 ? (res.headers.get('location') ?? undefined) : undefined;
}

/** CPU seconds (user + system) and peak RSS (MB) of a process, from /proc. */
export function usage(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds, peakRssMb: hwm ? Number(hwm[1]) / 1024 : Number.NaN };
}

/** Polls `check` every 250 ms until it gives a value (errors count as not yet). */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function freshDatabase(server: string, bench: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_${bench.replace(/[^a-z0-9_]/gi, '_')}_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A Postgres server of the cluster's own (test/support/private-postgres.ts) with one database; `drop` stops and deletes it. */
async function ownPostgres(bench: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = await PrivatePostgres.start();
  try {
    const url = await server.createDatabase(`bench_${bench}`);
    return { url, drop: () => server.destroy() };
  } catch (e) {
    await server.destroy();
    throw e;
  }
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Prints `rows` as a two-column table. */
export function printTable(rows: readonly (readonly [string, string])[]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
}
