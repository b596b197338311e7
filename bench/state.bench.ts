/**
 * State benchmark (issue 5, 3e): how long the master takes to answer `GET /state` (v0 JSON) and
 * the v1 operator call GET_STATE at 10,000 agents and 100,000 running tasks, how big the answers
 * are, and how long `/health` takes while `/state` is requested continuously.
 *
 *   nats-server, master, `agora sim`   a SimCluster (support/sim-cluster.ts), the simulator's
 *                                      tasks running for a day (--task-duration 86400000)
 *   standing framework                 launches T tasks, at most T/N on each agent
 *                                      (support/standing-framework.ts), until every one is RUNNING
 *   then, in order:
 *     1. R + 1 sequential GET /state, then R + 1 sequential GET_STATE (POST /api/v1); the first of
 *        each renders every task and agent and is reported apart (`first_ms`)
 *     2. /health every 10 ms (open loop: a request is sent every 10 ms whether or not the last one
 *        has been answered, so a blocked master shows as slow answers, not as fewer samples), first
 *        on an idle master, then while C clients request /state back to back
 *
 * Prints a table and writes bench/results/state.json: a top-level `summary`
 * {state_p50_ms, health_p99_ms} (health_p99_ms under load) and the raw figures. Figures only.
 *
 *   npm run bench:state                       10,000 agents, 100,000 tasks
 *   npm run bench:state -- --quick            1,000 agents, 10,000 tasks
 *   npm run bench:state -- --agents N --tasks T --requests R --clients C --load-seconds S --profile DIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Agent } from 'node:http';
import { keepAliveAgent, latencyText, type LatencySummary, summarize, timed } from './support/http-probe';
import { untilExactlyAgents } from './support/exact-agents';
import { StandingFramework } from './support/standing-framework';
import { numberFlag, runBenchmark } from './support/bench-cli';
import { printTable, round, SimCluster } from './support/sim-cluster';

const ROOT = join(__dirname, '..');
const quick = process.argv.includes('--quick');


const AGENTS = numberFlag('agents', quick ? 1_000 : 10_000);
const TASKS = numberFlag('tasks', quick ? 10_000 : 100_000);
const REQUESTS = numberFlag('requests', 20);
const CLIENTS = numberFlag('clients', 2);
const LOAD_SECONDS = numberFlag('load-seconds', quick ? 5 : 15);
const HEALTH_EVERY_MS = numberFlag('health-every', 10);
/** A day: the longest `agora sim --task-duration` takes; the tasks outlive the benchmark. */
const TASK_DURATION_MS = 86_400_000;
const AGENT_RESOURCES = 'cpus:4;mem:8192;disk:16384;ports:[31000-32000]';
const profileIndex = process.argv.indexOf('--profile');
const PROFILE_DIR = profileIndex >= 0 ? process.argv[profileIndex + 1] : undefined;

let cluster: SimCluster | undefined;

interface Sequential {
  /** The first request renders every task and agent (nothing remembered yet): apart. */
  readonly first_ms: number;
  /** The others, which reuse the text of what did not change. */
  readonly latency: LatencySummary;
  readonly bytes: number;
}

/** `n` + 1 requests one after the other; the size is the last answer's. */
async function sequential(n: number, send: () => Promise<{ ms: number; bytes: number; status: number }>): Promise<Sequential> {
  const ms: number[] = [];
  let bytes = 0;
  let first = 0;
  for (let i = 0; i <= n; i++) {
    const answer = await send();
    if (answer.status !== 200) throw new Error(`answered ${answer.status}`);
    if (i === 0) first = answer.ms;
    else ms.push(answer.ms);
    bytes = answer.bytes;
  }
  return { first_ms: round(first, 1), latency: summarize(ms), bytes };
}

/** /health every `everyMs` for `seconds` (open loop), while `background` runs; the latencies of both. */
async function healthWhile(master: string, seconds: number, background: (until: number) => Promise<number[]>): Promise<{ health: number[]; state: number[]; failures: number }> {
  const agent = keepAliveAgent(256);
  const until = performance.now() + seconds * 1000;
  const health: number[] = [];
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  const state = background(until);
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      if (performance.now() >= until) {
        clearInterval(tick);
        resolve();
        return;
      }
      inFlight.push(
        timed(`${master}/health`, agent).then(
          (a) => {
            if (a.status === 200) health.push(a.ms);
            else failures++;
          },
          () => {
            failures++;
          },
        ),
      );
    }, HEALTH_EVERY_MS);
  });
  await Promise.all(inFlight);
  const stateMs = await state;
  agent.destroy();
  return { health, state: stateMs, failures };
}

/** C clients requesting /state back to back until `until`; every latency. */
function stateClients(master: string, clients: number, agent: Agent): (until: number) => Promise<number[]> {
  return async (until) => {
    const ms: number[] = [];
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) ms.push((await timed(`${master}/state`, agent)).ms);
      }),
    );
    return ms;
  };
}

async function main(): Promise<void> {
  cluster = await SimCluster.start({
    name: 'state',
    agents: AGENTS,
    agentResources: AGENT_RESOURCES,
    simArgs: ['--task-duration', String(TASK_DURATION_MS)],
    // Two missed pings (30 s) remove an agent the simulator gave up on (support/exact-agents.ts).
    masterEnv: { AGORA_MAX_AGENT_PING_TIMEOUTS: '2' },
    registrationTimeoutMs: 900_000,
    ...(PROFILE_DIR !== undefined ? { profileDir: PROFILE_DIR } : {}),
  });
  const master = cluster.master;
  try {
    const registrationSeconds = await cluster.startAgents();
    await untilExactlyAgents(master, AGENTS);
    console.log(`${AGENTS} agents registered in ${round(registrationSeconds)} s; launching ${TASKS} long-running tasks`);
    const framework = new StandingFramework({ master, tasks: TASKS, perAgent: Math.ceil(TASKS / AGENTS), cpusPerTask: 0.1, memPerTask: 32 });
    const launchStart = performance.now();
    await framework.subscribe();
    const progress = setInterval(() => {
      const p = framework.progress();
      console.log(`  launched ${p.launched}, running ${p.running}`);
    }, 5000);
    await framework.untilRunning().finally(() => clearInterval(progress));
    const launchSeconds = (performance.now() - launchStart) / 1000;
    const running = framework.progress().running;
    console.log(`${running} tasks running after ${round(launchSeconds)} s; measuring (load average ${loadavg().map((l) => round(l, 2)).join(' ')})`);

    const agent = keepAliveAgent(CLIENTS + 1);
    const load = { before: loadavg() };
    const state = await sequential(REQUESTS, () => timed(`${master}/state`, agent));
    const getState = await sequential(REQUESTS, () => timed(`${master}/api/v1`, agent, { json: { type: 'GET_STATE' } }));
    const idle = await healthWhile(master, Math.min(5, LOAD_SECONDS), () => Promise.resolve([]));
    const loaded = await healthWhile(master, LOAD_SECONDS, stateClients(master, CLIENTS, agent));
    const loadAfter = loadavg();
    agent.destroy();
    const masterUsage = cluster.masterUsage();
    framework.close();

    const figures = {
      agents: AGENTS,
      tasks: TASKS,
      running,
      registration_s: round(registrationSeconds, 2),
      launch_s: round(launchSeconds, 2),
      state: { ...state.latency, first_ms: state.first_ms, bytes: state.bytes },
      get_state: { ...getState.latency, first_ms: getState.first_ms, bytes: getState.bytes },
      health_idle: { ...summarize(idle.health), failures: idle.failures },
      health_under_state_load: { ...summarize(loaded.health), failures: loaded.failures, every_ms: HEALTH_EVERY_MS, seconds: LOAD_SECONDS },
      state_under_load: { ...summarize(loaded.state), clients: CLIENTS },
      master_peak_rss_mb: round(masterUsage.peakRssMb),
      load_average_before: load.before.map((l) => round(l, 2)),
      load_average_after: loadAfter.map((l) => round(l, 2)),
    };
    printTable([
      ['agents / running tasks', `${AGENTS} / ${running} (launched in ${figures.launch_s} s)`],
      ['GET /state first (renders everything)', `${state.first_ms} ms`],
      ['GET /state p50 / p99 / max', latencyText(state.latency)],
      ['GET /state size', `${round(state.bytes / 1e6, 2)} MB`],
      ['GET_STATE first (renders everything)', `${getState.first_ms} ms`],
      ['GET_STATE p50 / p99 / max', latencyText(getState.latency)],
      ['GET_STATE size', `${round(getState.bytes / 1e6, 2)} MB`],
      [`/health every ${HEALTH_EVERY_MS} ms, idle`, latencyText(figures.health_idle)],
      [`/health every ${HEALTH_EVERY_MS} ms, ${CLIENTS} clients on /state`, `${latencyText(figures.health_under_state_load)}, ${loaded.failures} failed`],
      [`/state under that load`, latencyText(figures.state_under_load)],
      ['master peak RSS', `${figures.master_peak_rss_mb} MB`],
      ['load average before / after', `${figures.load_average_before.join(' ')} / ${figures.load_average_after.join(' ')}`],
    ]);

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const out = join(ROOT, 'bench', 'results', 'state.json');
    const summary = { state_p50_ms: figures.state.p50_ms, health_p99_ms: figures.health_under_state_load.p99_ms };
    writeFileSync(out, `${JSON.stringify({ summary, figures, machine: { cpus: cpus().length, node: process.version }, measured_at: new Date().toISOString() }, null, 2)}\n`);
    console.log(`wrote ${out}`);
  } finally {
    await cluster.stop();
  }
}

runBenchmark('bench:state', main, () => cluster);
