/**
 * An agent booted for executor tests: real HTTP, real processes, the fake master on an
 * in-process bus. Helpers launch the tiny executor (tiny-executor.cjs) and read back what it
 * reported through its scheduler messages.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessTransport } from '@agora/bus';
import { urlOf } from '@agora/nest-common';
import { base64ToText, type ExecutorInfo, type TaskInfo } from '@agora/protocol';
import { bootstrapAgent } from '../../bootstrap';
import { FakeMaster } from '../../testing/fake-master';

export const TINY_EXECUTOR = join(__dirname, 'tiny-executor.cjs');

/** What the tiny executor reported: one entry per event it saw, in the order the master got them. */
export interface Reported {
  readonly event: string;
  readonly task_id?: string;
  readonly [field: string]: unknown;
}

export interface ExecutorHarness {
  readonly master: FakeMaster;
  readonly base: string;
  readonly workDir: string;
  readonly frameworkId: string;
  /** Launches a task on a tiny executor (`mode` as in tiny-executor.cjs). */
  runTiny(taskId: string, options?: { mode?: string; executorId?: string; task?: Partial<TaskInfo>; executor?: Partial<ExecutorInfo> }): void;
  reported(): Reported[];
  /** Resolves with the first report that satisfies `test`. */
  report(test: (r: Reported) => boolean): Promise<Reported>;
  state(): Promise<AgentState>;
  close(): Promise<void>;
}

export interface TaskJsonLike {
  id: string;
  state: string;
}
export interface ExecutorJsonLike {
  id: string;
  name: string;
  type: string;
  directory: string;
  container: string;
  resources: Record<string, unknown>;
  tasks: TaskJsonLike[];
  queued_tasks: TaskJsonLike[];
  completed_tasks: TaskJsonLike[];
}
export interface AgentState {
  frameworks: { id: string; executors: ExecutorJsonLike[]; completed_executors: ExecutorJsonLike[] }[];
  completed_frameworks: { id: string; completed_executors: ExecutorJsonLike[] }[];
}

export const CPUS = (value: number) => ({ name: 'cpus', type: 'SCALAR' as const, scalar: { value } });

export async function startExecutorHarness(env: Record<string, string> = {}): Promise<ExecutorHarness> {
  const workDir = await mkdtemp(join(tmpdir(), 'agora-executors-'));
  const transport = new InProcessTransport();
  const master = new FakeMaster(transport);
  let agent: INestApplication | undefined;
  try {
    agent = await bootstrapAgent({
      port: 0,
      host: '127.0.0.1',
      logger: false,
      workDir,
      hostname: 'executor-spec',
      resources: 'cpus:4;mem:2048',
      transport,
      env: { AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '20', ...env },
    });
  } catch (e) {
    master.close();
    await transport.close();
    await rm(workDir, { recursive: true, force: true });
    throw e;
  }
  const app = agent;
  await master.until(() => master.registrations.length >= 1);
  await master.agentListening();
  const base = urlOf(app);
  const reported = (): Reported[] => master.executorMessages.map((m) => JSON.parse(base64ToText(m.data)) as Reported);
  return {
    master,
    base,
    workDir,
    frameworkId: `${master.masterId}-0000`,
    runTiny(taskId, options = {}) {
      master.runTask({
        task_id: { value: taskId },
        resources: [CPUS(0.1)],
        executor: {
          executor_id: { value: options.executorId ?? 'tiny' },
          name: 'tiny executor',
          resources: [CPUS(0.1)],
          command: { value: `"${process.execPath}" "${TINY_EXECUTOR}"`, environment: { variables: [{ name: 'TINY_MODE', value: options.mode ?? 'run' }] } },
          ...options.executor,
        },
        ...options.task,
      });
    },
    reported,
    async report(test) {
      await master.until(() => reported().some(test));
      return reported().find(test) as Reported;
    },
    async state() {
      return (await (await fetch(`${base}/state`)).json()) as AgentState;
    },
    async close() {
      await app.close();
      master.close();
      await transport.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
