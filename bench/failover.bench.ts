/**
 * Failover benchmark (issue 5, 3d; issue 6): how long a cluster of 5,000 agents running 50,000
 * tasks takes to work again after its leading master dies.
 *
 *   nats-server      started here on a free port
 *   Postgres         one registry both masters share: a fresh database on DATABASE_URL when set,
 *                    else a Postgres server of the benchmark's own (test/support/private-postgres.ts)
 *   masters          `--mode standby` (default), what a highly available cluster does: the leader
 *                    and a standby master, started before the agents, as child processes on their
 *                    own ports; the leader is killed with SIGKILL (its lock session ends with it)
 *                    and the standby, campaigning every AGORA_LEADER_POLL_MS = 250 ms, takes office.
 *                    `--mode restart`, the method before issue 6: one master, killed with SIGKILL,
 *                    then a new master process is started on the same port and registry (the
 *                    master's embedded Postgres unless DATABASE_URL is set), its start-up counting
 *   simulator        `agora sim --agents N` whose tasks run for a day
 *   framework        in this process (support/standing-framework.ts): launches T tasks, then
 *                    re-subscribes with its framework id once the master is gone, trying the
 *                    masters it knows in turn and following a standby's 307 to the leader
 *
 * Measured from the kill: the new leader leads (its /redirect names itself); (restart mode only)
 * the new process answers /health; every agent has re-registered (`master/slaves_active` in the
 * new leader's /metrics/snapshot); the framework, subscribed again, receives an OFFERS event; the
 * master counts every task TASK_RUNNING (`master/tasks_running`); an implicit reconciliation
 * answers TASK_RUNNING for every task. `summary.recovery_s` is the kill until every agent has
 * re-registered and offers flow. Prints a table and writes bench/results/failover.json.
 *
 *   npm run bench:failover                         5,000 agents, 50,000 tasks, standby master
 *   npm run bench:failover -- --quick              500 agents, 5,000 tasks
 *   npm run bench:failover -- --mode restart       kill -9 and a new master process (no standby)
 *   npm run bench:failover -- --agents 2000 --tasks 20000 --profile /tmp/prof   CPU profiles (.cpuprofile)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { choiceFlag, numberFlag, runBenchmark } from './support/bench-cli';
import { leaderLocation, type MasterProcess, printTable, round, SimCluster } from './support/sim-cluster';
import { StandingFramework } from './support/standing-framework';

const ROOT = join(__dirname, '..');
const quick = process.argv.includes('--quick');

const MODE = choiceFlag('mode', ['standby', 'restart'] as const, 'standby');
const AGENTS = numberFlag('agents', quick ? 500 : 5_000, { integer: true, min: 1 });
const TASKS = numberFlag('tasks', quick ? 5_000 : 50_000, { integer: true, min: 1 });
const PER_AGENT = Math.ceil(TASKS / AGENTS);
const AGENT_RESOURCES = 'cpus:4;mem:8192;disk:16384;ports:[31000-32000]';
/** The simulator's longest task duration (a day): the tasks outlive the benchmark. */
const TASK_DURATION_MS = 86_400_000;
/** How often a standby campaigns for the leadership lock (the master's default is 1,000 ms). */
const LEADER_POLL_MS = 250;
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
 * Not more often: at 50,000 tasks each snapshot costs the master tens of milliseconds. A standby
 * answers 307 (not followed) until it leads: that counts as not yet.
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
      const res = await fetch(`${master}/metrics/snapshot`, { redirect: 'manual' });
      if (!res.ok) throw new Error(`metrics answered ${res.status}`);
      const m = (await res.json()) as Metrics;
      timeline.push([performance.now(), m['master/slaves_active'] ?? 0, m['master/tasks_running'] ?? 0]);
      reregistrations = m['master/slave_reregistrations'] ?? 0;
      if (agents === undefined && (m['master/slaves_active'] ?? 0) >= AGENTS) agents = moment();
      if (tasks === undefined && (m['master/tasks_running'] ?? 0) >= TASKS) tasks = moment();
    } catch {
      // The new master is not listening yet, or not leading yet.
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

/** Polls `master`'s /redirect every `everyMs` until it names the master itself: it leads (it has taken office). */
async function untilLeading(master: string, everyMs: number, deadline: number, moment: () => Moment): Promise<Moment> {
  const itself = `//${new URL(master).host}`;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${master} did not take the leadership`);
    if ((await leaderLocation(master)) === itself) return moment();
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The registry's epoch (registry_epoch), when the benchmark knows the registry's URL. */
async function registryEpoch(url: string | undefined): Promise<number | undefined> {
  if (url === undefined) return undefined;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ epoch: string }>('SELECT epoch FROM registry_epoch WHERE id = 1');
    return rows.length > 0 ? Number(rows[0].epoch) : undefined;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  cluster = await SimCluster.start({
    name: 'failover',
    agents: AGENTS,
    agentResources: AGENT_RESOURCES,
    simArgs: ['--task-duration', String(TASK_DURATION_MS)],
    masterEnv: { AGORA_LEADER_POLL_MS: String(LEADER_POLL_MS) },
    sharedPostgres: MODE === 'standby',
    ...(PROFILE_DIR !== undefined ? { profileDir: PROFILE_DIR } : {}),
  });
  const c = cluster;
  const leaderUrl = c.master;
  const registry = c.registryUrl !== undefined ? (process.env.DATABASE_URL ? 'a fresh database on DATABASE_URL' : "the benchmark's own Postgres") : "the master's embedded Postgres";
  console.log(`mode ${MODE}: ${MODE === 'standby' ? 'a leader and a standby master' : 'one master, replaced by a new process'}; AGORA_LEADER_POLL_MS=${LEADER_POLL_MS}; registry in ${registry}`);
  let standby: MasterProcess | undefined;
  if (MODE === 'standby') {
    standby = await c.startStandby();
    console.log(`standby master at ${standby.url} redirects to the leader at ${leaderUrl}`);
  }
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
    const epochBefore = await registryEpoch(c.registryUrl);
    // The standby's CPU seconds until now: its start-up and its time as a standby.
    const standbyCpuAtKill = standby !== undefined ? c.usageOf(standby).cpuSeconds : 0;
    const loadAtKill = loadavg()[0];

    const killedAt = performance.now();
    await c.killMaster();
    const deadline = Date.now() + RECOVERY_TIMEOUT_MS;
    if (standby !== undefined) c.takeOver(standby);
    const started = standby === undefined ? c.startMaster() : Promise.resolve();
    const newLeader = c.master;
    const moment = (): Moment => ({ at: performance.now(), cpuS: c.masterUsage().cpuSeconds });
    /** [time, agents active, tasks running] at every poll, for a plot of the recovery. */
    const timeline: [number, number, number][] = [];
    const [leading, health, metrics, offers] = await Promise.all([
      untilLeading(newLeader, 20, deadline, moment),
      standby === undefined ? untilHealthy(newLeader, 20, deadline, moment) : Promise.resolve(undefined),
      watchMetrics(newLeader, 200, deadline, moment, timeline),
      // The framework knows every master, as a scheduler of a highly available cluster does.
      framework.resubscribe(100, RECOVERY_TIMEOUT_MS, standby === undefined ? [leaderUrl] : [leaderUrl, standby.url]).then(() => framework.untilOffers()).then(moment),
      started,
    ]);
    const reconciled = await framework.reconcile().then(moment);
    const newMaster = c.masterUsage();
    const epochAfter = await registryEpoch(c.registryUrl);
    const sinceKill = (m: Moment): number => round((m.at - killedAt) / 1000, 2);
    const recovered = metrics.agents.at >= offers.at ? metrics.agents : offers;
    // Restart: the new process's CPU until /health, then from /health. Standby: until the kill, then from it.
    const upCpuS = health !== undefined ? health.cpuS : standbyCpuAtKill;

    const figures = {
      mode: MODE,
      leader_poll_ms: LEADER_POLL_MS,
      agents: AGENTS,
      tasks: TASKS,
      registration_s: round(registrationSeconds, 2),
      launch_s: round(launchSeconds, 2),
      ...(health !== undefined ? { health_s: sinceKill(health) } : {}),
      leader_s: sinceKill(leading),
      agents_reregistered_s: sinceKill(metrics.agents),
      offers_s: sinceKill(offers),
      tasks_running_s: sinceKill(metrics.tasks),
      reconciled_s: sinceKill(reconciled),
      recovery_s: sinceKill(recovered),
      // More than the agents: some re-registered twice (a retry after the first was answered).
      reregistrations: metrics.reregistrations,
      ...(epochBefore !== undefined && epochAfter !== undefined ? { epoch_before: epochBefore, epoch_after: epochAfter } : {}),
      // The new leader's CPU seconds: until it was up (restart: its start-up until /health;
      // standby: its start-up and standby time until the kill), then until recovered.
      new_master_startup_cpu_s: round(upCpuS, 2),
      ...(standby === undefined ? {} : { new_master_takeover_cpu_s: round(leading.cpuS - upCpuS, 2) }),
      new_master_recovery_cpu_s: round(recovered.cpuS - upCpuS, 2),
      new_master_cpu_s: round(newMaster.cpuSeconds, 2),
      new_master_peak_rss_mb: round(newMaster.peakRssMb),
      old_master_cpu_s: round(oldMaster.cpuSeconds, 2),
      old_master_peak_rss_mb: round(oldMaster.peakRssMb),
      load_1min_at_kill: round(loadAtKill, 2),
      load_1min_after: round(loadavg()[0], 2),
    };
    const upTo = standby === undefined ? '/health' : 'the kill';
    printTable([
      ['mode', `${MODE} (AGORA_LEADER_POLL_MS=${LEADER_POLL_MS})`],
      ['agents / tasks', `${AGENTS} / ${TASKS}`],
      ['registration / launch before the kill', `${figures.registration_s} s / ${figures.launch_s} s`],
      ...(figures.health_s !== undefined ? [['kill → new master answers /health', `${figures.health_s} s`] as const] : []),
      [`kill → ${standby === undefined ? 'new master' : 'standby'} leads (its /redirect names itself)`, `${figures.leader_s} s${epochBefore !== undefined ? ` (epoch ${epochBefore} → ${epochAfter ?? '?'})` : ''}`],
      ['kill → every agent re-registered (re-registrations)', `${figures.agents_reregistered_s} s (${figures.reregistrations})`],
      ['kill → OFFERS to the re-subscribed framework', `${figures.offers_s} s`],
      ['kill → master counts every task RUNNING', `${figures.tasks_running_s} s`],
      ['kill → reconciliation answered for every task', `${figures.reconciled_s} s`],
      ['recovery (agents back and offers flowing)', `${figures.recovery_s} s`],
      [`new master CPU: up to ${upTo} / ${upTo} → recovered`, `${figures.new_master_startup_cpu_s} s / ${figures.new_master_recovery_cpu_s} s`],
      ...(figures.new_master_takeover_cpu_s !== undefined ? [['new master CPU: the kill → leads', `${figures.new_master_takeover_cpu_s} s`] as const] : []),
      ['new master CPU / peak RSS (whole run)', `${figures.new_master_cpu_s} s / ${figures.new_master_peak_rss_mb} MB`],
      ['old master CPU / peak RSS (whole life)', `${figures.old_master_cpu_s} s / ${figures.old_master_peak_rss_mb} MB`],
      ['1-min load average at the kill / after', `${figures.load_1min_at_kill} / ${figures.load_1min_after}`],
    ]);

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const out = join(ROOT, 'bench', 'results', 'failover.json');
    const result = {
      summary: { recovery_s: figures.recovery_s, mode: MODE },
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
