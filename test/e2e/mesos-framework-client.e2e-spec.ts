import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startTestCluster, type TestCluster } from '../support/cluster';

/**
 * A framework written by someone else: the npm package `mesos-framework` (a scheduler library
 * for the Mesos v1 HTTP API), used as its README tells its users. It subscribes to Agora,
 * takes offers with its own offer-matching code and runs command tasks to TASK_FINISHED.
 */

// The package is plain CommonJS without types; this is the part of its surface the test uses.
interface MesosFrameworkScheduler {
  on(event: string, listener: (...args: unknown[]) => void): void;
  subscribe(): void;
  teardown(): void;
  frameworkId: string | null;
}
interface MesosFrameworkModule {
  Scheduler: new (options: Record<string, unknown>) => MesosFrameworkScheduler;
  Mesos: { getMesos(): { CommandInfo: new (...args: unknown[]) => unknown } };
}

describe('a scheduler written with the npm package mesos-framework', () => {
  let cluster: TestCluster;
  let logDir: string;

  beforeAll(async () => {
    cluster = await startTestCluster('mesos_framework', { agents: 2 });
    logDir = mkdtempSync(join(tmpdir(), 'mesos-framework-logs-'));
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('launches its tasks through Agora to TASK_FINISHED', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Scheduler, Mesos } = require('mesos-framework') as MesosFrameworkModule;
    const mesos = Mesos.getMesos();
    const master = new URL(cluster.masterUrl);
    const scheduler = new Scheduler({
      masterUrl: master.hostname,
      port: Number(master.port),
      frameworkName: 'mesos-framework-compat',
      frameworkFailoverTimeout: 0,
      restartStates: [],
      logging: { path: logDir, fileName: 'scheduler.log', level: 'error' },
      tasks: {
        echo: {
          priority: 1,
          instances: 3,
          commandInfo: new mesos.CommandInfo(null, null, true, 'echo hello from mesos-framework', null, null),
          resources: { cpus: 0.1, mem: 32, ports: 1, disk: 0 },
        },
      },
    });

    const finished = new Set<string>();
    const states: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not all tasks finished; states seen: ${states.join(', ')}`)), 60000);
      scheduler.on('update', (update: unknown) => {
        const status = (update as { status: { task_id: { value: string }; state: string } }).status;
        states.push(`${status.task_id.value}=${status.state}`);
        if (status.state === 'TASK_FINISHED') finished.add(status.task_id.value);
        if (['TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED'].includes(status.state)) {
          clearTimeout(timer);
          reject(new Error(`task ${status.task_id.value} ended ${status.state}: ${JSON.stringify(update)}`));
        }
        if (finished.size === 3) {
          clearTimeout(timer);
          resolve();
        }
      });
      scheduler.on('error', (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      });
    });
    scheduler.on('ready', () => scheduler.subscribe());
    await done;
    expect(finished.size).toBe(3);

    // Agora saw the same framework; the library acknowledged each terminal update, so the
    // tasks moved to the framework's completed tasks.
    const fw = await eventually(async () => {
      const body = (await (await fetch(`${cluster.masterUrl}/frameworks`)).json()) as { frameworks: { name: string; completed_tasks: { state: string }[] }[] };
      const found = body.frameworks.find((f) => f.name === 'mesos-framework-compat');
      return found && found.completed_tasks.length === 3 ? found : undefined;
    }, 20000, 'three completed tasks');
    expect(fw.completed_tasks.every((t) => t.state === 'TASK_FINISHED')).toBe(true);
    scheduler.teardown();
  }, 90000);
});
