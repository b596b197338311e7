/**
 * Allocation benchmark (issue 5, 3f): the allocation cycle inside a running master at 10,000
 * agents, as the master itself reports it in /metrics/snapshot (Mesos's timer
 * `allocator/mesos/allocation_run_ms` with /count, /min, /max, /p50 … /p9999 over the last 1,000
 * cycles, and `allocator/mesos/allocation_runs`), plus Agora's `allocator/agora/allocation_cycle_ms`
 * (the cycle with its offers handed to the frameworks: how long it holds the event loop).
 *
 *   nats-server, master, `agora sim`   a SimCluster (support/sim-cluster.ts); tasks run 10 s
 *   demand frameworks                  F of them (default 3, support/demand-framework.ts), each in
 *                                      its own role, keeping K tasks launched (at most 4 per
 *                                      offer) for D seconds and declining the offers they have
 *                                      no room for with a 30 s filter: steady demand, resources
 *                                      coming back all the time, and the agents shared
 *
 * The figures are read from /metrics/snapshot: every 200 ms while the frameworks run (the last
 * cycle's time, once per cycle), and once before they subscribe (the idle cycles, from the
 * master's window). Prints a table and writes
 * bench/results/allocation.json: a top-level `summary` {cycle_p50_ms} and the raw figures.
 *
 *   npm run bench:allocation                      10,000 agents, 3 frameworks, 60 s
 *   npm run bench:allocation -- --quick           1,000 agents, 3 frameworks, 20 s
 *   npm run bench:allocation -- --agents N --frameworks F --seconds D --max-in-flight K --interval MS --profile DIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { keepAliveAgent, timed } from './support/http-probe';
import { DemandFramework } from './support/demand-framework';
import { untilExactlyAgents } from './support/exact-agents';
import { percentile } from './support/load-framework';
import { numberFlag, runBenchmark } from './support/bench-cli';
import { printTable, round, SimCluster } from './support/sim-cluster';

const ROOT = join(__dirname, '..');
const quick = process.argv.includes('--quick');


const AGENTS = numberFlag('agents', quick ? 1_000 : 10_000);
const FRAMEWORKS = Math.max(1, Math.floor(numberFlag('frameworks', 3)));
const SECONDS = numberFlag('seconds', quick ? 20 : 60);
const MAX_IN_FLIGHT = Math.max(1, numberFlag('max-in-flight', 1000));
/** The master's allocation interval; Agora's and Mesos's default is 1 s. */
const INTERVAL_MS = numberFlag('interval', 1000);
const TASK_DURATION_MS = 10_000;
const AGENT_RESOURCES = 'cpus:4;mem:8192;disk:16384;ports:[31000-32000]';
const profileIndex = process.argv.indexOf('--profile');
const PROFILE_DIR = profileIndex >= 0 ? process.argv[profileIndex + 1] : undefined;

const TIMER_STATISTICS = ['count', 'min', 'max', 'p50', 'p90', 'p95', 'p99', 'p999', 'p9999'] as const;
type Timer = Partial<Record<(typeof TIMER_STATISTICS)[number] | 'last', number>>;

let cluster: SimCluster | undefined;

/**
 * The last cycle's times, read from /metrics/snapshot every 200 ms for `ms`: one sample per
 * new `allocation_runs` value (cycles closer together than a poll are seen as one, the last).
 */
async function sampleCycles(master: string, ms: number): Promise<{ run: number[]; cycle: number[] }> {
  const run: number[] = [];
  const cycle: number[] = [];
  const until = Date.now() + ms;
  let runs = (await snapshot(master))['allocator/mesos/allocation_runs'];
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    const m = await snapshot(master);
    if (m['allocator/mesos/allocation_runs'] === runs) continue;
    runs = m['allocator/mesos/allocation_runs'];
    run.push(m['allocator/mesos/allocation_run_ms']);
    cycle.push(m['allocator/agora/allocation_cycle_ms']);
  }
  return { run, cycle };
}

function samples(values: readonly number[]): Timer {
  if (values.length === 0) return { count: 0 };
  return { count: values.length, min: round(percentile(values, 0), 3), max: round(percentile(values, 100), 3), p50: round(percentile(values, 50), 3), p90: round(percentile(values, 90), 3), p99: round(percentile(values, 99), 3) };
}

async function snapshot(master: string): Promise<Record<string, number>> {
  const agent = keepAliveAgent(1);
  try {
    const answer = await timed(`${master}/metrics/snapshot`, agent, { keepBody: true });
    if (answer.status !== 200) throw new Error(`/metrics/snapshot answered ${answer.status}`);
    return JSON.parse(answer.body) as Record<string, number>;
  } finally {
    agent.destroy();
  }
}

function timer(metrics: Record<string, number>, name: string): Timer {
  const out: Timer = { last: metrics[name] };
  for (const s of TIMER_STATISTICS) if (metrics[`${name}/${s}`] !== undefined) out[s] = round(metrics[`${name}/${s}`], 3);
  return out;
}

const timerText = (t: Timer): string => `${t.p50 ?? '–'} / ${t.p90 ?? '–'} / ${t.p99 ?? '–'} / ${t.max ?? '–'} ms (${t.count ?? 0} cycles)`;

async function main(): Promise<void> {
  cluster = await SimCluster.start({
    name: 'allocation',
    agents: AGENTS,
    agentResources: AGENT_RESOURCES,
    simArgs: ['--task-duration', String(TASK_DURATION_MS)],
    // AGORA_MAX_AGENT_PING_TIMEOUTS: see support/exact-agents.ts.
    masterEnv: { AGORA_ALLOCATION_INTERVAL_MS: String(INTERVAL_MS), AGORA_MAX_COMPLETED_TASKS_PER_FRAMEWORK: '1000', AGORA_MAX_AGENT_PING_TIMEOUTS: '2' },
    registrationTimeoutMs: 900_000,
    ...(PROFILE_DIR !== undefined ? { profileDir: PROFILE_DIR } : {}),
  });
  const master = cluster.master;
  try {
    const registrationSeconds = await cluster.startAgents();
    await untilExactlyAgents(master, AGENTS);
    // A few idle cycles over every agent, with nobody to offer to.
    await new Promise((r) => setTimeout(r, Math.max(3 * INTERVAL_MS, 3000)));
    const idle = await snapshot(master);
    console.log(`${AGENTS} agents registered in ${round(registrationSeconds)} s; ${FRAMEWORKS} frameworks launching for ${SECONDS} s`);

    const frameworks = Array.from(
      { length: FRAMEWORKS },
      (_, i) => new DemandFramework({ master, role: `bench-${i}`, inFlight: MAX_IN_FLIGHT, perOffer: 4, cpusPerTask: 0.1, memPerTask: 32, declineSeconds: 30 }),
    );
    const load = { before: loadavg() };
    const masterBefore = cluster.masterUsage();
    await Promise.all(frameworks.map((f) => f.subscribe()));
    const progress = setInterval(() => console.log(`  ${frameworks.map((f) => f.progress().ended).join(' + ')} tasks finished`), 10_000);
    const cycles = await sampleCycles(master, SECONDS * 1000);
    clearInterval(progress);
    const busy = await snapshot(master);
    const masterAfter = cluster.masterUsage();
    const loadAfter = loadavg();
    const counts = frameworks.map((f) => f.progress());
    const finished = counts.map((c) => c.ended);
    await Promise.all(frameworks.map((f) => f.close()));

    const figures = {
      agents: AGENTS,
      frameworks: FRAMEWORKS,
      seconds: SECONDS,
      allocation_interval_ms: INTERVAL_MS,
      max_in_flight_per_framework: MAX_IN_FLIGHT,
      registration_s: round(registrationSeconds, 2),
      idle: {
        allocation_runs: idle['allocator/mesos/allocation_runs'],
        allocation_run_ms: timer(idle, 'allocator/mesos/allocation_run_ms'),
        allocation_cycle_ms: timer(idle, 'allocator/agora/allocation_cycle_ms'),
      },
      // Sampled while the frameworks ran (the master's own window also holds the idle cycles).
      busy: {
        allocation_runs: busy['allocator/mesos/allocation_runs'] - idle['allocator/mesos/allocation_runs'],
        allocation_run_ms: { ...samples(cycles.run), last: cycles.run[cycles.run.length - 1] },
        allocation_cycle_ms: { ...samples(cycles.cycle), last: cycles.cycle[cycles.cycle.length - 1] },
        sampled_cycles: cycles.run.length,
        master_window: { allocation_run_ms: timer(busy, 'allocator/mesos/allocation_run_ms'), allocation_cycle_ms: timer(busy, 'allocator/agora/allocation_cycle_ms') },
        offers_sent: busy['master/offers_sent'] - (idle['master/offers_sent'] ?? 0),
        tasks_finished: finished,
        frameworks: counts,
        master_cpu_s: round(masterAfter.cpuSeconds - masterBefore.cpuSeconds, 2),
      },
      master_peak_rss_mb: round(masterAfter.peakRssMb),
      load_average_before: load.before.map((l) => round(l, 2)),
      load_average_after: loadAfter.map((l) => round(l, 2)),
    };
    printTable([
      ['agents / frameworks', `${AGENTS} / ${FRAMEWORKS} (interval ${INTERVAL_MS} ms)`],
      ['idle: cycle p50 / p90 / p99 / max', timerText(figures.idle.allocation_run_ms)],
      [`with demand (${SECONDS} s): allocation runs`, String(figures.busy.allocation_runs)],
      ['  allocation_run_ms p50 / p90 / p99 / max', timerText(figures.busy.allocation_run_ms)],
      ['  cycle with offers p50 / p90 / p99 / max', timerText(figures.busy.allocation_cycle_ms)],
      ['  (master window, idle cycles included)', timerText(figures.busy.master_window.allocation_run_ms)],
      ['  offers sent / tasks finished', `${figures.busy.offers_sent} / ${finished.join(' + ')}`],
      ['  master CPU', `${figures.busy.master_cpu_s} s in ${SECONDS} s`],
      ['master peak RSS', `${figures.master_peak_rss_mb} MB`],
      ['load average before / after', `${figures.load_average_before.join(' ')} / ${figures.load_average_after.join(' ')}`],
    ]);

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const out = join(ROOT, 'bench', 'results', 'allocation.json');
    const summary = { cycle_p50_ms: figures.busy.allocation_run_ms.p50 ?? null };
    writeFileSync(out, `${JSON.stringify({ summary, figures, machine: { cpus: cpus().length, node: process.version }, measured_at: new Date().toISOString() }, null, 2)}\n`);
    console.log(`wrote ${out}`);
  } finally {
    await cluster.stop();
  }
}

runBenchmark('bench:allocation', main, () => cluster);
