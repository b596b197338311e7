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
 * Two phases on one cluster: saturated (T tasks as fast as offers allow, at most
 * --max-in-flight at once) gives tasks/s; offered load (--offered-tasks at --rate tasks/s)
 * gives the latencies of a cluster that keeps up. Prints a table per phase and writes
 * bench/results/throughput.json: the raw figures and a top-level `summary` {tasks_per_sec (saturated),
 * p99_running_ms (offered load)}, with CPU per task of every process. Figures only; nothing
 * here asserts a time.
 *
 *   npm run bench:throughput                          1,000 agents, 100,000 tasks
 *   npm run bench:throughput -- --quick               100 agents, 5,000 tasks (and 5,000 offered)
 *   npm run bench:throughput -- --quick --profile /tmp/prof   CPU profiles of master and simulator
 *   npm run bench:throughput -- --max-in-flight 2000     bound the tasks launched and not yet ended (default 2000; 0: none)
 *   npm run bench:throughput -- --rate 1000 --offered-tasks 30000   the offered-load phase (defaults; --rate 0 skips it)
 *   npm run bench:throughput -- --agents 2000 --tasks 50000 --cpus 0.1 --mem 32 --allocation-interval 100
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { LoadFramework, percentile } from './support/load-framework';
import { numberFlag, runBenchmark } from './support/bench-cli';
import { printTable, round, SimCluster } from './support/sim-cluster';

const ROOT = join(__dirname, '..');
const quick = process.argv.includes('--quick');


const AGENTS = numberFlag('agents', quick ? 100 : 1_000);
const TASKS = numberFlag('tasks', quick ? 5_000 : 100_000);
const CPUS = numberFlag('cpus', 0.1);
const MEM = numberFlag('mem', 32);
const ALLOCATION_INTERVAL_MS = numberFlag('allocation-interval', 100);
const SOCKETS = numberFlag('sockets', 4);
/** The second phase: OFFERED_TASKS launched at RATE tasks/s (the latency target's condition); 0 skips it. */
const RATE = numberFlag('rate', 1_000);
const OFFERED_TASKS = numberFlag('offered-tasks', quick ? 5_000 : 30_000);
/** Launched and not yet ended; 0 for no bound. */
// Unbounded, acknowledgements queue past the agents' resend interval and the run collapses
// (BENCHMARKS.md); 0 still means unbounded.
const MAX_IN_FLIGHT = numberFlag('max-in-flight', 2000);
const AGENT_RESOURCES = 'cpus:4;mem:8192;disk:16384;ports:[31000-32000]';

/** `--profile DIR`: the master and the simulator write V8 CPU profiles (.cpuprofile) there when they stop. */
const profileIndex = process.argv.indexOf('--profile');
const PROFILE_DIR = profileIndex >= 0 ? process.argv[profileIndex + 1] : undefined;

/** Every whole percentile 0..100 of `values`, for latency CDF plots. */
function percentiles(values: number[]): number[] {
  return Array.from({ length: 101 }, (_, p) => round(percentile(values, p)));
}

let cluster: SimCluster | undefined;

interface PhaseOptions {
  readonly tasks: number;
  readonly rate?: number;
  readonly maxInFlight?: number;
}

/** One load framework run against the cluster: its figures, from the first ACCEPT to the last terminal update. */
async function phase(running: SimCluster, options: PhaseOptions) {
  const masterBefore = running.masterUsage();
  const simBefore = running.simUsage();
  const natsBefore = running.natsUsage();
  const frameworkBefore = process.cpuUsage();
  const framework = new LoadFramework({
    master: running.master,
    tasks: options.tasks,
    cpusPerTask: CPUS,
    memPerTask: MEM,
    sockets: SOCKETS,
    ...(options.maxInFlight !== undefined && options.maxInFlight > 0 ? { maxInFlight: options.maxInFlight } : {}),
    ...(options.rate !== undefined && options.rate > 0 ? { rate: options.rate } : {}),
  });
  const progress = setInterval(() => {
    const p = framework.progress();
    console.log(`  launched ${p.launched}, running ${p.running}, finished ${p.finished}`);
  }, 2000);
  const result = await framework.run().finally(() => clearInterval(progress));
  const masterAfter = running.masterUsage();
  const simAfter = running.simUsage();
  const natsAfter = running.natsUsage();
  const frameworkCpu = process.cpuUsage(frameworkBefore);
  await framework.close();

  const seconds = (result.lastFinishedAt - result.firstAcceptAt) / 1000;
  const launchSeconds = (result.lastAcceptAt - result.firstAcceptAt) / 1000;
  const perTaskUs = (cpuSeconds: number): number => round((cpuSeconds * 1e6) / Math.max(result.finished, 1), 0);
  const masterCpu = masterAfter.cpuSeconds - masterBefore.cpuSeconds;
  const simCpu = simAfter.cpuSeconds - simBefore.cpuSeconds;
  const natsCpu = natsAfter.cpuSeconds - natsBefore.cpuSeconds;
  const fwCpu = (frameworkCpu.user + frameworkCpu.system) / 1e6;
  const figures = {
    tasks: options.tasks,
    offered_rate: options.rate ?? 0,
    max_in_flight: options.maxInFlight ?? 0,
    finished: result.finished,
    failed: result.failed,
    duration_s: round(seconds, 2),
    launched_per_sec: round(options.tasks / Math.max(launchSeconds, 1e-3)),
    finished_per_sec: round(result.finished / seconds),
    accepts: result.accepts,
    declines: result.declines,
    tasks_per_accept: round(options.tasks / Math.max(result.accepts, 1)),
    acknowledgements: result.acknowledgements,
    running_p50_ms: round(percentile(result.runningMs, 50)),
    running_p99_ms: round(percentile(result.runningMs, 99)),
    running_max_ms: round(percentile(result.runningMs, 100)),
    finished_p50_ms: round(percentile(result.finishedMs, 50)),
    finished_p99_ms: round(percentile(result.finishedMs, 99)),
    finished_max_ms: round(percentile(result.finishedMs, 100)),
    master_cpu_s: round(masterCpu, 2),
    master_peak_rss_mb: round(masterAfter.peakRssMb),
    sim_cpu_s: round(simCpu, 2),
    sim_peak_rss_mb: round(simAfter.peakRssMb),
    nats_cpu_s: round(natsCpu, 2),
    framework_cpu_s: round(fwCpu, 2),
    cpu_us_per_task: { master: perTaskUs(masterCpu), simulator: perTaskUs(simCpu), nats: perTaskUs(natsCpu), framework: perTaskUs(fwCpu) },
  };
  const load = options.rate ? `${options.rate} tasks/s offered` : `as fast as offers allow, at most ${options.maxInFlight || 'unbounded'} in flight`;
  printTable([
    ['load', `${options.tasks} tasks, ${load}`],
    ['finished (failed)', `${result.finished} (${JSON.stringify(result.failed)})`],
    ['wall time, first ACCEPT → last FINISHED', `${figures.duration_s} s`],
    ['tasks/s launched (ACCEPTed)', String(figures.launched_per_sec)],
    ['tasks/s finished', String(figures.finished_per_sec)],
    ['ACCEPTs (tasks per ACCEPT)', `${result.accepts} (${figures.tasks_per_accept})`],
    ['ACCEPT→RUNNING p50 / p99 / max', `${figures.running_p50_ms} / ${figures.running_p99_ms} / ${figures.running_max_ms} ms`],
    ['ACCEPT→FINISHED p50 / p99 / max', `${figures.finished_p50_ms} / ${figures.finished_p99_ms} / ${figures.finished_max_ms} ms`],
    ['CPU s: master / simulator / nats / framework', `${figures.master_cpu_s} / ${figures.sim_cpu_s} / ${figures.nats_cpu_s} / ${figures.framework_cpu_s}`],
    ['CPU µs per task: master / simulator / nats / framework', Object.values(figures.cpu_us_per_task).join(' / ')],
    ['master / simulator peak RSS', `${figures.master_peak_rss_mb} / ${figures.sim_peak_rss_mb} MB`],
  ]);
  return {
    figures,
    finished_per_second: result.finishedPerSecond,
    running_ms_percentiles: percentiles(result.runningMs),
    finished_ms_percentiles: percentiles(result.finishedMs),
  };
}

async function main(): Promise<void> {
  cluster = await SimCluster.start({
    name: 'throughput',
    agents: AGENTS,
    agentResources: AGENT_RESOURCES,
    masterEnv: { AGORA_ALLOCATION_INTERVAL_MS: String(ALLOCATION_INTERVAL_MS), AGORA_MAX_COMPLETED_TASKS_PER_FRAMEWORK: '1000' },
    ...(PROFILE_DIR !== undefined ? { profileDir: PROFILE_DIR } : {}),
  });
  try {
    const registrationSeconds = await cluster.startAgents();
    console.log(`${AGENTS} agents registered in ${round(registrationSeconds)} s`);
    console.log(`saturated: ${TASKS} tasks as fast as offers allow`);
    const saturated = await phase(cluster, { tasks: TASKS, maxInFlight: MAX_IN_FLIGHT });
    let offered: Awaited<ReturnType<typeof phase>> | undefined;
    if (OFFERED_TASKS > 0 && RATE > 0) {
      console.log(`offered load: ${OFFERED_TASKS} tasks at ${RATE}/s`);
      offered = await phase(cluster, { tasks: OFFERED_TASKS, rate: RATE, maxInFlight: MAX_IN_FLIGHT });
    }

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const out = join(ROOT, 'bench', 'results', 'throughput.json');
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          summary: {
            tasks_per_sec: saturated.figures.finished_per_sec,
            // The target is a latency at 1,000 tasks/s offered; without that phase, the saturated run's.
            p99_running_ms: (offered ?? saturated).figures.running_p99_ms,
          },
          agents: AGENTS,
          task_cpus: CPUS,
          task_mem: MEM,
          allocation_interval_ms: ALLOCATION_INTERVAL_MS,
          registration_s: round(registrationSeconds, 2),
          figures: saturated.figures,
          finished_per_second: saturated.finished_per_second,
          running_ms_percentiles: saturated.running_ms_percentiles,
          finished_ms_percentiles: saturated.finished_ms_percentiles,
          ...(offered !== undefined ? { offered_load: offered } : {}),
          machine: { cpus: cpus().length, node: process.version },
          measured_at: new Date().toISOString(),
        },
        null,
        2,
      )}\n`,
    );
    console.log(`wrote ${out}`);
  } finally {
    await cluster.stop();
  }
}

runBenchmark('bench:throughput', main, () => cluster);
