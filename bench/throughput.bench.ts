/**
 * Throughput benchmark (issue 5, 3a): how many zero-duration tasks per second go through the
 * master, NATS and simulated agents, and how long each waits from its ACCEPT to TASK_RUNNING and
 * to TASK_FINISHED.
 *
 *   nats-server      started here on a free port (nats-server must be installed)
 *   Postgres         a fresh database on DATABASE_URL when set, else the master's embedded one
 *   master           a child process (so its CPU time and peak RSS come from /proc)
 *   simulator        `agora sim` as a child process, N agents (default 1,000)
 *   load framework   in this process (support/load-framework.ts), T tasks (default 100,000)
 *
 * Prints a table and writes bench/results/throughput.json: the raw figures and a top-level
 * `summary` {tasks_per_sec, p99_running_ms}. Figures only; nothing here asserts a time.
 *
 *   npm run bench:throughput                          1,000 agents, 100,000 tasks
 *   npm run bench:throughput -- --quick               100 agents, 5,000 tasks
 *   npm run bench:throughput -- --quick --profile /tmp/prof   CPU profiles of master and simulator
 *   npm run bench:throughput -- --max-in-flight 2000     bound the tasks launched and not yet ended (default 2000; 0: none)
 *   npm run bench:throughput -- --agents 2000 --tasks 50000 --cpus 0.1 --mem 32 --allocation-interval 100
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { LoadFramework, percentile } from './support/load-framework';

const ROOT = join(__dirname, '..');
const quick = process.argv.includes('--quick');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number`);
  return value;
}

const AGENTS = flag('agents', quick ? 100 : 1_000);
const TASKS = flag('tasks', quick ? 5_000 : 100_000);
const CPUS = flag('cpus', 0.1);
const MEM = flag('mem', 32);
const ALLOCATION_INTERVAL_MS = flag('allocation-interval', 100);
const SOCKETS = flag('sockets', 32);
/** Launched and not yet ended; 0 for no bound. */
// Unbounded, acknowledgements queue past the agents' resend interval and the run collapses
// (BENCHMARKS.md); 0 still means unbounded.
const MAX_IN_FLIGHT = flag('max-in-flight', 2000);
const AGENT_RESOURCES = 'cpus:4;mem:8192;disk:16384;ports:[31000-32000]';
const CLK_TCK = 100;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

const children: ChildProcess[] = [];

function start(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${name} exited (${code ?? signal}); last output:\n${tail}`);
  });
  children.push(child);
  return child;
}

/** `--profile DIR`: the master and the simulator write V8 CPU profiles (.cpuprofile) there when they stop. */
const profileIndex = process.argv.indexOf('--profile');
const PROFILE_DIR = profileIndex >= 0 ? process.argv[profileIndex + 1] : undefined;

function node(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const profile = PROFILE_DIR !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  return start(name, process.execPath, [...profile, '-r', '@swc-node/register', ...args], { SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env });
}

let stopping = false;
async function stopAll(): Promise<void> {
  stopping = true;
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null || child.pid === undefined) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** CPU seconds (user + system) and peak RSS (MB) of a process, from /proc. */
function usage(pid: number): { cpuSeconds: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds, peakRssMb: hwm ? Number(hwm[1]) / 1024 : Number.NaN };
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function freshDatabase(server: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_throughput_${randomBytes(4).toString('hex')}`;
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

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'agora-bench-throughput-'));
  // As root the embedded Postgres runs as an unprivileged user, who must reach its data directory.
  chmodSync(work, 0o755);
  const natsPort = await freePort();
  const masterPort = await freePort();
  const natsUrl = `nats://127.0.0.1:${natsPort}`;
  const master = `http://127.0.0.1:${masterPort}`;
  const namespace = `bench-${randomBytes(3).toString('hex')}`;
  const database = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : undefined;
  try {
    start('nats-server', 'nats-server', ['--addr', '127.0.0.1', '--port', String(natsPort)], {});
    const masterProcess = node('master', ['apps/cli/src/main.ts', 'master', '--port', String(masterPort), '--host', '127.0.0.1'], {
      NATS_URL: natsUrl,
      AGORA_BUS_NAMESPACE: namespace,
      AGORA_ALLOCATION_INTERVAL_MS: String(ALLOCATION_INTERVAL_MS),
      AGORA_MAX_COMPLETED_TASKS_PER_FRAMEWORK: '1000',
      ...(database ? { DATABASE_URL: database.url } : { AGORA_EMBEDDED_POSTGRES_DIR: join(work, 'postgres') }),
    });
    await until('the master answering /health', 60_000, async () => ((await fetch(`${master}/health`)).ok ? true : undefined));
    const simStartedAt = performance.now();
    const simProcess = node('sim', ['apps/cli/src/main.ts', 'sim', '--agents', String(AGENTS), '--resources', AGENT_RESOURCES], {
      NATS_URL: natsUrl,
      AGORA_BUS_NAMESPACE: namespace,
    });
    await until(`${AGENTS} agents registered`, 120_000, async () => {
      const state = (await (await fetch(`${master}/state`)).json()) as { slaves: unknown[] };
      return state.slaves.length >= AGENTS ? true : undefined;
    });
    const registrationSeconds = (performance.now() - simStartedAt) / 1000;
    console.log(`${AGENTS} agents registered in ${round(registrationSeconds)} s; launching ${TASKS} tasks`);

    const masterBefore = usage(masterProcess.pid ?? 0);
    const simBefore = usage(simProcess.pid ?? 0);
    const framework = new LoadFramework({
      master,
      tasks: TASKS,
      cpusPerTask: CPUS,
      memPerTask: MEM,
      sockets: SOCKETS,
      ...(MAX_IN_FLIGHT > 0 ? { maxInFlight: MAX_IN_FLIGHT } : {}),
    });
    const progress = setInterval(() => {
      const p = framework.progress();
      console.log(`  launched ${p.launched}, running ${p.running}, finished ${p.finished}`);
    }, 2000);
    const result = await framework.run().finally(() => clearInterval(progress));
    const masterAfter = usage(masterProcess.pid ?? 0);
    const simAfter = usage(simProcess.pid ?? 0);
    await framework.close();

    const seconds = (result.lastFinishedAt - result.firstAcceptAt) / 1000;
    const launchSeconds = (result.lastAcceptAt - result.firstAcceptAt) / 1000;
    const figures = {
      agents: AGENTS,
      tasks: TASKS,
      task_cpus: CPUS,
      task_mem: MEM,
      allocation_interval_ms: ALLOCATION_INTERVAL_MS,
      max_in_flight: MAX_IN_FLIGHT,
      finished: result.finished,
      failed: result.failed,
      registration_s: round(registrationSeconds, 2),
      duration_s: round(seconds, 2),
      launched_per_sec: round(TASKS / Math.max(launchSeconds, 1e-3)),
      finished_per_sec: round(result.finished / seconds),
      accepts: result.accepts,
      declines: result.declines,
      tasks_per_accept: round(TASKS / Math.max(result.accepts, 1)),
      acknowledgements: result.acknowledgements,
      running_p50_ms: round(percentile(result.runningMs, 50)),
      running_p99_ms: round(percentile(result.runningMs, 99)),
      running_max_ms: round(percentile(result.runningMs, 100)),
      finished_p50_ms: round(percentile(result.finishedMs, 50)),
      finished_p99_ms: round(percentile(result.finishedMs, 99)),
      finished_max_ms: round(percentile(result.finishedMs, 100)),
      master_cpu_s: round(masterAfter.cpuSeconds - masterBefore.cpuSeconds, 2),
      master_peak_rss_mb: round(masterAfter.peakRssMb),
      sim_cpu_s: round(simAfter.cpuSeconds - simBefore.cpuSeconds, 2),
      sim_peak_rss_mb: round(simAfter.peakRssMb),
    };
    const rows: [string, string][] = [
      ['agents / tasks', `${AGENTS} / ${TASKS} (${CPUS} cpus, ${MEM} MB each)`],
      ['finished (failed)', `${result.finished} (${JSON.stringify(result.failed)})`],
      ['wall time, first ACCEPT → last FINISHED', `${figures.duration_s} s`],
      ['tasks/s launched (ACCEPTed)', String(figures.launched_per_sec)],
      ['tasks/s finished', String(figures.finished_per_sec)],
      ['ACCEPTs (tasks per ACCEPT)', `${result.accepts} (${figures.tasks_per_accept})`],
      ['ACCEPT→RUNNING p50 / p99 / max', `${figures.running_p50_ms} / ${figures.running_p99_ms} / ${figures.running_max_ms} ms`],
      ['ACCEPT→FINISHED p50 / p99 / max', `${figures.finished_p50_ms} / ${figures.finished_p99_ms} / ${figures.finished_max_ms} ms`],
      ['master CPU during the run', `${figures.master_cpu_s} s`],
      ['master peak RSS', `${figures.master_peak_rss_mb} MB`],
      ['simulator CPU / peak RSS', `${figures.sim_cpu_s} s / ${figures.sim_peak_rss_mb} MB`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const out = join(ROOT, 'bench', 'results', 'throughput.json');
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          summary: { tasks_per_sec: figures.finished_per_sec, p99_running_ms: figures.running_p99_ms },
          figures,
          finished_per_second: result.finishedPerSecond,
          machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
          measured_at: new Date().toISOString(),
        },
        null,
        2,
      )}\n`,
    );
    console.log(`wrote ${out}`);
  } finally {
    await stopAll();
    await database?.drop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench:throughput: ${signal}, stopping the master, the simulator and NATS`);
    void stopAll().then(() => process.exit(130));
  });
}

main().catch(async (e: unknown) => {
  console.error(`bench:throughput failed: ${e instanceof Error ? e.message : String(e)}`);
  await stopAll();
  process.exitCode = 1;
});
