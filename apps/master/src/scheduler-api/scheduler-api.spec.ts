import type { Event } from '@agora/protocol';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/services';
import { startTestMaster, type TestMaster } from '../../../../test/support/master-harness';
import { postCall, TestScheduler } from '../../../../test/support/scheduler-client';

/**
 * The semantics of the scheduler API (reference §1, §6.2) against a real master with fake
 * agents on an in-process bus: what a framework sees for each call.
 */
describe('scheduler API semantics', () => {
  let database: TestDatabase;
  let master: TestMaster;
  const schedulers: TestScheduler[] = [];

  const FW = { user: 'test', name: 'semantics' };

  async function subscribe(info: Record<string, unknown> = FW, extra?: Record<string, unknown>): Promise<TestScheduler> {
    const s = await TestScheduler.subscribe(master.url, info, extra);
    schedulers.push(s);
    return s;
  }

  type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];

  async function offer(s: TestScheduler, match: (o: Offer) => boolean = () => true): Promise<Offer> {
    const e = await s.nextOfType('OFFERS', (ev) => ev.offers.offers.some(match));
    return e.offers.offers.find(match)!;
  }

  function launch(s: TestScheduler, o: Offer, tasks: Record<string, unknown>[], filters?: Record<string, unknown>): ReturnType<TestScheduler['call']> {
    return s.call('ACCEPT', {
      accept: { offer_ids: [o.id], operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], ...(filters ? { filters } : {}) },
    });
  }

  function task(id: string, o: Offer, cpus = 1, mem = 128): Record<string, unknown> {
    return {
      name: id,
      task_id: { value: id },
      agent_id: o.agent_id,
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
        { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
      ],
      command: { value: 'true' },
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase('scheduler_api');
  });

  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(async () => {
    master = await startTestMaster(database.url);
  });

  afterEach(async () => {
    schedulers.splice(0).forEach((s) => s.disconnect());
    await master.stop();
  });

  describe('the stream', () => {
    it('starts with SUBSCRIBED carrying the framework id, heartbeat interval and master info, then heartbeats', async () => {
      const s = await subscribe();
      expect(s.streamId).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.frameworkId).toMatch(/-0000$/);
      await s.nextOfType('HEARTBEAT');
    });

    it.each<[string, (s: TestScheduler) => Promise<{ status: number; body: string }>, number, RegExp]>([
      ['a call without Mesos-Stream-Id', (s) => s.call('REVIVE', {}, {}), 400, /should include the 'Mesos-Stream-Id' header/],
      ['a call with another stream id', (s) => s.call('REVIVE', {}, { 'Mesos-Stream-Id': 'nope' }), 400, /didn't match the stream ID/],
      ['a call for an unknown framework', (s) => postCall(s.master, { type: 'REVIVE', framework_id: { value: 'nope' } }, { 'Mesos-Stream-Id': s.streamId }), 400, /Framework cannot be found/],
      ['a SUBSCRIBE carrying a stream id', (s) => postCall(s.master, { type: 'SUBSCRIBE', subscribe: { framework_info: FW } }, { 'Mesos-Stream-Id': s.streamId }), 400, /should not include the 'Mesos-Stream-Id'/],
    ])('refuses %s', async (_name, send, status, body) => {
      const s = await subscribe();
      const answer = await send(s);
      expect(answer.status).toBe(status);
      expect(answer.body).toMatch(body);
    });

    it('answers 403 to a framework whose scheduler is disconnected (within its failover timeout)', async () => {
      const s = await subscribe({ ...FW, failover_timeout: 60 });
      const { frameworkId, streamId } = s;
      s.disconnect();
      await waitFor(async () => (await postCall(master.url, { type: 'REVIVE', framework_id: { value: frameworkId } }, { 'Mesos-Stream-Id': streamId })).status === 403);
    });

    it('answers 202 to calls and 200 to UPDATE_FRAMEWORK', async () => {
      const s = await subscribe();
      expect((await s.call('REVIVE')).status).toBe(202);
      const update = await s.call('UPDATE_FRAMEWORK', { update_framework: { framework_info: { ...FW, id: { value: s.frameworkId } } } });
      expect(update).toMatchObject({ status: 200 });
    });

    it('refuses an UPDATE_FRAMEWORK that changes the principal with 400', async () => {
      const s = await subscribe({ ...FW, principal: 'a' });
      const answer = await s.call('UPDATE_FRAMEWORK', { update_framework: { framework_info: { ...FW, principal: 'b', id: { value: s.frameworkId } } } });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatch(/principal/);
    });

    it('sends ERROR instead of SUBSCRIBED for an invalid role', async () => {
      const s = await subscribe({ ...FW, role: '../x' });
      expect(s.first).toEqual({ type: 'ERROR', error: { message: expect.stringMatching(/^Role '\.\.\/x' is invalid/) } });
      expect(s.frameworkId).toBe('');
    });
  });

  describe('offers', () => {
    it('offers an agent with url, hostname, agent id, allocation role and the agent resources', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      expect(o).toMatchObject({
        agent_id: { value: agent.id },
        hostname: agent.hostname,
        framework_id: { value: s.frameworkId },
        url: { scheme: 'http', address: { hostname: agent.hostname, ip: '127.0.0.1', port: 5051 } },
        allocation_info: { role: '*' },
      });
      expect(o.resources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'cpus', scalar: { value: 4 }, role: '*', allocation_info: { role: '*' } })]));
    });

    it('does not re-offer declined resources to the framework while the filter holds, and does after REVIVE', async () => {
      const s = await subscribe();
      await master.agent();
      const o = await offer(s);
      expect((await s.call('DECLINE', { decline: { offer_ids: [o.id], filters: { refuse_seconds: 3600 } } })).status).toBe(202);
      await sleep(300); // several allocation cycles
      expect(s.events.filter((e) => e.type === 'OFFERS')).toEqual([]);
      await s.call('REVIVE');
      await offer(s);
    });

    it('makes no offers to a suppressed framework until it revives', async () => {
      const s = await subscribe();
      await s.call('SUPPRESS');
      await master.agent();
      await sleep(300);
      expect(s.events.filter((e) => e.type === 'OFFERS')).toEqual([]);
      await s.call('REVIVE');
      await offer(s);
    });

    it('rescinds offers left unanswered past the offer timeout', async () => {
      await master.stop();
      master = await startTestMaster(database.url, { AGORA_OFFER_TIMEOUT_MS: '200' });
      const s = await subscribe();
      await master.agent();
      const o = await offer(s);
      const rescind = await s.nextOfType('RESCIND');
      expect(rescind.rescind.offer_id).toEqual(o.id);
    });
  });

  describe('launching', () => {
    it('runs a task through STAGING at the agent and forwards its updates; acknowledgements reach the agent; resources come back', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      expect((await launch(s, o, [task('t1', o)])).status).toBe(202);
      const run = await agent.next('run-task');
      expect(run.message.task.task_id.value).toBe('t1');
      expect(run.message.framework.id.value).toBe(s.frameworkId);
      expect(run.message.task.resources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'cpus', allocation_info: { role: '*' } })]));

      const uuid = agent.sendStatus(s.frameworkId, 't1', 'TASK_RUNNING');
      const running = await s.update('t1', 'TASK_RUNNING');
      expect(running.update.status.uuid).toBe(uuid);
      await s.acknowledge(running.update.status);
      const ack = await agent.next('status-ack');
      expect(ack.message).toMatchObject({ task_id: { value: 't1' }, uuid });

      const done = agent.sendStatus(s.frameworkId, 't1', 'TASK_FINISHED');
      const finished = await s.update('t1', 'TASK_FINISHED');
      await s.acknowledge(finished.update.status);
      expect((await agent.next('status-ack')).message.uuid).toBe(done);
      // The whole agent is offered again once the task is done.
      await offer(s, (x) => x.resources!.some((r) => r.name === 'cpus' && r.scalar?.value === 4));
    });

    it('forwards a retried update again until it is acknowledged', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [task('t1', o)]);
      await agent.next('run-task');
      const uuid = agent.sendStatus(s.frameworkId, 't1', 'TASK_RUNNING');
      await s.update('t1', 'TASK_RUNNING');
      agent.sendStatus(s.frameworkId, 't1', 'TASK_RUNNING', { uuid });
      const again = await s.update('t1', 'TASK_RUNNING');
      expect(again.update.status.uuid).toBe(uuid);
    });

    it('releases the resources of a task whose retried update says its latest state is terminal', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [task('t1', o)]);
      await agent.next('run-task');
      const uuid = agent.sendStatus(s.frameworkId, 't1', 'TASK_STARTING');
      await s.update('t1', 'TASK_STARTING');
      // Unacknowledged, the head goes out again: the task has ended meanwhile.
      agent.sendStatus(s.frameworkId, 't1', 'TASK_STARTING', { uuid, latest: 'TASK_FINISHED' });
      await s.update('t1', 'TASK_STARTING');
      await offer(s, (x) => x.resources!.some((r) => r.name === 'cpus' && r.scalar?.value === 4));
    });

    it('releases the resources of a task the agent says ended, before its updates arrive, and tells the framework nothing', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [task('t1', o)]);
      await agent.next('run-task');
      agent.sendStatus(s.frameworkId, 't1', 'TASK_STARTING');
      await s.update('t1', 'TASK_STARTING');
      agent.sendTaskEnded(s.frameworkId, 't1', 'TASK_FINISHED');
      await offer(s, (x) => x.resources!.some((r) => r.name === 'cpus' && r.scalar?.value === 4));
      // Taken events leave the queue: none has come since STARTING.
      expect(s.events.filter((e) => e.type === 'UPDATE')).toEqual([]);
    });

    it('fails every task of an ACCEPT with invalid offers as TASK_LOST (TASK_DROPPED when partition-aware)', async () => {
      const legacy = await subscribe();
      await master.agent();
      const o = await offer(legacy);
      await legacy.call('DECLINE', { decline: { offer_ids: [o.id] } });
      await launch(legacy, o, [task('late', o)]);
      const lost = await legacy.update('late', 'TASK_LOST');
      expect(lost.update.status).toMatchObject({ reason: 'REASON_INVALID_OFFERS', source: 'SOURCE_MASTER' });
      expect(lost.update.status.uuid).toBeUndefined();

      const aware = await subscribe({ ...FW, name: 'aware', capabilities: [{ type: 'PARTITION_AWARE' }] });
      await launch(aware, { ...o, id: { value: 'no-such-offer' } }, [task('x', o)]);
      expect((await aware.update('x', 'TASK_DROPPED')).update.status.reason).toBe('REASON_INVALID_OFFERS');
    });

    it.each<[string, (o: Offer) => Record<string, unknown>[], string, RegExp]>([
      ['more resources than offered', (o) => [task('big', o, 64)], 'big', /more than available/],
      ['a duplicate task id in one call', (o) => [task('dup', o), task('dup', o)], 'dup', /duplicate ID/],
      ['no command and no executor', (o) => [{ ...task('bare', o), command: undefined }], 'bare', /CommandInfo or ExecutorInfo/],
      ['no resources', (o) => [{ ...task('none', o), resources: [] }], 'none', /uses no resources/],
      ['another agent', (o) => [{ ...task('elsewhere', o), agent_id: { value: 'other' } }], 'elsewhere', /invalid agent/],
    ])('answers a task with %s with TASK_ERROR', async (_name, tasks, id, message) => {
      const s = await subscribe();
      await master.agent();
      const o = await offer(s);
      await launch(s, o, tasks(o));
      const error = await s.update(id, 'TASK_ERROR');
      expect(error.update.status).toMatchObject({ reason: 'REASON_TASK_INVALID', source: 'SOURCE_MASTER' });
      expect(error.update.status.message).toMatch(message);
    });
  });

  describe('executors and task groups', () => {
    const executor = (id: string, type: 'CUSTOM' | 'DEFAULT' = 'CUSTOM'): Record<string, unknown> => ({
      executor_id: { value: id },
      type,
      ...(type === 'CUSTOM' ? { command: { value: './my-executor' } } : {}),
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
      ],
    });

    it('launches tasks on a custom executor, charging the executor once and freeing it when it exits', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [
        { ...task('e1', o), command: undefined, executor: executor('ex') },
        { ...task('e2', o), command: undefined, executor: executor('ex') },
      ], { refuse_seconds: 0 });
      const first = await agent.next('run-task');
      expect(first.message.task.executor).toMatchObject({ executor_id: { value: 'ex' }, framework_id: { value: s.frameworkId } });
      await agent.next('run-task');
      // 4 cpus - 2 tasks of 1 - one executor of 0.5 = 1.5 left over, offered again.
      const rest = await offer(s, (x) => x.resources!.some((r) => r.name === 'cpus' && r.scalar?.value === 1.5));
      await s.call('DECLINE', { decline: { offer_ids: [rest.id], filters: { refuse_seconds: 0 } } });
      for (const id of ['e1', 'e2']) {
        const uuid = agent.sendStatus(s.frameworkId, id, 'TASK_FINISHED');
        const done = await s.update(id, 'TASK_FINISHED');
        expect(done.update.status.uuid).toBe(uuid);
        await s.acknowledge(done.update.status);
      }
      agent.bus.toMaster('executor-exited', { agent_id: { value: agent.id }, framework_id: { value: s.frameworkId }, executor_id: { value: 'ex' }, status: 0 });
      const failure = await s.nextOfType('FAILURE');
      expect(failure.failure).toMatchObject({ agent_id: { value: agent.id }, executor_id: { value: 'ex' }, status: 0 });
      await offer(s, (x) => x.resources!.some((r) => r.name === 'cpus' && r.scalar?.value === 4));
    });

    it('sends a task group to its agent in one message', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      const answer = await s.call('ACCEPT', {
        accept: {
          offer_ids: [o.id],
          operations: [{ type: 'LAUNCH_GROUP', launch_group: { executor: executor('group', 'DEFAULT'), task_group: { tasks: [task('g1', o), task('g2', o)] } } }],
        },
      });
      expect(answer.status).toBe(202);
      const group = await agent.next('run-task-group');
      expect(group.message.executor).toMatchObject({ executor_id: { value: 'group' }, type: 'DEFAULT', framework_id: { value: s.frameworkId } });
      expect(group.message.task_group.tasks?.map((t) => t.task_id.value)).toEqual(['g1', 'g2']);
    });

    it('fails every task of an invalid group with TASK_ERROR', async () => {
      const s = await subscribe();
      await master.agent();
      const o = await offer(s);
      await s.call('ACCEPT', {
        accept: {
          offer_ids: [o.id],
          operations: [{ type: 'LAUNCH_GROUP', launch_group: { executor: executor('group', 'DEFAULT'), task_group: { tasks: [task('ok', o), task('huge', o, 64)] } } }],
        },
      });
      for (const id of ['ok', 'huge']) {
        const error = await s.update(id, 'TASK_ERROR');
        expect(error.update.status).toMatchObject({ reason: 'REASON_TASK_GROUP_INVALID', message: expect.stringMatching(/more than available/) });
      }
    });
  });

  describe('kill and reconciliation', () => {
    // Agents of earlier tests in this database are recovered by each new master and, until they
    // re-register or time out, an unknown task gets no answer (reference §6.1); these tests want answers.
    beforeEach(async () => {
      await master.stop();
      master = await startTestMaster(database.url, { AGORA_AGENT_REREGISTER_TIMEOUT_MS: '0' });
    });

    it('sends a kill for a known task to its agent, and reconciles an unknown one', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [task('k1', o)]);
      await agent.next('run-task');
      await s.call('KILL', { kill: { task_id: { value: 'k1' } } });
      expect((await agent.next('kill-task')).message.task_id.value).toBe('k1');
      await s.call('KILL', { kill: { task_id: { value: 'ghost' } } });
      expect((await s.update('ghost', 'TASK_LOST')).update.status.reason).toBe('REASON_RECONCILIATION');
    });

    it('answers implicit and explicit reconciliation as reference §6.2 says', async () => {
      const s = await subscribe({ ...FW, capabilities: [{ type: 'PARTITION_AWARE' }] });
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [task('r1', o)]);
      await agent.next('run-task');
      agent.sendStatus(s.frameworkId, 'r1', 'TASK_RUNNING');
      await s.update('r1', 'TASK_RUNNING');

      await s.call('RECONCILE', { reconcile: { tasks: [] } });
      const implicit = await s.update('r1', 'TASK_RUNNING');
      expect(implicit.update.status).toMatchObject({ reason: 'REASON_RECONCILIATION', source: 'SOURCE_MASTER' });
      expect(implicit.update.status.uuid).toBeUndefined();

      await s.call('RECONCILE', {
        reconcile: {
          tasks: [
            { task_id: { value: 'r1' } },
            { task_id: { value: 'gone' }, agent_id: { value: agent.id } },
            { task_id: { value: 'unknown' } },
          ],
        },
      });
      await s.update('r1', 'TASK_RUNNING');
      await s.update('gone', 'TASK_GONE');
      await s.update('unknown', 'TASK_UNKNOWN');
    });
  });

  describe('failover', () => {
    it('keeps tasks across a re-SUBSCRIBE within the timeout; the old stream gets ERROR "Framework failed over"', async () => {
      const first = await subscribe({ ...FW, failover_timeout: 60 });
      const agent = await master.agent();
      const o = await offer(first);
      await launch(first, o, [task('keep', o)]);
      await agent.next('run-task');
      const second = await subscribe({ ...FW, failover_timeout: 60, id: { value: first.frameworkId } });
      expect(second.frameworkId).toBe(first.frameworkId);
      const error = await first.nextOfType('ERROR');
      expect(error.error.message).toBe('Framework failed over');
      await second.call('RECONCILE', { reconcile: { tasks: [] } });
      await second.update('keep', 'TASK_STAGING');
    });

    it('tears the framework down when the timeout expires; its id may not subscribe again', async () => {
      const s = await subscribe({ ...FW, failover_timeout: 0.2 });
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [task('doomed', o)]);
      await agent.next('run-task');
      s.disconnect();
      expect((await agent.next('shutdown-framework')).message.framework_id.value).toBe(s.frameworkId);
      const again = await subscribe({ ...FW, id: { value: s.frameworkId } });
      expect(again.first).toEqual({ type: 'ERROR', error: { message: 'Framework has been removed' } });
    });

    it('TEARDOWN kills the tasks on their agents', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [task('t', o)]);
      await agent.next('run-task');
      expect((await s.call('TEARDOWN')).status).toBe(202);
      await agent.next('shutdown-framework');
    });
  });

  describe('agents', () => {
    it('marks an agent that stops answering pings unreachable: tasks LOST for legacy frameworks, FAILURE sent', async () => {
      const s = await subscribe();
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [task('p', o)]);
      await agent.next('run-task');
      agent.answerPings = false;
      const lost = await s.update('p', 'TASK_LOST');
      expect(lost.update.status.reason).toBe('REASON_AGENT_REMOVED');
      const failure = await s.nextOfType('FAILURE');
      expect(failure.failure.agent_id?.value).toBe(agent.id);
    });

    it('re-admits an unreachable agent that re-registers with its tasks', async () => {
      const s = await subscribe({ ...FW, capabilities: [{ type: 'PARTITION_AWARE' }] });
      const agent = await master.agent();
      const o = await offer(s);
      await launch(s, o, [task('back', o)]);
      const run = await agent.next('run-task');
      agent.answerPings = false;
      await s.update('back', 'TASK_UNREACHABLE');
      agent.answerPings = true;
      const reply = await agent.reregister([{ framework_id: { value: s.frameworkId }, task: run.message.task, state: 'TASK_RUNNING' }], [run.message.framework]);
      expect(reply.result).toBe('REGISTERED');
      await s.call('RECONCILE', { reconcile: { tasks: [{ task_id: { value: 'back' } }] } });
      await s.update('back', 'TASK_RUNNING');
    });
  });

  describe('bad input', () => {
    it.each<[string, string | Record<string, unknown>, Record<string, string>, number, RegExp]>([
      ['malformed JSON', '{"type":', {}, 400, /malformed JSON/],
      ['an unknown call type', { type: 'FLY', framework_id: { value: 'x' } }, {}, 400, /unknown call type "FLY"/],
      ['a missing framework id', { type: 'REVIVE' }, {}, 400, /framework_id: is required/],
      ['a mistyped field', { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 5, name: 'n' } } }, {}, 400, /framework_info\.user: expected a string/],
      ['a missing body of a call', { type: 'KILL', framework_id: { value: 'x' } }, {}, 400, /kill: is required/],
      ['an empty body', '', {}, 400, /empty/],
      ['a text content type', 'hello', { 'Content-Type': 'text/plain' }, 415, /Content-Type/],
    ])('answers %s with a text error naming it', async (_name, body, headers, status, message) => {
      const answer = await postCall(master.url, body, headers);
      expect(answer.status).toBe(status);
      expect(answer.contentType).toMatch(/^text\/plain/);
      expect(answer.body).toMatch(message);
      expect((await fetch(`${master.url}/health`)).status).toBe(200);
    });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}
