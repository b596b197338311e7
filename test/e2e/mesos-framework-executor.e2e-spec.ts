import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startTestCluster, type TestCluster } from '../support/cluster';

/**
 * A framework whose scheduler and executor are both written by someone else: the npm package
 * `mesos-framework`, used as its README shows. The scheduler (its Scheduler class, with its
 * own OFFERS handler, the library's way to custom logic) launches two tasks on one custom
 * executor — `node fixtures/mesos-framework-executor.cjs`, written with the library's Executor
 * class — which the agent starts and which subscribes to the agent's executor API. Scheduler
 * and executor talk both ways (MESSAGE), the executor finishes its tasks when told to, and
 * when it exits the scheduler hears FAILURE.
 */

// The package is plain CommonJS without types; this is the part of its surface the test uses.
interface Id {
  value: string;
}
interface MesosFrameworkScheduler {
  on(event: string, listener: (...args: never[]) => void): void;
  subscribe(): void;
  teardown(): void;
  accept(offerIds: Id[], operations: unknown, filters: unknown): void;
  decline(offerIds: Id[], filters: unknown): void;
  acknowledge(update: unknown): void;
  message(agentId: string, executorId: string, data: string): void;
}
interface MesosProtos {
  TaskInfo: new (...args: unknown[]) => unknown;
  TaskID: new (value: string) => Id;
  ExecutorInfo: new (...args: unknown[]) => unknown;
  ExecutorID: new (value: string) => Id;
  CommandInfo: new (...args: unknown[]) => unknown;
  Resource: new (...args: unknown[]) => unknown;
  Value: { Type: { SCALAR: unknown }; Scalar: new (value: number) => unknown };
  Offer: { Operation: (new (...args: unknown[]) => unknown) & { Type: { LAUNCH: unknown }; Launch: new (tasks: unknown[]) => unknown } };
}
interface MesosFrameworkModule {
  Scheduler: new (options: Record<string, unknown>) => MesosFrameworkScheduler;
  Mesos: { getMesos(): MesosProtos };
}
interface Offer {
  id: Id;
  agent_id: Id;
  resources: { name: string; scalar?: { value: number } }[];
}
interface Update {
  status: { task_id: Id; state: string; uuid?: string; executor_id?: Id; source?: string };
}
interface SchedulerMessage {
  agentId: Id;
  executorId: Id;
  data: string;
}
interface AgentState {
  frameworks: {
    name: string;
    executors: { id: string; name: string; type: string; directory: string; tasks: { id: string }[]; completed_tasks: { id: string; state: string }[] }[];
    completed_executors: { id: string; directory: string; completed_tasks: { id: string; state: string }[] }[];
  }[];
  completed_frameworks: { name: string; completed_executors: { id: string; directory: string }[] }[];
}

const EXECUTOR = join(__dirname, 'fixtures', 'mesos-framework-executor.cjs');
const EXECUTOR_ID = 'mf-executor';
const TASKS = ['mf-task-1', 'mf-task-2'];

describe('a custom executor written with the npm package mesos-framework', () => {
  let cluster: TestCluster;
  let logDir: string;

  beforeAll(async () => {
    cluster = await startTestCluster('mesos_framework_executor', { agents: 1 });
    logDir = mkdtempSync(join(tmpdir(), 'mesos-framework-executor-logs-'));
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('runs its tasks to TASK_FINISHED and exchanges messages with its scheduler', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Scheduler, Mesos } = require('mesos-framework') as MesosFrameworkModule;
    const mesos = Mesos.getMesos();
    const cpus = (value: number): unknown => new mesos.Resource('cpus', mesos.Value.Type.SCALAR, new mesos.Value.Scalar(value));
    const mem = (value: number): unknown => new mesos.Resource('mem', mesos.Value.Type.SCALAR, new mesos.Value.Scalar(value));
    const executorInfo = new mesos.ExecutorInfo(
      new mesos.ExecutorID(EXECUTOR_ID),
      null,
      new mesos.CommandInfo(null, null, true, `"${process.execPath}" "${EXECUTOR}"`, null, null),
      null,
      [cpus(0.1), mem(32)],
      'mesos-framework executor',
    );

    let launched = false;
    const states = new Map<string, string[]>();
    const fromExecutor: string[] = [];
    const failures: unknown[] = [];
    let fail: (e: Error) => void = () => undefined;
    let progress: () => void = () => undefined;
    const finished = (): boolean => TASKS.every((t) => states.get(t)?.includes('TASK_FINISHED')) && TASKS.every((t) => fromExecutor.includes(`finished ${t}`));

    const scheduler = new Scheduler({
      masterUrl: new URL(cluster.masterUrl).hostname,
      port: Number(new URL(cluster.masterUrl).port),
      frameworkName: 'mesos-framework-executor',
      frameworkFailoverTimeout: 0,
      restartStates: [],
      logging: { path: logDir, fileName: 'scheduler.log', level: 'error' },
      tasks: {},
      handlers: {
        // The library's own OFFERS handler always sends a CommandInfo, which a task with an
        // executor must not have; a framework with its own executor brings its own handler.
        OFFERS: function (this: MesosFrameworkScheduler, offers: { offers: Offer[] }) {
          for (const offer of offers.offers) {
            const has = (name: string, amount: number): boolean => offer.resources.some((r) => r.name === name && (r.scalar?.value ?? 0) >= amount);
            if (launched || !has('cpus', 0.4) || !has('mem', 96)) {
              this.decline([offer.id], null);
              continue;
            }
            launched = true;
            const tasks = TASKS.map((id) => new mesos.TaskInfo(id, new mesos.TaskID(id), offer.agent_id, [cpus(0.1), mem(32)], executorInfo, null));
            this.accept([offer.id], new mesos.Offer.Operation(mesos.Offer.Operation.Type.LAUNCH, new mesos.Offer.Operation.Launch(tasks)), null);
          }
        },
        UPDATE: function (this: MesosFrameworkScheduler, update: Update) {
          const { task_id, state } = update.status;
          states.set(task_id.value, [...(states.get(task_id.value) ?? []), state]);
          this.acknowledge(update);
          if (['TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_KILLED'].includes(state)) {
            fail(new Error(`task ${task_id.value} ended ${state}: ${JSON.stringify(update)}`));
          }
          progress();
        },
      },
    });

    // The executor says `ready <task>` once it runs a task; the scheduler answers `finish <task>`.
    let agentId = '';
    scheduler.on('message', (message: SchedulerMessage) => {
      agentId = message.agentId.value;
      fromExecutor.push(message.data);
      const [verb, taskId] = message.data.split(' ');
      if (verb === 'ready') scheduler.message(message.agentId.value, message.executorId.value, `finish ${taskId}`);
      progress();
    });
    scheduler.on('failure', (failure: unknown) => {
      failures.push(failure);
      progress();
    });
    scheduler.on('error', (error: unknown) => fail(error instanceof Error ? error : new Error(JSON.stringify(error))));

    const until = (test: () => boolean, what: string): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what}: not within 60 s; states ${JSON.stringify([...states])}, messages ${JSON.stringify(fromExecutor)}`)), 60000);
        const check = (): void => {
          if (!test()) return;
          clearTimeout(timer);
          resolve();
        };
        progress = check;
        fail = (e) => {
          clearTimeout(timer);
          reject(e);
        };
        check();
      });

    scheduler.on('ready', () => scheduler.subscribe());
    await until(finished, 'both tasks finished');
    for (const task of TASKS) expect(states.get(task)).toEqual(['TASK_RUNNING', 'TASK_FINISHED']);
    expect(fromExecutor.filter((m) => m.startsWith('ready')).sort()).toEqual(TASKS.map((t) => `ready ${t}`));

    // One executor ran both tasks, in a sandbox of its own that the agent's /state shows.
    const agentState = await eventually(async () => {
      const body = (await (await fetch(`${cluster.agentUrls[0]}/state`)).json()) as AgentState;
      const executor = body.frameworks.find((f) => f.name === 'mesos-framework-executor')?.executors.find((e) => e.id === EXECUTOR_ID);
      return executor !== undefined && executor.completed_tasks.length === 2 ? executor : undefined;
    }, 20000, 'the executor with two completed tasks in the agent /state');
    expect(agentState).toMatchObject({ name: 'mesos-framework executor', type: 'CUSTOM', tasks: [] });
    expect(agentState.completed_tasks.map((t) => [t.id, t.state]).sort()).toEqual(TASKS.map((t) => [t, 'TASK_FINISHED']));
    expect(agentState.directory).toContain(join('executors', EXECUTOR_ID, 'runs'));
    expect(readFileSync(join(agentState.directory, 'stdout'), 'utf8')).toContain('subscribed to agent');

    // The scheduler lets its executor go; the master tells it the executor ended (FAILURE).
    scheduler.message(agentId, EXECUTOR_ID, 'bye');
    await until(() => failures.length > 0, 'FAILURE for the executor');
    expect(failures[0]).toMatchObject({ executor_id: { value: EXECUTOR_ID }, status: 0 });
    scheduler.teardown();
  }, 90000);
});
