/**
 * The v1 operator API and the v0 writes over HTTP on a real master (real Postgres registry,
 * in-process bus, fake agents, v1 schedulers): the event stream, GET_STATE against /state,
 * weights that change how offers are split, quota validation and force, TEARDOWN,
 * MARK_AGENT_GONE, durability across a restart, and bad calls. Tests wait for events, never
 * for fixed times.
 */
import type { Event, GetState, OperatorEvent, OperatorResponse } from '@agora/protocol';
import { fromV1 } from '@agora/resources';
import type { FakeAgent } from '../../../../../test/support/fake-agent';
import { startTestMaster, type TestMaster } from '../../../../../test/support/master-harness';
import { operatorCall, operatorGet, OperatorStream } from '../../../../../test/support/operator-client';
import { TestScheduler } from '../../../../../test/support/scheduler-client';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/services';
import type { FrameworksJson, QuotaJson, RolesJson, StateJson } from '../render/json';
import { stateViews } from '../testing/state-agreement';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];
type Answer<T extends OperatorResponse['type']> = Extract<OperatorResponse, { type: T }>;

/** Polls `probe` until it returns a value. */
async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const cpusMem = (cpus: number, mem: number) => [
  { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
  { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
];

/** Waits for an offer on `agentId` (any agent when omitted) and launches one task from it. */
async function launch(s: TestScheduler, taskId: string, options: { agentId?: string; cpus?: number; refuseSeconds?: number } = {}): Promise<Offer> {
  const matches = (o: Offer) => options.agentId === undefined || o.agent_id.value === options.agentId;
  const event = await s.nextOfType('OFFERS', (e) => e.offers.offers.some(matches));
  const offer = event.offers.offers.find(matches) as Offer;
  const answer = await s.call('ACCEPT', {
    accept: {
      offer_ids: [offer.id],
      operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: taskId, task_id: { value: taskId }, agent_id: offer.agent_id, resources: cpusMem(options.cpus ?? 1, 128), command: { value: 'sleep 1000' } }] } }],
      ...(options.refuseSeconds !== undefined ? { filters: { refuse_seconds: options.refuseSeconds } } : {}),
    },
  });
  if (answer.status !== 202) throw new Error(`ACCEPT answered ${answer.status}: ${answer.body}`);
  return offer;
}

/** Waits for the run-task of `taskId` on `agent` and reports it running. */
async function run(agent: FakeAgent, frameworkId: string, taskId: string): Promise<void> {
  await agent.next('run-task', (m) => m.message.task.task_id.value === taskId);
  agent.sendStatus(frameworkId, taskId, 'TASK_RUNNING');
}

const taskIdOf = (e: OperatorEvent): string | undefined =>
  e.type === 'TASK_ADDED' ? e.task_added.task.task_id.value : e.type === 'TASK_UPDATED' ? e.task_updated.status.task_id.value : undefined;

/** A master on its own database, restartable on that database. */
class TestCluster {
  master!: TestMaster;
  /** Streams and schedulers to close before the master stops. */
  private readonly open: { close(): void }[] = [];

  private constructor(readonly database: TestDatabase) {}

  static async start(name: string): Promise<TestCluster> {
    const cluster = new TestCluster(await createTestDatabase(name));
    cluster.master = await startTestMaster(cluster.database.url);
    return cluster;
  }

  get url(): string {
    return this.master.url;
  }

  async subscribe(info: Record<string, unknown>): Promise<TestScheduler> {
    const s = await TestScheduler.subscribe(this.url, { user: 'u', ...info });
    this.open.push({ close: () => s.disconnect() });
    if (s.first?.type !== 'SUBSCRIBED') throw new Error(`subscription refused: ${JSON.stringify(s.first)}`);
    return s;
  }

  async stream(path?: string): Promise<OperatorStream> {
    const stream = await OperatorStream.open(this.url, path);
    this.open.push(stream);
    return stream;
  }

  /** A new master on the same database: what it knows comes from the registry. */
  async restart(): Promise<void> {
    this.closeAll();
    await this.master.stop();
    this.master = await startTestMaster(this.database.url);
  }

  async stop(): Promise<void> {
    this.closeAll();
    await this.master?.stop();
    await this.database.drop();
  }

  private closeAll(): void {
    for (const o of this.open.splice(0)) o.close();
  }
}

describe('operator API v1 (integration)', () => {
  describe('the event stream and the state', () => {
    let c: TestCluster;

    beforeAll(async () => {
      c = await TestCluster.start('operator_v1_events');
    });

    afterAll(() => c?.stop());

    it('streams SUBSCRIBED, then AGENT_ADDED, FRAMEWORK_ADDED, and a task’s TASK_ADDED and TASK_UPDATEDs in order', async () => {
      const stream = await c.stream();
      expect(stream.contentType).toMatch(/^application\/json/);
      const subscribed = await stream.nextOfType('SUBSCRIBED');
      expect(subscribed.subscribed).toEqual({
        heartbeat_interval_seconds: 1,
        get_state: {
          get_tasks: { tasks: [], unreachable_tasks: [], completed_tasks: [] },
          get_executors: { executors: [] },
          get_frameworks: { frameworks: [], completed_frameworks: [] },
          get_agents: { agents: [], recovered_agents: [] },
        },
      });

      const agent = await c.master.agent();
      const added = await stream.nextOfType('AGENT_ADDED');
      expect(added.agent_added.agent).toMatchObject({ agent_info: { id: { value: agent.id }, hostname: agent.hostname }, active: true, pid: 'slave(1)@127.0.0.1:5051' });
      expect(fromV1(added.agent_added.agent.total_resources).quantities().toRecord()).toEqual({ cpus: 4, mem: 4096 });

      // It stays registered, disconnected, after this test (its offers go back to the others).
      const s = await c.subscribe({ name: 'events', failover_timeout: 3600 });
      const fwAdded = await stream.nextOfType('FRAMEWORK_ADDED');
      expect(fwAdded.framework_added.framework).toMatchObject({ framework_info: { id: { value: s.frameworkId }, name: 'events' }, active: true, connected: true, recovered: false });

      await launch(s, 't1');
      await run(agent, s.frameworkId, 't1');
      await s.update('t1', 'TASK_RUNNING');
      agent.sendStatus(s.frameworkId, 't1', 'TASK_FINISHED');
      await s.acknowledge((await s.update('t1', 'TASK_FINISHED')).update.status);
      await eventually(() => (stream.events.some((e) => e.type === 'TASK_UPDATED' && e.task_updated.state === 'TASK_FINISHED') ? true : undefined), 'TASK_UPDATED to TASK_FINISHED');
      const history = stream.events.filter((e) => taskIdOf(e) === 't1');
      expect(history.map((e) => (e.type === 'TASK_UPDATED' ? `${e.type} ${e.task_updated.state}` : e.type))).toEqual([
        'TASK_ADDED',
        'TASK_UPDATED TASK_RUNNING',
        'TASK_UPDATED TASK_FINISHED',
      ]);
      expect(history[0]).toMatchObject({
        task_added: { task: { task_id: { value: 't1' }, framework_id: { value: s.frameworkId }, agent_id: { value: agent.id }, state: 'TASK_STAGING' } },
      });
      expect(history[1]).toMatchObject({ task_updated: { framework_id: { value: s.frameworkId }, status: { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' } } });
      s.disconnect();
      const updated = await stream.nextOfType('FRAMEWORK_UPDATED');
      expect(updated.framework_updated.framework).toMatchObject({ connected: false, active: false, unregistered_time: { nanoseconds: expect.any(Number) } });
    });

    it('sends HEARTBEAT every heartbeat interval, also on /master/api/v1', async () => {
      const stream = await c.stream('/master/api/v1');
      await stream.nextOfType('SUBSCRIBED');
      await stream.nextOfType('HEARTBEAT');
    });

    it('GET_STATE agrees with /state: the same agents, frameworks, tasks, states and resources', async () => {
      const agent = await c.master.agent(cpusMem(2, 1024), 'state-agent');
      const s = await c.subscribe({ name: 'state', capabilities: [{ type: 'PARTITION_AWARE' }] });
      await launch(s, 'running', { agentId: agent.id });
      await run(agent, s.frameworkId, 'running');
      await s.update('running', 'TASK_RUNNING');
      // Two requests see the same cluster once offers stop moving between them.
      await eventually(async () => {
        const before = (await (await fetch(`${c.url}/state`)).json()) as StateJson;
        const { get_state } = await operatorGet<Answer<'GET_STATE'>>(c.url, 'GET_STATE');
        const after = (await (await fetch(`${c.url}/state`)).json()) as StateJson;
        const views = stateViews(before, get_state);
        const settled = JSON.stringify(stateViews(after, get_state).v0) === JSON.stringify(views.v0);
        return settled && JSON.stringify(views.v1) === JSON.stringify(views.v0) ? true : undefined;
      }, 'GET_STATE and /state agreeing');
      const { get_state } = await operatorGet<Answer<'GET_STATE'>>(c.url, 'GET_STATE');
      expect(get_state.get_tasks.tasks.map((t) => [t.task_id.value, t.state, t.agent_id.value])).toEqual([['running', 'TASK_RUNNING', agent.id]]);
      expect(get_state.get_tasks.completed_tasks.map((t) => [t.task_id.value, t.state])).toEqual([['t1', 'TASK_FINISHED']]);
    });

    it('answers the read calls with {type, <type in snake_case>}, also under /master/api/v1', async () => {
      expect(await operatorGet(c.url, 'GET_HEALTH')).toEqual({ type: 'GET_HEALTH', get_health: { healthy: true } });
      const version = await operatorGet<Answer<'GET_VERSION'>>(c.url, 'GET_VERSION');
      expect(version.get_version.version_info.version).toBe('1.11.0');
      const flags = await operatorGet<Answer<'GET_FLAGS'>>(c.url, 'GET_FLAGS');
      expect(flags.get_flags.flags).toContainEqual({ name: 'allocation_interval', value: '50ms' });
      const metrics = await operatorGet<Answer<'GET_METRICS'>>(c.url, 'GET_METRICS', { get_metrics: { timeout: { nanoseconds: 5e9 } } });
      expect(metrics.get_metrics.metrics).toContainEqual({ name: 'master/elected', value: 1 });
      const master = await operatorGet<Answer<'GET_MASTER'>>(c.url, 'GET_MASTER');
      expect(master.get_master.master_info.port).toBe(Number(new URL(c.url).port));
      expect(master.get_master.elected_time).toBeGreaterThanOrEqual(master.get_master.start_time);
      expect(await operatorGet(c.url, 'GET_EXECUTORS')).toEqual({ type: 'GET_EXECUTORS', get_executors: { executors: [] } });
      const agents = await operatorGet<Answer<'GET_AGENTS'>>(c.url, 'GET_AGENTS');
      expect(agents.get_agents.agents).toHaveLength(2);
      const frameworks = await operatorGet<Answer<'GET_FRAMEWORKS'>>(c.url, 'GET_FRAMEWORKS');
      expect(frameworks.get_frameworks.frameworks.map((f) => [f.framework_info.name, f.connected]).sort()).toEqual([['events', false], ['state', true]]);
      const roles = await operatorGet<Answer<'GET_ROLES'>>(c.url, 'GET_ROLES');
      expect(roles.get_roles.roles.map((r) => [r.name, r.weight, r.frameworks.length])).toEqual([['*', 1, 2]]);
      const tasks = await operatorGet<Answer<'GET_TASKS'>>(c.url, 'GET_TASKS');
      expect(tasks.get_tasks.tasks.map((t) => t.task_id.value)).toEqual(['running']);
      const alias = await operatorCall(c.url, { type: 9 }, {}, '/master/api/v1');
      expect(alias.status).toBe(200);
      expect(alias.contentType).toMatch(/^application\/json/);
      expect((JSON.parse(alias.body) as { type: string; get_state: GetState }).type).toBe('GET_STATE');
    });

    const raw = async (url: string, init: RequestInit): Promise<{ status: number; body: string; contentType?: string }> => {
      const response = await fetch(`${url}/api/v1`, init);
      return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') ?? undefined };
    };

    it.each<[string, number, (url: string) => Promise<{ status: number; body: string; contentType?: string }>, string]>([
      ['GET', 405, (url) => raw(url, {}), "Expecting a 'POST' request, received 'GET'"],
      ['no Content-Type', 400, (url) => raw(url, { method: 'POST', body: new Uint8Array([123, 125]) }), "Expecting 'Content-Type' to be present"],
      ['text/plain', 415, (url) => operatorCall(url, '{"type":"GET_STATE"}', { 'Content-Type': 'text/plain' }), 'application/json'],
      ['protobuf', 415, (url) => operatorCall(url, 'x', { 'Content-Type': 'application/x-protobuf' }), 'JSON operator API'],
      ['malformed JSON', 400, (url) => operatorCall(url, '{"type":'), 'call: malformed JSON'],
      ['an empty body', 400, (url) => operatorCall(url, ''), 'request body is empty'],
      ['an unknown type', 400, (url) => operatorCall(url, { type: 'GET_EVERYTHING' }), 'call.type: unknown call type "GET_EVERYTHING"'],
      ['UPDATE_WEIGHTS without its body', 400, (url) => operatorCall(url, { type: 'UPDATE_WEIGHTS' }), 'call.update_weights: is required'],
      ['a weight of the wrong type', 400, (url) => operatorCall(url, { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'r', weight: 'heavy' }] } }), 'call.update_weights.weight_infos[0].weight: expected a number'],
      ['TEARDOWN without framework_id', 400, (url) => operatorCall(url, { type: 'TEARDOWN', teardown: {} }), 'call.teardown.framework_id: is required'],
      ['TEARDOWN of an unknown framework', 400, (url) => operatorCall(url, { type: 'TEARDOWN', teardown: { framework_id: { value: 'nope' } } }), 'No framework found with ID nope'],
      ['MARK_AGENT_GONE of an unknown agent', 404, (url) => operatorCall(url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: 'nope' } } }), "Agent 'nope' not found"],
      ['a negative metrics timeout', 400, (url) => operatorCall(url, { type: 'GET_METRICS', get_metrics: { timeout: { nanoseconds: -1 } } }), 'call.get_metrics.timeout.nanoseconds'],
      ['a call Agora does not implement', 501, (url) => operatorCall(url, { type: 'RESERVE_RESOURCES' }), 'RESERVE_RESOURCES'],
      ['an Accept without JSON', 406, (url) => operatorCall(url, { type: 'GET_HEALTH' }, { Accept: 'text/html' }), "Expecting 'Accept'"],
    ])('refuses %s with %d and a text body naming the problem', async (_case, status, send, text) => {
      const answer = await send(c.url);
      expect(answer.status).toBe(status);
      expect(answer.contentType).toMatch(/^text\/plain/);
      expect(answer.body).toContain(text);
    });
  });

  describe('weights', () => {
    let c: TestCluster;

    beforeAll(async () => {
      c = await TestCluster.start('operator_v1_weights');
    });

    afterAll(() => c?.stop());

    it('/weights PUT then GET, and GET_WEIGHTS, under every alias', async () => {
      const put = await fetch(`${c.url}/weights`, { method: 'PUT', body: '[{"role":"r1","weight":2.0},{"role":"r2","weight":0.5}]' });
      expect([put.status, await put.text()]).toEqual([200, '']);
      const weights = [{ role: 'r1', weight: 2 }, { role: 'r2', weight: 0.5 }];
      expect(await (await fetch(`${c.url}/weights`)).json()).toEqual(weights);
      expect(await (await fetch(`${c.url}/master/weights`)).json()).toEqual(weights);
      expect(await operatorGet(c.url, 'GET_WEIGHTS')).toEqual({ type: 'GET_WEIGHTS', get_weights: { weight_infos: weights } });
      const { roles } = (await (await fetch(`${c.url}/roles`)).json()) as RolesJson;
      expect(roles.map((r) => [r.name, r.weight])).toEqual([['r1', 2], ['r2', 0.5]]);
    });

    it.each([
      ['malformed JSON', '[{"role":', 'Failed to parse update weights request JSON'],
      ['not an array', '{"role":"r1","weight":1}', 'expected a JSON array'],
      ['a weight that is not positive', '[{"role":"r1","weight":0}]', "for role 'r1': Invalid weight '0': Weights must be positive"],
      ['an invalid role', '[{"role":"a b","weight":1}]', "Invalid role 'a b'"],
    ])('/weights PUT refuses %s with a text 400', async (_case, body, text) => {
      const response = await fetch(`${c.url}/master/weights`, { method: 'PUT', body });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toContain(text);
    });

    it('UPDATE_WEIGHTS changes how offers are split: the role weighing 3 gets more than the role weighing 1', async () => {
      const update = await operatorCall(c.url, { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'light', weight: 1 }, { role: 'heavy', weight: 3 }] } });
      expect([update.status, update.body]).toEqual([200, '']);
      const light = await c.subscribe({ name: 'light', roles: ['light'], capabilities: [{ type: 'MULTI_ROLE' }] });
      const heavy = await c.subscribe({ name: 'heavy', roles: ['heavy'], capabilities: [{ type: 'MULTI_ROLE' }] });
      for (let i = 0; i < 8; i++) await c.master.agent(undefined, `weighed-${i}`);
      // Both hold their offers, so once every agent is offered the split is what DRF decided.
      const offered = await eventually(async () => {
        const { get_state } = await operatorGet<Answer<'GET_STATE'>>(c.url, 'GET_STATE');
        const cpus = new Map(get_state.get_frameworks.frameworks.map((f) => [f.framework_info.id.value, fromV1(f.offered_resources).scalar('cpus') / 1000]));
        const lightCpus = cpus.get(light.frameworkId) ?? 0;
        const heavyCpus = cpus.get(heavy.frameworkId) ?? 0;
        return lightCpus + heavyCpus === 32 ? { lightCpus, heavyCpus } : undefined;
      }, 'all 32 cpus offered');
      expect(offered.heavyCpus).toBeGreaterThan(offered.lightCpus);
      expect(offered.lightCpus).toBeGreaterThan(0);
    });

    it('keeps weights in the registry: a master started on the same database has them', async () => {
      await c.restart();
      const weights = await operatorGet<Answer<'GET_WEIGHTS'>>(c.url, 'GET_WEIGHTS');
      expect(weights.get_weights.weight_infos).toEqual([
        { role: 'heavy', weight: 3 },
        { role: 'light', weight: 1 },
        { role: 'r1', weight: 2 },
        { role: 'r2', weight: 0.5 },
      ]);
    });
  });

  describe('quota', () => {
    let c: TestCluster;

    beforeAll(async () => {
      c = await TestCluster.start('operator_v1_quota');
      const agent = await c.master.agent();
      const eng = await c.subscribe({ name: 'eng', role: 'eng' });
      await launch(eng, 'two-cpus', { cpus: 2 });
      await run(agent, eng.frameworkId, 'two-cpus');
      await eng.update('two-cpus', 'TASK_RUNNING');
    });

    afterAll(() => c?.stop());

    const updateQuota = (configs: Record<string, unknown>[], force?: boolean) =>
      operatorCall(c.url, { type: 'UPDATE_QUOTA', update_quota: { ...(force !== undefined ? { force } : {}), quota_configs: configs } });
    const NO_QUOTA = { type: 'GET_QUOTA', get_quota: { status: { infos: [], configs: [] } } };

    it.each<[string, Record<string, unknown>, string]>([
      ['a limit below what the role consumes', { role: 'eng', limits: { cpus: { value: 1 } } }, "Role 'eng' is already consuming 'cpus:2;mem:128'; this is more than the requested limits 'cpus:1' (use 'force' flag to bypass this check)"],
      ['guarantees beyond the cluster', { role: 'eng', guarantees: { cpus: { value: 5 } } }, "total quota guarantees 'cpus:5' exceed cluster capacity 'cpus:4;mem:4096' (use 'force' flag to bypass this check)"],
      ['a guarantee above its limit', { role: 'ops', guarantees: { cpus: { value: 2 } }, limits: { cpus: { value: 1 } } }, "'QuotaConfig.guarantees' {cpus:2} is not contained within the 'QuotaConfig.limits' {cpus:1}"],
      ['a nested role, saying quota is for top-level roles only', { role: 'eng/web', limits: { cpus: { value: 1 } } }, "Updating quota on nested role 'eng/web' is not supported yet: quota is set on top-level roles only"],
    ])('UPDATE_QUOTA refuses %s with a text 400', async (_case, config, text) => {
      const answer = await updateQuota([config]);
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/^text\/plain/);
      expect(answer.body).toContain(text);
      expect(await operatorGet(c.url, 'GET_QUOTA')).toEqual(NO_QUOTA);
    });

    it('UPDATE_QUOTA with force sets a limit below consumption; GET_QUOTA, /quota and /roles show it', async () => {
      const forced = await updateQuota([{ role: 'eng', guarantees: { cpus: { value: 0.5 } }, limits: { cpus: { value: 1 } } }], true);
      expect([forced.status, forced.body]).toEqual([200, '']);
      expect(await operatorGet(c.url, 'GET_QUOTA')).toEqual({
        type: 'GET_QUOTA',
        get_quota: {
          status: {
            infos: [{ role: 'eng', guarantee: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }] }],
            configs: [{ role: 'eng', guarantees: { cpus: { value: 0.5 } }, limits: { cpus: { value: 1 } } }],
          },
        },
      });
      const quota = (await (await fetch(`${c.url}/master/quota`)).json()) as QuotaJson;
      expect(quota.configs).toEqual([{ role: 'eng', guarantees: { cpus: { value: 0.5 } }, limits: { cpus: { value: 1 } }, consumed: { cpus: { value: 2 }, mem: { value: 128 } } }]);
      const { roles } = (await (await fetch(`${c.url}/roles`)).json()) as RolesJson;
      expect(roles.find((r) => r.name === 'eng')?.quota).toEqual({ role: 'eng', guarantee: { cpus: 0.5 }, limit: { cpus: 1 }, consumed: { cpus: 2, mem: 128 } });
    });

    it('keeps quotas in the registry, and an empty config removes one', async () => {
      await c.restart();
      const status = await operatorGet<Answer<'GET_QUOTA'>>(c.url, 'GET_QUOTA');
      expect(status.get_quota.status.configs).toEqual([{ role: 'eng', guarantees: { cpus: { value: 0.5 } }, limits: { cpus: { value: 1 } } }]);
      expect((await updateQuota([{ role: 'eng' }])).status).toBe(200);
      expect(await operatorGet(c.url, 'GET_QUOTA')).toEqual(NO_QUOTA);
    });
  });

  describe('TEARDOWN', () => {
    let c: TestCluster;

    beforeAll(async () => {
      c = await TestCluster.start('operator_v1_teardown');
    });

    afterAll(() => c?.stop());

    it('TEARDOWN (v1) kills the framework’s tasks and removes it; its id is then unknown', async () => {
      const stream = await c.stream();
      const agent = await c.master.agent();
      const doomed = await c.subscribe({ name: 'doomed' });
      await launch(doomed, 'victim');
      await run(agent, doomed.frameworkId, 'victim');
      await doomed.update('victim', 'TASK_RUNNING');
      const teardown = await operatorCall(c.url, { type: 'TEARDOWN', teardown: { framework_id: { value: doomed.frameworkId } } });
      expect([teardown.status, teardown.body]).toEqual([200, '']);
      await agent.next('shutdown-framework', (msg) => msg.message.framework_id.value === doomed.frameworkId);
      const killed = await stream.nextOfType('TASK_UPDATED', (e) => e.task_updated.state === 'TASK_KILLED');
      expect(killed.task_updated.status.reason).toBe('REASON_FRAMEWORK_REMOVED');
      const removed = await stream.nextOfType('FRAMEWORK_REMOVED');
      expect(removed.framework_removed.framework_info).toMatchObject({ id: { value: doomed.frameworkId }, name: 'doomed' });
      const frameworks = (await (await fetch(`${c.url}/frameworks`)).json()) as FrameworksJson;
      expect(frameworks.completed_frameworks.map((f) => f.id)).toEqual([doomed.frameworkId]);
      const again = await operatorCall(c.url, { type: 'TEARDOWN', teardown: { framework_id: { value: doomed.frameworkId } } });
      expect([again.status, again.body]).toEqual([400, `No framework found with ID ${doomed.frameworkId}`]);
    });

    it('/teardown (v0) takes the form frameworkId=…', async () => {
      const form = await c.subscribe({ name: 'form' });
      const post = (body: string) => fetch(`${c.url}/master/teardown`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
      const torn = await post(`frameworkId=${encodeURIComponent(form.frameworkId)}`);
      expect([torn.status, await torn.text()]).toEqual([200, '']);
      await eventually(() => (form.closed ? true : undefined), 'the torn-down scheduler’s stream to close');
      const again = await post(`frameworkId=${encodeURIComponent(form.frameworkId)}`);
      expect([again.status, await again.text()]).toEqual([400, `No framework found with ID ${form.frameworkId}`]);
      const missing = await fetch(`${c.url}/teardown`, { method: 'POST', body: 'framework=x' });
      expect([missing.status, await missing.text()]).toEqual([400, "Missing 'frameworkId' query parameter in the request body"]);
    });
  });

  describe('MARK_AGENT_GONE', () => {
    let c: TestCluster;

    beforeEach(async () => {
      c = await TestCluster.start('operator_v1_gone');
    });

    afterEach(() => c?.stop());

    it('of a registered agent: tasks LOST (GONE_BY_OPERATOR when partition-aware), FAILURE, AGENT_REMOVED, the agent shut down for good', async () => {
      const legacy = await c.subscribe({ name: 'legacy' });
      const aware = await c.subscribe({ name: 'aware', capabilities: [{ type: 'PARTITION_AWARE' }] });
      const stream = await c.stream();
      await stream.nextOfType('SUBSCRIBED');
      const agent = await c.master.agent(cpusMem(4, 4096), 'to-be-gone');
      // Each framework refuses the rest of the agent after its launch, so the other gets it next.
      await Promise.all([
        launch(legacy, 'legacy-task', { refuseSeconds: 3600 }).then(() => run(agent, legacy.frameworkId, 'legacy-task')),
        launch(aware, 'aware-task', { refuseSeconds: 3600 }).then(() => run(agent, aware.frameworkId, 'aware-task')),
      ]);
      await legacy.update('legacy-task', 'TASK_RUNNING');
      await aware.update('aware-task', 'TASK_RUNNING');

      const gone = await operatorCall(c.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agent.id } } });
      expect([gone.status, gone.body]).toEqual([200, '']);
      const lost = await legacy.update('legacy-task', 'TASK_LOST');
      expect(lost.update.status).toMatchObject({ reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER', agent_id: { value: agent.id } });
      const goneByOperator = await aware.update('aware-task', 'TASK_GONE_BY_OPERATOR');
      expect(goneByOperator.update.status.reason).toBe('REASON_AGENT_REMOVED_BY_OPERATOR');
      for (const s of [legacy, aware]) await s.nextOfType('FAILURE', (e) => e.failure.agent_id?.value === agent.id);
      expect((await agent.next('shutdown')).message.message).toContain('marked gone');
      await stream.nextOfType('TASK_UPDATED', (e) => e.task_updated.state === 'TASK_GONE_BY_OPERATOR');
      await stream.nextOfType('TASK_UPDATED', (e) => e.task_updated.state === 'TASK_LOST');
      await stream.nextOfType('AGENT_REMOVED', (e) => e.agent_removed.agent_id.value === agent.id);

      expect(await agent.reregister()).toMatchObject({ result: 'REFUSED', shutdown: true });
      const { get_state } = await operatorGet<Answer<'GET_STATE'>>(c.url, 'GET_STATE');
      expect(get_state.get_agents.agents).toEqual([]);
      expect(get_state.get_tasks.completed_tasks.map((t) => [t.task_id.value, t.state]).sort()).toEqual([
        ['aware-task', 'TASK_GONE_BY_OPERATOR'],
        ['legacy-task', 'TASK_LOST'],
      ]);
      const twice = await operatorCall(c.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agent.id } } });
      expect(twice.status).toBe(200);
    });

    it('of an unreachable agent: its unreachable tasks become GONE_BY_OPERATOR, and it may not come back', async () => {
      const aware = await c.subscribe({ name: 'partitioned', capabilities: [{ type: 'PARTITION_AWARE' }] });
      const agent = await c.master.agent(cpusMem(1, 512), 'partitioned-agent');
      await launch(aware, 'cut-off');
      await run(agent, aware.frameworkId, 'cut-off');
      await aware.update('cut-off', 'TASK_RUNNING');
      agent.answerPings = false;
      await aware.update('cut-off', 'TASK_UNREACHABLE');
      const gone = await operatorCall(c.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agent.id } } });
      expect(gone.status).toBe(200);
      await aware.update('cut-off', 'TASK_GONE_BY_OPERATOR');
      const { get_state } = await operatorGet<Answer<'GET_STATE'>>(c.url, 'GET_STATE');
      expect(get_state.get_tasks.unreachable_tasks).toEqual([]);
      expect(get_state.get_tasks.completed_tasks.map((t) => [t.task_id.value, t.state])).toEqual([['cut-off', 'TASK_GONE_BY_OPERATOR']]);
      expect(await agent.reregister()).toMatchObject({ result: 'REFUSED', shutdown: true });
    });
  });
});
