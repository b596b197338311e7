import { AgoraBus } from '@agora/bus';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/services';
import { startTestMaster, type TestMaster } from '../../../../test/support/master-harness';

/** Agent membership over the bus, against a real master and registry. */
describe('agents', () => {
  let database: TestDatabase;
  let master: TestMaster;

  beforeAll(async () => {
    database = await createTestDatabase('agents');
  });
  afterAll(() => database?.drop());
  beforeEach(async () => {
    master = await startTestMaster(database.url);
  });
  afterEach(() => master.stop());

  const message = {
    agent_info: { hostname: 'h1', port: 5051, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 1 } }] },
    version: 'test',
    ip: '127.0.0.1',
  };

  it('gives a retried registration the same id as the one still being admitted', async () => {
    const bus = new AgoraBus(master.transport);
    const [a, b] = await Promise.all([bus.register('register', message, 5000), bus.register('register', message, 5000)]);
    expect(a.result).toBe('REGISTERED');
    expect(b).toEqual(a);
  });

  it('answers a late retry of the same agent process with the id it already has, and a new process with a new id', async () => {
    const bus = new AgoraBus(master.transport);
    const first = await bus.register('register', { ...message, session: 's1' }, 5000);
    const retry = await bus.register('register', { ...message, session: 's1' }, 5000);
    const restarted = await bus.register('register', { ...message, session: 's2' }, 5000);
    if (first.result !== 'REGISTERED' || retry.result !== 'REGISTERED' || restarted.result !== 'REGISTERED') throw new Error('not registered');
    expect(retry.agent_id).toEqual(first.agent_id);
    expect(restarted.agent_id).not.toEqual(first.agent_id);
    const metrics = (await (await fetch(`${master.url}/metrics/snapshot`)).json()) as Record<string, number>;
    expect(metrics['master/slave_registrations']).toBe(2);
  });

  it('gives a retried re-registration the answer of the one still being admitted, and counts one', async () => {
    const bus = new AgoraBus(master.transport);
    const registered = await bus.register('register', message, 5000);
    if (registered.result !== 'REGISTERED') throw new Error('not registered');
    const again = { ...message, agent_info: { ...message.agent_info, id: registered.agent_id } };
    const [a, b] = await Promise.all([bus.register('reregister', again, 5000), bus.register('reregister', again, 5000)]);
    expect(a).toEqual(b);
    expect(a.result).toBe('REGISTERED');
    const metrics = (await (await fetch(`${master.url}/metrics/snapshot`)).json()) as Record<string, number>;
    expect(metrics['master/slave_reregistrations']).toBe(1);
  });

  it('admits many agents registering at once, each under its own id', async () => {
    const bus = new AgoraBus(master.transport);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => bus.register('register', { ...message, agent_info: { ...message.agent_info, hostname: `h${i}` } }, 10_000)),
    );
    const ids = new Set(replies.map((r) => (r.result === 'REGISTERED' ? r.agent_id.value : r.result)));
    expect(ids.size).toBe(50);
    const summary = (await (await fetch(`${master.url}/state-summary`)).json()) as { slaves: unknown[] };
    expect(summary.slaves).toHaveLength(50);
  });

  it('drops malformed bus messages and keeps serving', async () => {
    master.transport.publish('agora.v1.master.register', new TextEncoder().encode('{not json'));
    master.transport.publish('agora.v1.master.status-update', new TextEncoder().encode('{"agent_id":{}}'));
    const reply = await new AgoraBus(master.transport).register('register', message, 5000);
    expect(reply.result).toBe('REGISTERED');
  });
});
