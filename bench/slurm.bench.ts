/**
 * Slurm benchmark (issue 5, 3b): the same N trivial jobs (`true`) through Slurm and through Agora
 * on this machine, in one run, next to the machine's own process-start rate.
 *
 *   spawn   /bin/true started and reaped in a tight loop: Node's child_process.spawn (stdio
 *           ignored) and posix_spawn from a C helper, 1 and 8 at a time; the best is the limit
 *   slurm   slurmctld + slurmd of this benchmark's own (bench/support/slurm-cluster.ts), one job
 *           array `sbatch --array=1-N --wrap=true`, timed from submission until squeue is empty
 *   agora   master + one real agent with the process driver, N command tasks `true` launched as
 *           fast as offers allow (bench/support/one-agent-run.ts)
 *
 * Prints a table and writes bench/results/slurm.json. Figures only; nothing here asserts a time.
 * Run with `npm run bench:slurm` (`-- --jobs 500` to change N; default 2000).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureServices } from './support/bench-services';
import { runOnOneAgent, type OneAgentRunResult } from './support/one-agent-run';
import { ensureSlurmInstalled, JOBS_PER_CPU, startSlurm, type SlurmCluster } from './support/slurm-cluster';
import { nodeSpawnRate, posixSpawnRates, type SpawnRate } from './support/spawn-limit';
import { numberFlag } from './support/bench-cli';


const JOBS = numberFlag('jobs', 2000, { integer: true, min: 1 });
const SPAWNS = numberFlag('spawns', 2000, { integer: true, min: 1 });
const round = (x: number): number => Math.round(x * 10) / 10;

interface SlurmRun {
  readonly version: string;
  readonly jobs: number;
  readonly elapsed_ms: number;
  readonly per_sec: number;
  readonly peak_running: number;
  readonly polls: number;
}

async function runSlurm(slurm: SlurmCluster, jobs: number): Promise<SlurmRun> {
  const start = performance.now();
  slurm.run('sbatch', ['--array', `1-${jobs}`, '--output', '/dev/null', '--error', '/dev/null', '--parsable', '--wrap', 'true']);
  let peak = 0;
  let polls = 0;
  for (;;) {
    polls++;
    // One line per array element that is still pending, running or completing.
    const states = spawnSync('squeue', ['-h', '-r', '-o', '%T'], { env: slurm.env, encoding: 'utf8' }).stdout.split('\n').filter((s) => s !== '');
    peak = Math.max(peak, states.filter((s) => s === 'RUNNING').length);
    if (states.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const elapsed = performance.now() - start;
  return { version: slurm.version, jobs, elapsed_ms: Math.round(elapsed), per_sec: round(jobs / (elapsed / 1000)), peak_running: peak, polls };
}

async function main(): Promise<void> {
  const services = ensureServices(false);
  try {
    console.log(`spawn: /bin/true × ${SPAWNS}`);
    const spawnRates: SpawnRate[] = [await nodeSpawnRate(SPAWNS, 1), await nodeSpawnRate(SPAWNS, 8), ...(posixSpawnRates(SPAWNS, [1, 8]) ?? [])];
    const spawnLimit = Math.max(...spawnRates.map((r) => r.per_sec));
    const nodeSpawnLimit = Math.max(...spawnRates.filter((r) => r.method === 'node-spawn').map((r) => r.per_sec));
    const loadBefore = loadavg()[0];

    ensureSlurmInstalled();
    console.log(`slurm: ${JOBS} jobs as one array`);
    const slurm = await startSlurm();
    let slurmRun: SlurmRun;
    try {
      slurmRun = await runSlurm(slurm, JOBS);
    } finally {
      await slurm.stop();
    }

    console.log(`agora: ${JOBS} command tasks on one agent`);
    const cpuCount = cpus().length;
    // The same concurrency Slurm is allowed (JOBS_PER_CPU per CPU): each task asks 1/8 of a CPU.
    const agora: OneAgentRunResult = await runOnOneAgent({
      name: 'bench-slurm',
      tasks: JOBS,
      command: 'true',
      agentResources: `cpus:${cpuCount};mem:${cpuCount * JOBS_PER_CPU * 16};disk:1024`,
      cpusPerTask: 1 / JOBS_PER_CPU,
      memPerTask: 16,
      timeoutMs: 900000,
    });

    const summary = {
      agora_per_sec: agora.per_sec,
      slurm_per_sec: slurmRun.per_sec,
      ratio: round(agora.per_sec / slurmRun.per_sec),
      spawn_limit_per_sec: spawnLimit,
      /** The best of Node's child_process.spawn alone: the ceiling of an agent that starts processes with it. */
      node_spawn_limit_per_sec: nodeSpawnLimit,
    };
    console.log();
    console.table([
      ...spawnRates.map((r) => ({ what: `${r.method} /bin/true, ${r.in_flight} at once`, count: r.count, per_sec: r.per_sec, peak_running: r.in_flight })),
      { what: `slurm ${slurmRun.version} job array`, count: slurmRun.jobs, per_sec: slurmRun.per_sec, peak_running: slurmRun.peak_running },
      { what: `agora one agent, process driver${agora.failed > 0 ? ` (${agora.failed} failed)` : ''}`, count: agora.tasks, per_sec: agora.per_sec, peak_running: agora.peak_running },
    ]);
    console.log(`agora/slurm ${summary.ratio}×; agora/spawn limit ${Math.round((agora.per_sec / spawnLimit) * 100) / 100}×; agora/node spawn ${Math.round((agora.per_sec / nodeSpawnLimit) * 100) / 100}×`);
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'slurm.json'), `${JSON.stringify({ summary, cpus: cpuCount, load_average_1m_before: loadBefore, jobs_per_cpu: JOBS_PER_CPU, spawn: spawnRates, slurm: slurmRun, agora }, null, 2)}\n`);
  } finally {
    services.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
