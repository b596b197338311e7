/**
 * A cluster of real processes for the benchmarks that need many agents: its own nats-server on a
 * free port, a master as a child process (`agora master`, so its CPU time and peak RSS come from
 * /proc and it can be killed with -9 and replaced), and `agora sim --agents N` as another child.
 * The registry is a fresh database on DATABASE_URL when set, else the master's embedded Postgres
 * in a temporary directory that outlives a master, so a replacement master finds the registry.
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
import { freePort } from './free-port';

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
}

export interface ProcessUsage {
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

export class SimCluster {
  /** The master's base URL. */
  readonly master: string;
  private readonly children: ChildProcess[] = [];
  private natsProcess: ChildProcess | undefined;
  private masterProcess: ChildProcess | undefined;
  private simProcess: ChildProcess | undefined;
  private masterGeneration = 0;
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
    const database = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL, options.name) : undefined;
    const cluster = new SimCluster(options, work, `nats://127.0.0.1:${natsPort}`, masterPort, `bench-${randomBytes(3).toString('hex')}`, database);
    cluster.natsProcess = cluster.spawnChild('nats-server', 'nats-server', ['--addr', '127.0.0.1', '--port', String(natsPort)], {});
    await cluster.startMaster();
    return cluster;
  }

  /** Starts a master process (the first, or a replacement after killMaster) and waits for /health. */
  async startMaster(): Promise<ChildProcess> {
    const generation = this.masterGeneration++;
    const name = generation === 0 ? 'master' : `master-${generation}`;
    this.masterProcess = this.node(name, ['apps/cli/src/main.ts', 'master', '--port', String(this.masterPort), '--host', '127.0.0.1'], {
      NATS_URL: this.natsUrl,
      AGORA_BUS_NAMESPACE: this.namespace,
      ...(this.database ? { DATABASE_URL: this.database.url } : { AGORA_EMBEDDED_POSTGRES_DIR: join(this.work, 'postgres') }),
      ...this.options.masterEnv,
    });
    await until('the master answering /health', 60_000, async () => ((await fetch(`${this.master}/health`)).ok ? true : undefined));
    return this.masterProcess;
  }

  /** kill -9 of the master; resolves once the process is gone. */
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

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Prints `rows` as a two-column table. */
export function printTable(rows: readonly (readonly [string, string])[]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
}
