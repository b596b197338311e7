import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/support/services';
import { Clock } from '../clock/clock';
import { openRegistry, REGISTRY_MIGRATIONS } from './registry.data-source';
import { AgentGoneError, FrameworkRemovedError, UnknownAgentError, UnknownFrameworkError } from './registry.errors';
import { AgentAdmission, FrameworkRegistration } from './registry.records';
import { RegistryService } from './registry.service';

// Medium tier: the real migrations into a fresh database on the Postgres at DATABASE_URL.

/** A clock that only moves when told. */
class SteppedClock extends Clock {
  private ms = Date.UTC(2026, 0, 1);
  override now(): number {
    return this.ms;
  }
  advance(seconds: number): Date {
    this.ms += seconds * 1000;
    return new Date(this.ms);
  }
  get date(): Date {
    return new Date(this.ms);
  }
}

const agent = (id: string, overrides: Partial<AgentAdmission> = {}): AgentAdmission => ({
  id,
  hostname: `host-${id}`,
  port: 5051,
  resources: 'cpus:4;mem:8192;ports:[31000-32000]',
  attributes: { rack: 'r1', gpu: false },
  ...overrides,
});

const framework = (id: string, overrides: Partial<FrameworkRegistration> = {}): FrameworkRegistration => ({
  id,
  name: `framework ${id}`,
  principal: 'ops',
  roles: ['eng/web'],
  failoverTimeoutSeconds: 60,
  ...overrides,
});

describe('RegistryService against Postgres', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let clock: SteppedClock;
  let registry: RegistryService;

  beforeAll(async () => {
    database = await createTestDatabase('registry_service');
    dataSource = await openRegistry(database.url);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE registry_agents, registry_frameworks, registry_weights, registry_quotas');
    clock = new SteppedClock();
    registry = new RegistryService(dataSource, clock);
  });

  describe('migrations', () => {
    it('are all applied, with the epoch row seeded', async () => {
      const applied = await dataSource.query('SELECT name FROM registry_migrations ORDER BY id');
      expect(applied.map((row: { name: string }) => row.name)).toEqual(REGISTRY_MIGRATIONS.map((m) => m.name));
      expect(await dataSource.query('SELECT id, epoch, leader FROM registry_epoch')).toEqual([
        { id: 1, epoch: '0', leader: null },
      ]);
    });

    it('are a no-op when run again (a second master starting)', async () => {
      const again = await openRegistry(database.url);
      await again.destroy();
      const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM registry_migrations');
      expect(count).toBe(REGISTRY_MIGRATIONS.length);
    });

    it('can be reverted', async () => {
      const scratch = await createTestDatabase('registry_revert');
      const ds = await openRegistry(scratch.url);
      try {
        for (let i = 0; i < REGISTRY_MIGRATIONS.length; i++) await ds.undoLastMigration();
        const tables = await ds.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'registry\\_%' AND tablename <> 'registry_migrations'`);
        expect(tables).toEqual([]);
      } finally {
        await ds.destroy();
        await scratch.drop();
      }
    });
  });

  describe('agents', () => {
    it('admits a new agent with its registration time', async () => {
      const record = await registry.admitAgent(agent('a1'));
      expect(record).toEqual({
        ...agent('a1'),
        state: 'admitted',
        registeredTime: clock.date,
        reregisteredTime: null,
        unreachableTime: null,
        deactivated: false,
        drainInfo: null,
      });
      expect(await registry.listAgents()).toEqual([record]);
    });

    it('re-admits a known agent: new details, first registration time kept', async () => {
      const first = clock.date;
      await registry.admitAgent(agent('a1'));
      const later = clock.advance(30);
      const record = await registry.admitAgent(agent('a1', { hostname: 'renamed', port: 5052 }));
      expect(record).toMatchObject({ hostname: 'renamed', port: 5052, registeredTime: first, reregisteredTime: later });
    });

    it('marks an agent unreachable once, keeping the first time, and re-admits it', async () => {
      await registry.admitAgent(agent('a1'));
      const lost = clock.advance(10);
      expect(await registry.markAgentUnreachable('a1')).toMatchObject({ state: 'unreachable', unreachableTime: lost });
      clock.advance(10);
      expect(await registry.markAgentUnreachable('a1')).toMatchObject({ unreachableTime: lost });
      expect(await registry.admitAgent(agent('a1'))).toMatchObject({ state: 'admitted', unreachableTime: null });
    });

    it('never re-admits a gone agent', async () => {
      await registry.admitAgent(agent('a1'));
      await registry.markAgentUnreachable('a1');
      expect(await registry.markAgentGone('a1')).toMatchObject({ state: 'gone' });
      expect(await registry.markAgentGone('a1')).toMatchObject({ state: 'gone' });
      await expect(registry.admitAgent(agent('a1'))).rejects.toThrow(AgentGoneError);
      await expect(registry.markAgentUnreachable('a1')).rejects.toThrow(AgentGoneError);
      expect(await registry.listAgents()).toEqual([expect.objectContaining({ id: 'a1', state: 'gone' })]);
    });

    it.each([
      ['markAgentUnreachable', (r: RegistryService) => r.markAgentUnreachable('nope')],
      ['markAgentGone', (r: RegistryService) => r.markAgentGone('nope')],
    ])('%s of an unknown agent throws UnknownAgentError', async (_name, call) => {
      await expect(call(registry)).rejects.toThrow(UnknownAgentError);
    });

    it('lists agents in every state, ordered by id', async () => {
      for (const id of ['c', 'a', 'b']) await registry.admitAgent(agent(id));
      await registry.markAgentUnreachable('b');
      await registry.markAgentGone('c');
      const listed = await registry.listAgents();
      expect(listed.map((a) => [a.id, a.state])).toEqual([
        ['a', 'admitted'],
        ['b', 'unreachable'],
        ['c', 'gone'],
      ]);
    });

    it('keeps an operator\'s maintenance across unreachability and re-admission, one batch or alone', async () => {
      await registry.admitAgent(agent('a1'));
      const drain = { state: 'DRAINING' as const, config: { max_grace_period: { nanoseconds: 5e9 }, mark_gone: false } };
      expect(await registry.updateAgentMaintenance('a1', () => ({ deactivated: true, drainInfo: drain }))).toMatchObject({ deactivated: true, drainInfo: drain });
      await registry.markAgentUnreachable('a1');
      expect(await registry.admitAgent(agent('a1'))).toMatchObject({ deactivated: true, drainInfo: drain });
      expect((await registry.admitAgents([agent('a1')])).get('a1')).toMatchObject({ deactivated: true, drainInfo: drain });
      const seen: unknown[] = [];
      await registry.updateAgentMaintenance('a1', (current) => {
        seen.push(current);
        return { deactivated: false, drainInfo: null };
      });
      expect(seen).toEqual([{ deactivated: true, drainInfo: drain }]);
      expect(await registry.listAgents()).toEqual([expect.objectContaining({ deactivated: false, drainInfo: null })]);
    });

    it('leaves maintenance unchanged when the change refuses, and refuses unknown and gone agents', async () => {
      await registry.admitAgent(agent('a1'));
      await expect(registry.updateAgentMaintenance('a1', () => {
        throw new Error('not deactivated');
      })).rejects.toThrow('not deactivated');
      expect(await registry.listAgents()).toEqual([expect.objectContaining({ deactivated: false })]);
      await expect(registry.updateAgentMaintenance('nope', (m) => m)).rejects.toThrow(UnknownAgentError);
      await registry.markAgentGone('a1');
      await expect(registry.updateAgentMaintenance('a1', (m) => m)).rejects.toThrow(AgentGoneError);
    });

    it('admits concurrent registrations of one agent without losing either', async () => {
      await Promise.all([registry.admitAgent(agent('a1')), registry.admitAgent(agent('a1', { port: 6000 }))]);
      const [record] = await registry.listAgents();
      expect(record.reregisteredTime).not.toBeNull();
    });
  });

  describe('agents admitted in one batch', () => {
    it('inserts new agents, re-admits known ones and refuses gone ones, in one statement', async () => {
      const first = clock.date;
      await registry.admitAgent(agent('known'));
      await registry.markAgentUnreachable('known');
      await registry.admitAgent(agent('gone'));
      await registry.markAgentGone('gone');
      const later = clock.advance(30);
      const answers = await registry.admitAgents([agent('new'), agent('known', { port: 5052 }), agent('gone')]);
      const maintenance = { deactivated: false, drainInfo: null };
      expect(answers.get('new')).toEqual({ ...agent('new'), state: 'admitted', registeredTime: later, reregisteredTime: null, unreachableTime: null, ...maintenance });
      expect(answers.get('known')).toEqual({ ...agent('known', { port: 5052 }), state: 'admitted', registeredTime: first, reregisteredTime: later, unreachableTime: null, ...maintenance });
      expect(answers.get('gone')).toBeInstanceOf(AgentGoneError);
      expect((await registry.listAgents()).map((a) => [a.id, a.state])).toEqual([
        ['gone', 'gone'],
        ['known', 'admitted'],
        ['new', 'admitted'],
      ]);
    });

    it('answers an empty batch without a query', async () => {
      expect((await registry.admitAgents([])).size).toBe(0);
    });
  });

  describe('frameworks', () => {
    it('records a framework and updates it on re-subscription, keeping its registration time', async () => {
      const first = clock.date;
      expect(await registry.upsertFramework(framework('f1'))).toEqual({
        ...framework('f1'),
        registeredTime: first,
        removedTime: null,
      });
      clock.advance(5);
      const updated = await registry.upsertFramework(
        framework('f1', { roles: ['eng/web', 'eng/batch'], failoverTimeoutSeconds: 0.5, principal: null }),
      );
      expect(updated).toMatchObject({ roles: ['eng/web', 'eng/batch'], failoverTimeoutSeconds: 0.5, principal: null, registeredTime: first });
    });

    it('removes a framework once; its id cannot come back', async () => {
      await registry.upsertFramework(framework('f1'));
      const removed = clock.advance(1);
      expect(await registry.markFrameworkRemoved('f1')).toMatchObject({ removedTime: removed });
      clock.advance(1);
      expect(await registry.markFrameworkRemoved('f1')).toMatchObject({ removedTime: removed });
      await expect(registry.upsertFramework(framework('f1'))).rejects.toThrow(FrameworkRemovedError);
    });

    it('lists active frameworks, and removed ones on request', async () => {
      for (const id of ['f2', 'f1', 'f3']) await registry.upsertFramework(framework(id));
      await registry.markFrameworkRemoved('f2');
      expect((await registry.listFrameworks()).map((f) => f.id)).toEqual(['f1', 'f3']);
      expect((await registry.listFrameworks({ includeRemoved: true })).map((f) => f.id)).toEqual(['f1', 'f2', 'f3']);
    });

    it('removing an unknown framework throws UnknownFrameworkError', async () => {
      await expect(registry.markFrameworkRemoved('nope')).rejects.toThrow(UnknownFrameworkError);
    });
  });

  describe('weights', () => {
    it('sets weights, updates them, and lists them by role', async () => {
      await registry.setWeights([{ role: 'web', weight: 2 }, { role: 'batch', weight: 0.5 }]);
      await registry.setWeights([{ role: 'web', weight: 3 }]);
      expect(await registry.listWeights()).toEqual([
        { role: 'batch', weight: 0.5 },
        { role: 'web', weight: 3 },
      ]);
    });

    it('takes the last weight of a role named twice, and does nothing for an empty list', async () => {
      await registry.setWeights([{ role: 'a', weight: 1 }, { role: 'a', weight: 4 }]);
      await registry.setWeights([]);
      expect(await registry.listWeights()).toEqual([{ role: 'a', weight: 4 }]);
    });

    it('is all or nothing: a weight the table refuses leaves the others unset', async () => {
      await expect(registry.setWeights([{ role: 'a', weight: 2 }, { role: 'b', weight: -1 }])).rejects.toThrow();
      expect(await registry.listWeights()).toEqual([]);
    });
  });

  describe('quotas', () => {
    it('sets quotas, replaces them, and lists them by role', async () => {
      await registry.setQuotas([
        { role: 'web', guarantees: { cpus: 1 }, limits: { cpus: 4, mem: 2048 } },
        { role: 'batch', guarantees: {}, limits: { gpus: 0 } },
      ]);
      await registry.setQuotas([{ role: 'web', guarantees: { cpus: 2.5 }, limits: {} }]);
      expect(await registry.listQuotas()).toEqual([
        { role: 'batch', guarantees: {}, limits: { gpus: 0 } },
        { role: 'web', guarantees: { cpus: 2.5 }, limits: {} },
      ]);
    });

    it('removes a quota set back to the default (no guarantees, no limits), or on request', async () => {
      await registry.setQuotas([
        { role: 'a', guarantees: { cpus: 1 }, limits: {} },
        { role: 'b', guarantees: { cpus: 1 }, limits: {} },
      ]);
      await registry.setQuotas([{ role: 'a', guarantees: {}, limits: {} }]);
      await registry.removeQuota('b');
      await registry.removeQuota('never-set');
      expect(await registry.listQuotas()).toEqual([]);
    });
  });

  describe('terms', () => {
    it('each leader gets the next epoch and is recorded as leader', async () => {
      const before = Number((await dataSource.query('SELECT epoch FROM registry_epoch'))[0].epoch);
      expect(await registry.beginTerm('m1:5050')).toBe(before + 1);
      expect(await registry.beginTerm('m2:5050')).toBe(before + 2);
      expect(await dataSource.query('SELECT leader FROM registry_epoch')).toEqual([{ leader: 'm2:5050' }]);
    });

    it('names the current leader and its epoch', async () => {
      const epoch = await registry.beginTerm('m3:5050');
      expect(await registry.currentLeader()).toEqual({ epoch, leader: 'm3:5050' });
    });
  });
});
