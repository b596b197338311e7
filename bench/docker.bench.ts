/**
 * Docker benchmark (issue 5, 3c): K containers (`agora/busybox`, `sh -c true`) on one engine,
 * at the same concurrency, in one run:
 *
 *   raw     a plain create, start, wait, remove loop against the engine's HTTP API, C at a time,
 *           half of K before Agora's run and half after it
 *   agora   master + one real agent with the docker driver (containers removed at once), K tasks
 *           with container DOCKER launched as fast as offers allow; the agent's resources let C
 *           run at once (bench/support/one-agent-run.ts)
 *
 * Needs DOCKER_HOST with the agora/busybox image (scripts/services.sh starts such an engine and
 * builds the images; without DOCKER_HOST this benchmark starts its own services that way).
 * Prints a table and writes bench/results/docker.json. Figures only; nothing here asserts a time.
 * Run with `npm run bench:docker` (`-- --containers 100 --concurrency 4`; defaults 200 and 8).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureServices } from './support/bench-services';
import { runOnOneAgent } from './support/one-agent-run';
import { RawEngine } from './support/raw-engine';
import { numberFlag } from './support/bench-cli';


const CONTAINERS = numberFlag('containers', 200, { integer: true, min: 1 });
const CONCURRENCY = numberFlag('concurrency', 8, { integer: true, min: 1 });
const IMAGE = 'agora/busybox';
const round = (x: number): number => Math.round(x * 10) / 10;

interface RawRun {
  readonly containers: number;
  readonly concurrency: number;
  readonly failed: number;
  readonly elapsed_ms: number;
  readonly per_sec: number;
}

async function runRaw(engine: RawEngine, containers: number, concurrency: number): Promise<RawRun> {
  let next = 0;
  let failed = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < containers) {
      next++;
      if ((await engine.runOnce(IMAGE, ['sh', '-c', 'true'], { 'agora.bench': 'raw' })) !== 0) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - start;
  return { containers, concurrency, failed, elapsed_ms: Math.round(elapsed), per_sec: round(containers / (elapsed / 1000)) };
}

async function main(): Promise<void> {
  const services = ensureServices(true);
  const dockerHost = process.env.DOCKER_HOST ?? '';
  const engine = RawEngine.fromDockerHost(dockerHost);
  try {
    const version = (await engine.call<{ Version: string }>('GET', '/version')).Version;
    // Warm the engine (image metadata, layer cache) so neither side pays for the first container.
    await runRaw(engine, CONCURRENCY, CONCURRENCY);

    // The raw loop runs half before and half after Agora, so that a change of the machine's load
    // during the run weighs on both sides alike.
    const half = Math.ceil(CONTAINERS / 2);
    console.log(`raw: ${half} containers, ${CONCURRENCY} at once`);
    const rawBefore = await runRaw(engine, half, CONCURRENCY);

    console.log(`agora: ${CONTAINERS} docker tasks on one agent, ${CONCURRENCY} at once`);
    const cpusPerTask = 0.1;
    const memPerTask = 32;
    const agora = await runOnOneAgent({
      name: 'bench-docker',
      tasks: CONTAINERS,
      command: 'true',
      container: { type: 'DOCKER', docker: { image: IMAGE } },
      agentResources: `cpus:${round(CONCURRENCY * cpusPerTask)};mem:${CONCURRENCY * memPerTask};disk:1024`,
      cpusPerTask,
      memPerTask,
      agentEnv: { DOCKER_HOST: dockerHost, AGORA_DOCKER: 'on', AGORA_DOCKER_REMOVE_DELAY_MS: '0' },
      timeoutMs: 900000,
    });

    console.log(`raw: ${CONTAINERS - half} containers, ${CONCURRENCY} at once`);
    const rawAfter = await runRaw(engine, CONTAINERS - half, CONCURRENCY);
    const rawMs = rawBefore.elapsed_ms + rawAfter.elapsed_ms;
    const raw: RawRun = {
      containers: CONTAINERS,
      concurrency: CONCURRENCY,
      failed: rawBefore.failed + rawAfter.failed,
      elapsed_ms: rawMs,
      per_sec: round(CONTAINERS / (rawMs / 1000)),
    };

    const summary = { agora_per_sec: agora.per_sec, raw_per_sec: raw.per_sec, ratio: Math.round((agora.per_sec / raw.per_sec) * 100) / 100 };
    console.log();
    console.table([
      { what: `raw engine ${version}: create, start, wait, remove`, containers: raw.containers, at_once: raw.concurrency, per_sec: raw.per_sec, failed: raw.failed },
      { what: 'agora one agent, docker driver', containers: agora.tasks, at_once: agora.peak_running, per_sec: agora.per_sec, failed: agora.failed },
    ]);
    console.log(`agora/raw ${summary.ratio}×`);
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'docker.json'), `${JSON.stringify({ summary, engine: version, image: IMAGE, raw, raw_before: rawBefore, raw_after: rawAfter, agora }, null, 2)}\n`);
  } finally {
    engine.close();
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
