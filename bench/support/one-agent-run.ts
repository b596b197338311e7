/**
 * Runs T identical tasks through a real master (in this process) and ONE real agent (a node
 * process of its own, apps/agent/src/main.ts, as in production, so that its process starts do not
 * pay for the master's heap), over the real NATS and Postgres, with a scheduler that launches as
 * fast as offers allow: every offer is accepted at once with as many tasks as fit in it,
 * `refuse_seconds: 0`, and every status update is acknowledged as it arrives. Used by the slurm
 * and docker benchmarks; the clock starts at the first ACCEPT and stops at the last terminal update.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { urlOf } from '@agora/nest-common';
import { RecordIODecoder, type Event } from '@agora/protocol';
import { bootstrapMaster } from '../../apps/master/src/bootstrap';
import { eventually } from '../../test/support/cluster';
import { createTestDatabase, serviceUrl } from '../../test/support/services';

export interface OneAgentRunOptions {
  readonly name: string;
  readonly tasks: number;
  /** The shell command of every task. */
  readonly command: string;
  /** A ContainerInfo for every task, e.g. `{ type: 'DOCKER', docker: { image } }`. */
  readonly container?: Record<string, unknown>;
  /** The agent's resources; with `cpusPerTask` they bound how many tasks run at once. */
  readonly agentResources: string;
  readonly cpusPerTask: number;
  readonly memPerTask: number;
  readonly agentEnv?: Record<string, string>;
  readonly timeoutMs?: number;
}

export interface OneAgentRunResult {
  readonly tasks: number;
  readonly finished: number;
  readonly failed: number;
  readonly elapsed_ms: number;
  readonly per_sec: number;
  /** Most tasks the scheduler saw in TASK_RUNNING at once. */
  readonly peak_running: number;
  readonly accepts: number;
  readonly first_failure?: string;
}

const ROLE = 'bench';
const LIVE = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);

interface Cluster {
  readonly masterUrl: string;
  stop(): Promise<void>;
}

/** A master in this process and one agent process (apps/agent/src/main.ts), stopped by PID. */
async function startCluster(options: OneAgentRunOptions): Promise<Cluster> {
  const natsUrl = serviceUrl('NATS_URL');
  const namespace = `${options.name}-${randomBytes(4).toString('hex')}`;
  const database = await createTestDatabase(options.name.replace(/-/g, '_'));
  const workDir = mkdtempSync(join(tmpdir(), `agora-${options.name}-`));
  const master = await bootstrapMaster({
    port: 0,
    host: '127.0.0.1',
    logger: false,
    env: { DATABASE_URL: database.url, NATS_URL: natsUrl, AGORA_BUS_NAMESPACE: namespace, AGORA_ALLOCATION_INTERVAL_MS: '20' },
  });
  // e.g. AGORA_BENCH_AGENT_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/agent-prof' to profile the agent.
  const nodeArgs = (process.env.AGORA_BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const agent: ChildProcess = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', join(__dirname, '..', '..', 'apps', 'agent', 'src', 'main.ts')], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NATS_URL: natsUrl,
      AGORA_BUS_NAMESPACE: namespace,
      AGORA_AGENT_PORT: '0',
      AGORA_AGENT_HOST: '127.0.0.1',
      AGORA_AGENT_HOSTNAME: 'bench-agent',
      AGORA_AGENT_ADVERTISE_IP: '127.0.0.1',
      AGORA_AGENT_WORK_DIR: join(workDir, 'agent'),
      AGORA_AGENT_RESOURCES: options.agentResources,
      ...options.agentEnv,
    },
  });
  const stop = async (): Promise<void> => {
    if (agent.pid !== undefined && agent.exitCode === null && agent.signalCode === null) {
      const exited = new Promise((resolve) => agent.once('exit', resolve));
      process.kill(agent.pid, 'SIGTERM');
      await exited;
    }
    await master.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  };
  return { masterUrl: urlOf(master), stop };
}

export async function runOnOneAgent(options: OneAgentRunOptions): Promise<OneAgentRunResult> {
  const cluster = await startCluster(options);
  const http = new Agent({ keepAlive: true, maxSockets: 16 });
  let stream: { close(): void } | undefined;
  try {
    await eventually(async () => {
      const state = (await (await fetch(`${cluster.masterUrl}/state`)).json()) as { slaves: unknown[] };
      return state.slaves.length === 1;
    }, 30000, 'the agent registered');
    return await new Promise<OneAgentRunResult>((resolve, reject) => {
      let next = 0;
      let accepts = 0;
      let finished = 0;
      let failed = 0;
      let running = 0;
      let peak = 0;
      let firstFailure: string | undefined;
      let started = 0;
      const inRunning = new Set<string>();
      const done = new Set<string>();
      let frameworkId = '';
      let streamId = '';
      const timer = setTimeout(() => reject(new Error(`${done.size}/${options.tasks} tasks ended within ${options.timeoutMs ?? 600000} ms`)), options.timeoutMs ?? 600000);

      const call = (type: string, body: Record<string, unknown>): void => {
        const req = request(`${cluster.masterUrl}/api/v1/scheduler`, {
          method: 'POST',
          agent: http,
          headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': streamId },
        }, (res) => {
          res.resume();
          if (res.statusCode !== 202) reject(new Error(`${type} answered ${res.statusCode}`));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ type, framework_id: { value: frameworkId }, ...body }));
      };

      const onOffers = (offers: Extract<Event, { type: 'OFFERS' }>['offers']['offers']): void => {
        for (const offer of offers) {
          const scalar = (name: string): number => (offer.resources ?? []).filter((r) => r.name === name).reduce((sum, r) => sum + (r.scalar?.value ?? 0), 0);
          const fit = Math.floor(Math.min(scalar('cpus') / options.cpusPerTask + 1e-9, scalar('mem') / options.memPerTask + 1e-9));
          const count = Math.min(fit, options.tasks - next);
          if (count <= 0) {
            call('DECLINE', { decline: { offer_ids: [offer.id], filters: { refuse_seconds: 0 } } });
            continue;
          }
          const taskInfos = [];
          for (let i = 0; i < count; i++, next++) {
            taskInfos.push({
              name: `t${next}`,
              task_id: { value: `t${next}` },
              agent_id: offer.agent_id,
              resources: [
                { name: 'cpus', type: 'SCALAR', scalar: { value: options.cpusPerTask }, allocation_info: { role: ROLE } },
                { name: 'mem', type: 'SCALAR', scalar: { value: options.memPerTask }, allocation_info: { role: ROLE } },
              ],
              command: { value: options.command },
              ...(options.container !== undefined ? { container: options.container } : {}),
            });
          }
          if (started === 0) started = performance.now();
          accepts++;
          call('ACCEPT', { accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }], filters: { refuse_seconds: 0 } } });
        }
      };

      const onUpdate = (status: Extract<Event, { type: 'UPDATE' }>['update']['status']): void => {
        if (status.uuid !== undefined) {
          call('ACKNOWLEDGE', { acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
        }
        const id = status.task_id.value;
        if (done.has(id)) return;
        if (status.state === 'TASK_RUNNING' && !inRunning.has(id)) {
          inRunning.add(id);
          running++;
          peak = Math.max(peak, running);
        }
        if (LIVE.has(status.state)) return;
        done.add(id);
        if (inRunning.delete(id)) running--;
        if (status.state === 'TASK_FINISHED') finished++;
        else {
          failed++;
          firstFailure ??= `${status.state}: ${status.message ?? ''}`;
        }
        if (done.size === options.tasks) {
          const elapsed = performance.now() - started;
          clearTimeout(timer);
          resolve({
            tasks: options.tasks,
            finished,
            failed,
            elapsed_ms: Math.round(elapsed),
            per_sec: Math.round((options.tasks / (elapsed / 1000)) * 10) / 10,
            peak_running: peak,
            accepts,
            ...(firstFailure !== undefined ? { first_failure: firstFailure } : {}),
          });
        }
      };

      const subscribe = request(`${cluster.masterUrl}/api/v1/scheduler`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      }, (res) => {
        streamId = String(res.headers['mesos-stream-id'] ?? '');
        const decoder = new RecordIODecoder();
        const text = new TextDecoder();
        res.on('data', (chunk: Buffer) => {
          for (const record of decoder.decode(chunk)) {
            const event = JSON.parse(text.decode(record)) as Event;
            if (event.type === 'SUBSCRIBED') frameworkId = event.subscribed.framework_id.value;
            else if (event.type === 'OFFERS') onOffers(event.offers.offers);
            else if (event.type === 'UPDATE') onUpdate(event.update.status);
            else if (event.type === 'ERROR') reject(new Error(`scheduler error: ${JSON.stringify(event)}`));
          }
        });
      });
      subscribe.on('error', reject);
      stream = { close: () => subscribe.destroy() };
      subscribe.end(JSON.stringify({
        type: 'SUBSCRIBE',
        subscribe: { framework_info: { user: 'bench', name: options.name, roles: [ROLE], capabilities: [{ type: 'MULTI_ROLE' }] } },
      }));
    });
  } finally {
    stream?.close();
    http.destroy();
    await cluster.stop();
  }
}
