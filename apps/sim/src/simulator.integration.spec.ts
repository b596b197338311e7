import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { urlOf } from '@agora/nest-common';
import { bootstrapMaster } from '../../master/src/bootstrap';
import { createTestDatabase, serviceUrl, type TestDatabase } from '../../../test/support/services';
import { LoadFramework } from '../../../bench/support/load-framework';
import { Simulator } from './simulator';

/**
 * A real master over real NATS (its own namespace) and Postgres, 20 simulated agents and the
 * benchmark's load framework: 200 tasks reach TASK_FINISHED, each update acknowledged. No
 * timing is asserted.
 */
describe('simulator with a real master', () => {
  const AGENTS = 20;
  const TASKS = 200;
  let database: TestDatabase;
  let master: INestApplication;
  let sim: Simulator;
  let framework: LoadFramework | undefined;

  beforeAll(async () => {
    const natsUrl = serviceUrl('NATS_URL');
    const namespace = `sim-${randomBytes(4).toString('hex')}`;
    database = await createTestDatabase('sim');
    master = await bootstrapMaster({
      port: 0,
      host: '127.0.0.1',
      logger: false,
      env: { DATABASE_URL: database.url, NATS_URL: natsUrl, AGORA_BUS_NAMESPACE: namespace, AGORA_ALLOCATION_INTERVAL_MS: '50', AGORA_AGENT_PING_INTERVAL_MS: '500' },
    });
    sim = await Simulator.start({ agents: AGENTS, natsUrl, namespace, registrationBackoffFactorMs: 100, resources: 'cpus:4;mem:4096' });
  });

  afterAll(async () => {
    await framework?.close();
    await sim?.stop();
    await master?.close();
    await database?.drop();
  });

  it(`registers ${AGENTS} agents and runs ${TASKS} tasks to TASK_FINISHED`, async () => {
    await sim.waitRegistered(30_000);
    const state = (await (await fetch(`${urlOf(master)}/state`)).json()) as { slaves: { hostname: string }[] };
    expect(state.slaves.map((s) => s.hostname).sort()).toEqual(Array.from({ length: AGENTS }, (_, i) => `sim-${i + 1}`).sort());

    framework = new LoadFramework({ master: urlOf(master), tasks: TASKS, cpusPerTask: 0.5, memPerTask: 32 });
    const result = await framework.run();

    expect(result.finished).toBe(TASKS);
    expect(result.failed).toEqual({});
    expect(result.runningMs).toHaveLength(TASKS);
    // STARTING, RUNNING and FINISHED of every task, each acknowledged.
    expect(result.acknowledgements).toBeGreaterThanOrEqual(3 * TASKS);
    expect(sim.stats()).toMatchObject({ launched: TASKS, finished: TASKS, invalid: 0 });
  }, 60_000);
});
