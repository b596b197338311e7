import { AGORA_VERSION } from '../cluster/master-identity';
/**
 * The operator endpoints over HTTP on a real master (real Postgres registry, in-process bus): a
 * fake agent registers over the bus, a scheduler subscribes over the v1 API, takes an offer and
 * launches a task, and the endpoints must show all of it under Mesos's names.
 */
import { request, type ClientRequest } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { AgoraBus, type BusSubscription, InProcessTransport } from '@agora/bus';
import { urlOf } from '@agora/nest-common';
import { type Event, RecordIODecoder } from '@agora/protocol';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/services';
import { bootstrapMaster } from '../bootstrap';
import type { FrameworksJson, MetricsJson, SlavesJson, StateJson, StateSummaryJson, TasksJson } from './render/json';

/** A scheduler's event stream, read record by record; events wait in `events` until taken. */
class SchedulerStream {
  readonly events: Event[] = [];
  streamId = '';
  private req?: ClientRequest;

  open(master: string, body: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(`${master}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        this.streamId = String(res.headers['mesos-stream-id']);
        const decoder = new RecordIODecoder();
        res.on('data', (chunk: Buffer) => {
          for (const record of decoder.decode(chunk)) this.events.push(JSON.parse(Buffer.from(record).toString('utf8')) as Event);
        });
        resolve();
      });
      this.req.on('error', reject);
      this.req.end(JSON.stringify(body));
    });
  }

  /** The first waiting event of `type`, taken from the queue. */
  async next<T extends Event['type']>(type: T): Promise<Extract<Event, { type: T }>> {
    return eventually(() => {
      const i = this.events.findIndex((e) => e.type === type);
      return i < 0 ? undefined : (this.events.splice(i, 1)[0] as Extract<Event, { type: T }>);
    }, `a ${type} event`);
  }

  close(): void {
    this.req?.destroy();
  }
}

/** Polls `probe` until it returns a value; tests wait for events, never for fixed times. */
async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('operator API (integration)', () => {
  let database: TestDatabase;
  let transport: InProcessTransport;
  let app: INestApplication;
  let base: string;
  let port: number;
  let agentBus: AgoraBus;
  let pings: BusSubscription;
  let agentId: string;
  const scheduler = new SchedulerStream();
  let frameworkId: string;

  const get = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    database = await createTestDatabase('operator_api');
    transport = new InProcessTransport();
    app = await bootstrapMaster({
      port: 0,
      host: '127.0.0.1',
      env: { DATABASE_URL: database.url, AGORA_ALLOCATION_INTERVAL_MS: '50', AGORA_AGENT_PING_INTERVAL_MS: '200' },
      logger: false,
      transport,
    });
    base = urlOf(app);
    port = Number(new URL(base).port);

    agentBus = new AgoraBus(transport);
    const registration = await agentBus.register(
      'register',
      {
        agent_info: {
          hostname: 'agent-1',
          port: 5051,
          resources: [
            { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } },
            { name: 'mem', type: 'SCALAR', scalar: { value: 1024 } },
          ],
          attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }],
        },
        version: 'test',
        ip: '127.0.0.1',
      },
      10_000,
    );
    if (registration.result !== 'REGISTERED') throw new Error(`agent refused: ${registration.message}`);
    agentId = registration.agent_id.value;
    pings = agentBus.onAgentMessages(agentId, (m) => {
      if (m.kind === 'ping') m.reply('pong', { agent_id: { value: agentId } });
    });

    await scheduler.open(base, { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'ops-test' } } });
    frameworkId = (await scheduler.next('SUBSCRIBED')).subscribed.framework_id.value;
  });

  afterAll(async () => {
    scheduler.close();
    pings?.unsubscribe();
    await app?.close();
    await transport?.close();
    await database?.drop();
  });

  describe('before any task', () => {
    it('serves /state with the agent, the framework and its outstanding offer', async () => {
      const offer = (await scheduler.next('OFFERS')).offers.offers[0];
      const state = await getJson<StateJson>('/state');
      expect(state).toMatchObject({
        version: '1.11.0',
        pid: `master@127.0.0.1:${port}`,
        leader: `master@127.0.0.1:${port}`,
        leader_info: { port, hostname: state.hostname },
        activated_slaves: 1,
        deactivated_slaves: 0,
        unreachable_slaves: 0,
        capabilities: ['AGENT_UPDATE', 'QUOTA_V2'],
        flags: { allocation_interval: '50ms', port: String(port), registry: 'postgres' },
      });
      expect(state.elected_time).toBeGreaterThanOrEqual(state.start_time);
      expect(state.slaves).toEqual([
        expect.objectContaining({
          id: agentId,
          hostname: 'agent-1',
          pid: 'slave(1)@127.0.0.1:5051',
          attributes: { rack: 'r1' },
          resources: { cpus: 2, mem: 1024, disk: 0, gpus: 0 },
          offered_resources: { cpus: 2, mem: 1024, disk: 0, gpus: 0 },
          active: true,
          version: 'test',
        }),
      ]);
      expect(state.frameworks).toEqual([
        expect.objectContaining({
          id: frameworkId,
          name: 'ops-test',
          user: 'u',
          role: '*',
          active: true,
          connected: true,
          tasks: [],
          offers: [expect.objectContaining({ id: offer.id.value, slave_id: agentId, allocation_info: { role: '*' } })],
        }),
      ]);
      expect(state.frameworks[0]).not.toHaveProperty('pid');
      for (const alias of ['/master/state', '/state.json', '/master/state.json']) {
        expect((await getJson<StateJson>(alias)).id).toBe(state.id);
      }
    });

    it('filters /frameworks by id', async () => {
      expect((await getJson<FrameworksJson>(`/frameworks?framework_id=${frameworkId}`)).frameworks.map((f) => f.id)).toEqual([frameworkId]);
      expect(await getJson<FrameworksJson>('/master/frameworks?framework_id=nope')).toEqual({
        frameworks: [],
        completed_frameworks: [],
        unregistered_frameworks: [],
      });
    });

    it('serves /metrics/snapshot with counters and gauges', async () => {
      const metrics = await getJson<MetricsJson>('/metrics/snapshot?timeout=5secs');
      expect(metrics).toMatchObject({
        'master/elected': 1,
        'master/slaves_active': 1,
        'master/slaves_connected': 1,
        'master/frameworks_active': 1,
        'master/frameworks_connected': 1,
        'master/cpus_total': 2,
        'master/mem_total': 1024,
        'master/messages_register_framework': 1,
        'master/slave_registrations': 1,
        'allocator/mesos/resources/cpus/total': 2,
        [`master/frameworks/ops-test/${frameworkId}/subscribed`]: 1,
      });
      expect(metrics['allocator/mesos/allocation_runs']).toBeGreaterThanOrEqual(1);
      expect(metrics['master/uptime_secs']).toBeGreaterThan(0);
      expect(metrics['system/cpus_total']).toBeGreaterThan(0);
      expect(Object.values(metrics).every((v) => typeof v === 'number')).toBe(true);
      expect((await get('/master/metrics/snapshot')).status).toBe(200);
    });
  });

  describe('with a running task', () => {
    beforeAll(async () => {
      const offer = await eventually(async () => (await getJson<StateJson>('/state')).frameworks[0]?.offers[0], 'an outstanding offer');
      const launched = new Promise<void>((resolve) => {
        const sub = agentBus.onAgentMessages(agentId, (m) => {
          if (m.kind !== 'run-task') return;
          sub.unsubscribe();
          agentBus.toMaster('status-update', {
            agent_id: { value: agentId },
            framework_id: { value: frameworkId },
            status: { task_id: m.message.task.task_id, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', timestamp: Date.now() / 1000, uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' },
          });
          resolve();
        });
      });
      const accept = await fetch(`${base}/api/v1/scheduler`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': scheduler.streamId },
        body: JSON.stringify({
          type: 'ACCEPT',
          framework_id: { value: frameworkId },
          accept: {
            offer_ids: [{ value: offer.id }],
            operations: [
              {
                type: 'LAUNCH',
                launch: {
                  task_infos: [
                    {
                      name: 'sleeper',
                      task_id: { value: 'task-1' },
                      agent_id: { value: agentId },
                      resources: [
                        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
                        { name: 'mem', type: 'SCALAR', scalar: { value: 128 } },
                      ],
                      command: { value: 'sleep 1000' },
                    },
                  ],
                },
              },
            ],
          },
        }),
      });
      expect(accept.status).toBe(202);
      await launched;
      await eventually(async () => ((await getJson<TasksJson>('/tasks')).tasks[0]?.state === 'TASK_RUNNING' ? true : undefined), 'TASK_RUNNING');
    });

    it('lists the task in /tasks and /state, with its resources in use on the agent', async () => {
      const { tasks } = await getJson<TasksJson>(`/tasks?framework_id=${frameworkId}&order=asc&limit=10&offset=0`);
      expect(tasks).toEqual([
        expect.objectContaining({
          id: 'task-1',
          name: 'sleeper',
          framework_id: frameworkId,
          executor_id: '',
          slave_id: agentId,
          state: 'TASK_RUNNING',
          role: '*',
          resources: { cpus: 0.5, mem: 128, disk: 0, gpus: 0 },
          statuses: [expect.objectContaining({ state: 'TASK_STAGING' }), expect.objectContaining({ state: 'TASK_RUNNING' })],
        }),
      ]);
      const state = await getJson<StateJson>('/state');
      expect(state.slaves[0].used_resources).toEqual({ cpus: 0.5, mem: 128, disk: 0, gpus: 0 });
      expect(state.frameworks[0].used_resources).toEqual({ cpus: 0.5, mem: 128, disk: 0, gpus: 0 });
      expect(state.frameworks[0].tasks.map((t) => t.id)).toEqual(['task-1']);
      const metrics = await getJson<MetricsJson>('/metrics/snapshot');
      expect(metrics).toMatchObject({ 'master/tasks_running': 1, 'master/cpus_used': 0.5, 'master/cpus_percent': 0.25 });
    });

    it('serves /slaves with v1 resources, /state-summary with counts, /roles', async () => {
      const { slaves } = await getJson<SlavesJson>(`/slaves?slave_id=${agentId}`);
      expect(slaves[0].used_resources_full).toEqual([
        expect.objectContaining({ name: 'cpus', scalar: { value: 0.5 }, allocation_info: { role: '*' } }),
        expect.objectContaining({ name: 'mem', scalar: { value: 128 } }),
      ]);
      const summary = await getJson<StateSummaryJson>('/state-summary');
      expect(summary.slaves[0]).toMatchObject({ id: agentId, TASK_RUNNING: 1, framework_ids: [frameworkId] });
      expect(summary.frameworks[0]).toMatchObject({ id: frameworkId, TASK_RUNNING: 1, slave_ids: [agentId] });
      const { roles } = await getJson<{ roles: { name: string; frameworks: string[]; allocated: { cpus: number } }[] }>('/roles');
      expect(roles).toEqual([expect.objectContaining({ name: '*', frameworks: [frameworkId], allocated: expect.objectContaining({ cpus: 0.5 }) })]);
    });
  });

  describe('/tasks validation', () => {
    it.each([
      ['/tasks?limit=-1', "'limit'"],
      ['/tasks?limit=ten', "'limit'"],
      ['/master/tasks?offset=1.5', "'offset'"],
      ['/tasks.json?order=sideways', "'order'"],
    ])('answers %s with a text 400 naming the parameter', async (path, name) => {
      const response = await get(path);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toContain(name);
    });

    it('refuses a bad metrics timeout the same way', async () => {
      const response = await get('/metrics/snapshot?timeout=soon');
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("'timeout'");
    });
  });

  describe('/redirect', () => {
    it.each(['/redirect', '/master/redirect'])('%s answers 307 to the leader', async (path) => {
      const response = await get(path, { redirect: 'manual' });
      expect(response.status).toBe(307);
      expect(response.headers.get('location')).toBe(`//127.0.0.1:${port}`);
    });

    it('answers 404 below it', async () => {
      expect((await get('/redirect/state', { redirect: 'manual' })).status).toBe(404);
    });
  });

  describe('JSONP', () => {
    it('wraps the answer in the callback as text/javascript', async () => {
      const response = await get('/state?jsonp=angular.callbacks._0&_=1700000000');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
      const body = await response.text();
      const match = /^angular\.callbacks\._0\(([\s\S]*)\);$/.exec(body);
      expect(match).not.toBeNull();
      expect((JSON.parse(match?.[1] ?? 'null') as StateJson).hostname).toEqual(expect.any(String));
    });

    it.each(['/metrics/snapshot', '/version', '/flags', '/tasks'])('works on %s', async (path) => {
      const response = await get(`${path}?jsonp=cb`);
      expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await response.text()).toMatch(/^cb\(\{[\s\S]*\}\);$/);
    });

    it('refuses a callback that is not a function name', async () => {
      const response = await get('/state?jsonp=alert(1)//');
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("'jsonp'");
    });
  });

  it('serves /version and /flags', async () => {
    expect(await getJson('/version')).toMatchObject({ version: '1.11.0', agora_version: AGORA_VERSION, build_user: expect.any(String) });
    const { flags } = await getJson<{ flags: Record<string, string> }>('/master/flags');
    expect(flags).toMatchObject({ port: String(port), allocation_interval: '50ms', agent_ping_timeout: '200ms' });
    expect(JSON.stringify(flags)).not.toContain('postgres://');
  });
});
