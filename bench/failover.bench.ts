/**
 * Failover benchmark (issue 5, 3d): how long a cluster of 5,000 agents running 50,000 tasks takes
 * to work again after its master dies.
 *
 *   nats-server      started here on a free port
 *   Postgres         a fresh database on DATABASE_URL when set, else the master's embedded one
 *   master           a child process; killed with SIGKILL, then a new master process is started
 *                    on the same port and registry (there are no standbys yet: high availability
 *                    is a later issue, so the new process's start-up counts against recovery)
 *   simulator        `agora sim --agents N` whose tasks run for a day
 *   framework        in this process (support/standing-framework.ts): launches T tasks, then
 *                    re-subscribes with its framework id once the master is gone
 *
 * Measured from the kill: the new master answers /health; every agent has re-registered
 * (`master/slaves_active` in /metrics/snapshot); the framework, subscribed again, receives an
 * OFFERS event; the master counts every task TASK_RUNNING (`master/tasks_running`); an implicit
 * reconciliation answers TASK_RUNNING for every task. `summary.recovery_s` is the kill until every
 * agent has re-registered and offers flow. Prints a table and writes bench/results/failover.json.
 *
 *   npm run bench:failover                         5,000 agents, 50,000 tasks
 *   npm run bench:failover -- --quick              500 agents, 5,000 tasks
 *   npm run bench:failover -- --agents 2000 --tasks 20000 --profile /tmp/prof   CPU profiles (.cpuprofile)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { numberFlag, runBenchmark } from './support/bench-cli';
import { printTable, round, SimCluster } from './support/sim-cluster';
import { StandingFramework } from './support/standing-framework';

const ROOT = join(__dirname, '..');
const quick = process.argv.includes('--quick');


const AGENTS = numberFlag('agents', quick ? 500 : 5_000, { integer: true, min: 1 });
const TASKS = numberFlag('tasks', quick ? 5_000 : 50_000, { integer: true, min: 1 });
const PER_AGENT = Math.ceil(TASKS / AGENTS);
const AGENT_RESOURCES = 'cpus:4;mem:8192;disk:16384;ports:[31000-32000]';
/** The simulator's longest task duration (a day): the tasks outlive the benchmark. */
const TASK_DURATION_MS = 86_400_000;
const profileIndex = process.argv.indexOf('--profile');
const PROFILE_DIR = profileIndex >= 0 ? process.argv[profileIndex + 1] : undefined;
const RECOVERY_TIMEOUT_MS = 300_000;

let cluster: SimCluster | undefined;

interface Metrics {
  readonly 'master/slaves_active'?: number;
  readonly 'master/tasks_running'?: number;
  readonly 'master/slave_reregistrations'?: number;
}

/** A moment of the recovery: performance.now() and the new master's CPU seconds then. */
interface Moment {
  readonly at: number;
  readonly cpuS: number;
}

/**
 * Polls /metrics/snapshot every `everyMs` and records when the agents and the tasks are all back.
 * Not more often: at 50,000 tasks each snapshot costs the master tens of milliseconds.
 */
async function watchMetrics(
  master: string,
  everyMs: number,
  deadline: number,
  moment: () => Moment,
  timeline: [number, number, number][],
): Promise<{ agents: Moment; tasks: Moment; reregistrations: number }> {
  let agents: Moment | undefined;
  let tasks: Moment | undefined;
  let reregistrations = 0;
  while (agents === undefined || tasks === undefined) {
    if (Date.now() > deadline) throw new Error(`agents or tasks not back within ${RECOVERY_TIMEOUT_MS / 1000} s`);
    const started = performance.now();
    try {
      const m = (await (await fetch(`${master}/metrics/snapshot`)).json()) as Metrics;
      timeline.push([performance.now(), m['master/slaves_active'] ?? 0, m['master/tasks_running'] ?? 0]);
      reregistrations = m['master/slave_reregistrations'] ?? 0;
      if (agents === undefined && (m['master/slaves_active'] ?? 0) >= AGENTS) agents = moment();
      if (tasks === undefined && (m['master/tasks_running'] ?? 0) >= TASKS) tasks = moment();
    } catch {
      // The new master is not listening yet.
    }
    await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - started))));
  }
  return { agents, tasks, reregistrations };
}

/** Polls /health every `everyMs` until the new master answers 200. */
async function untilHealthy(master: string, everyMs: number, deadline: number, moment: () => Moment): Promise<Moment> {
  for (;;) {
    if (Date.now() > deadline) throw new Error('the new master did not answer /health');
    const ok = await fetch(`${master}/health`).then((r) => r.ok, () => false);
    if (ok) return moment();
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function main(): Promise<void> {
  cluster = await SimCluster.start({
    name: 'failover',
    agents: AGENTS,
    agentResources: AGENT_RESOURCES,
    simArgs: ['--task-duration', String(TASK_DURATION_MS)],
    ...(PROFILE_DIR !== undefined ? { profileDir: PROFILE_DIR } : {}),
  });
  const c = cluster;
  const framework = new StandingFramework({ master: c.master, tasks: TASKS, perAgent: PER_AGENT, cpusPerTask: 0.1, memPerTask: 32, maxStarting: 1000 });
  try {
    const registrationSeconds = await c.startAgents();
    console.log(`${AGENTS} agents registered in ${round(registrationSeconds)} s; launching ${TASKS} tasks (${PER_AGENT} per agent)`);
    const launchStart = performance.now();
    const progress = setInterval(() => console.log(`  ${JSON.stringify(framework.progress())}`), 5000);
    await framework.subscribe();
    await framework.untilRunning().finally(() => clearInterval(progress));
    const launchSeconds = (performance.now() - launchStart) / 1000;
    console.log(`${TASKS} tasks running after ${round(launchSeconds)} s; killing the master (load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    // Let the last acknowledgements reach the agents, so no update is resent into the failover.
    await new Promise((r) => setTimeout(r, 2000));
    const oldMaster = c.masterUsage();
    const loadAtKill = loadavg()[0];

    const killedAt = performance.now();
    await c.killMaster();
    const deadline = Date.now() + RECOVERY_TIMEOUT_MS;
    const started = c.startMaster();
    const moment = (): Moment => ({ at: performance.now(), cpuS: c.masterUsage().cpuSeconds });
    /** [time, agents active, tasks running] at every poll, for a plot of the recovery. */
    const timeline: [number, number, number][] = [];
    const [health, metrics, offers] = await Promise.all([
      untilHealthy(c.master, 20, deadline, moment),
      watchMetrics(c.master, 200, deadline, moment, timeline),
      framework.resubscribe(100, RECOVERY_TIMEOUT_MS).then(() => framework.untilOffers()).then(moment),
      started,
    ]);
    const reconciled = await framework.reconcile().then(moment);
    const newMaster = c.masterUsage();
    const sinceKill = (m: Moment): number => round((m.at - killedAt) / 1000, 2);
    const recovered = metrics.agents.at >= offers.at ? metrics.agents : offers;

    const figures = {
      agents: AGENTS,
      tasks: TASKS,
      registration_s: round(registrationSeconds, 2),
      launch_s: round(launchSeconds, 2),
      health_s: sinceKill(health),
      agents_reregistered_s: sinceKill(metrics.agents),
      offers_s: sinceKill(offers),
      tasks_running_s: sinceKill(metrics.tasks),
      reconciled_s: sinceKill(reconciled),
      recovery_s: sinceKill(recovered),
      // More than the agents: some re-registered twice (a retry after the first was answered).
      reregistrations: metrics.reregistrations,
      // The new master's CPU seconds: its start-up (until /health), then /health until recovered.
      new_master_startup_cpu_s: round(health.cpuS, 2),
      new_master_recovery_cpu_s: round(recovered.cpuS - health.cpuS, 2),
      new_master_cpu_s: round(newMaster.cpuSeconds, 2),
      new_master_peak_rss_mb: round(newMaster.peakRssMb),
      old_master_cpu_s: round(oldMaster.cpuSeconds, 2),
      old_master_peak_rss_mb: round(oldMaster.peakRssMb),
      load_1min_at_kill: round(loadAtKill, 2),
      load_1min_after: round(loadavg()[0], 2),
    };
    printTable([
      ['agents / tasks', `${AGENTS} / ${TASKS}`],
      ['registration / launch before the kill', `${figures.registration_s} s / ${figures.launch_s} s`],
      ['kill → new master answers /health', `${figures.health_s} s`],
      ['kill → every agent re-registered (re-registrations)', `${figures.agents_reregistered_s} s (${figures.reregistrations})`],
      ['kill → OFFERS to the re-subscribed framework', `${figures.offers_s} s`],
      ['kill → master counts every task RUNNING', `${figures.tasks_running_s} s`],
      ['kill → reconciliation answered for every task', `${figures.reconciled_s} s`],
      ['recovery (agents back and offers flowing)', `${figures.recovery_s} s`],
      ['new master CPU: start-up / /health → recovered', `${figures.new_master_startup_cpu_s} s / ${figures.new_master_recovery_cpu_s} s`],
      ['new master CPU / peak RSS (whole run)', `${figures.new_master_cpu_s} s / ${figures.new_master_peak_rss_mb} MB`],
      ['old master CPU / peak RSS (whole life)', `${figures.old_master_cpu_s} s / ${figures.old_master_peak_rss_mb} MB`],
      ['1-min load average at the kill / after', `${figures.load_1min_at_kill} / ${figures.load_1min_after}`],
    ]);

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const out = join(ROOT, 'bench', 'results', 'failover.json');
    const result = {
      summary: { recovery_s: figures.recovery_s },
      figures,
      // Seconds since the kill, agents active and tasks running, at every poll of /metrics/snapshot.
      timeline: timeline.map(([t, agents, tasks]) => [round((t - killedAt) / 1000, 2), agents, tasks]),
      machine: { cpus: cpus().length, node: process.version }, measured_at: new Date().toISOString() };
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${out}`);
  } finally {
    framework.close();
    await c.stop();
  }
}

runBenchmark('bench:failover', main, () => cluster);
