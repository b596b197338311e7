import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { urlOf } from '@agora/nest-common';
import { eventually } from '../../../../test/support/cluster';
import { FAST_MASTER_ENV } from '../../../../test/support/master-harness';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/services';
import { bootstrapMaster } from '../bootstrap';
import { LeaderLock } from './leader-lock';
import { StandbyGate } from './standby-gate';

/**
 * The leadership lease (DESIGN §5): the lock lives as long as its Postgres session, Postgres ends
 * a session silent for longer than the lease, and a leader whose session is lost or goes silent
 * steps down (the step-down is injected here instead of exiting the process).
 */
describe('leadership lease', () => {
  const LEASE_MS = 1000;
  let database: TestDatabase;
  const masters: INestApplication[] = [];
  const stepDowns: string[] = [];

  beforeEach(async () => {
    database = await createTestDatabase('leader_lease');
    stepDowns.length = 0;
  });

  afterEach(async () => {
    for (const app of masters.splice(0)) await app.close();
    await database.drop();
  });

  async function startMaster(): Promise<INestApplication> {
    const app = await bootstrapMaster({
      port: 0,
      host: '127.0.0.1',
      env: { ...FAST_MASTER_ENV, DATABASE_URL: database.url, AGORA_LEADER_POLL_MS: '100', AGORA_LEADER_LEASE_MS: String(LEASE_MS) },
      logger: false,
      onStepDown: (why) => stepDowns.push(why),
    });
    masters.push(app);
    return app;
  }

  const leading = (app: INestApplication): boolean => app.get(StandbyGate).leading;

  it('answers 503 while the lock holder is unknown, and takes over once a frozen holder’s lease ran out', async () => {
    // A "leader" that took the lock and then froze: it never talks to Postgres again.
    const frozen = await LeaderLock.connect(database.url, LEASE_MS);
    const lost: string[] = [];
    frozen.onLost((why) => lost.push(why));
    expect(await frozen.tryAcquire()).toBe(true);

    const standby = await startMaster();
    expect(leading(standby)).toBe(false);
    const state = await fetch(`${urlOf(standby)}/state`, { redirect: 'manual' });
    expect(state.status).toBe(503);
    expect(await state.text()).toMatch(/No leading master is known/);
    expect((await fetch(`${urlOf(standby)}/health`)).status).toBe(200);

    await eventually(async () => leading(standby), 15_000, 'the standby leads once the frozen session is ended');
    expect((await fetch(`${urlOf(standby)}/state`)).status).toBe(200);
    await eventually(async () => lost.length > 0, 5000, 'the frozen holder sees its session ended');
    await frozen.close();
  });

  it('steps down when its lock session is terminated', async () => {
    const leader = await startMaster();
    expect(leading(leader)).toBe(true);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const terminated = await admin.query(
        "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = 'agora-master-leadership' AND datname = current_database()",
      );
      expect(terminated.rows).toEqual([{ done: true }]);
    } finally {
      await admin.end();
    }
    await eventually(async () => stepDowns.length > 0, 10_000, 'the leader steps down');
    expect(stepDowns).toEqual([expect.stringMatching(/^lost the leadership lock: lock connection/)]);
    expect(leading(leader)).toBe(false);
  });

  it('steps down when it wakes after being frozen for longer than the lease', async () => {
    const leader = await startMaster();
    expect(leading(leader)).toBe(true);
    // Freeze the whole process (as SIGSTOP would): no timer, no touch, for twice the lease.
    const until = Date.now() + 2 * LEASE_MS;
    while (Date.now() < until) {
      // busy: the event loop does not turn
    }
    await eventually(async () => stepDowns.length > 0, 10_000, 'the leader steps down');
    expect(stepDowns[0]).toMatch(/^lost the leadership lock: /);
    expect(leading(leader)).toBe(false);
  });
});
