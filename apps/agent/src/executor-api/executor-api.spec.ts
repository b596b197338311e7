import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { type ExecutorEvent, RecordIODecoder, textToBase64 } from '@agora/protocol';
import { type ExecutorHarness, startExecutorHarness } from '../executors/testing/executor-harness';

/**
 * The executor HTTP API over real HTTP (reference §2): the tiny executor is started in its
 * `silent` mode, so a real executor of that id exists but never calls; the test speaks for it.
 */

interface Subscription {
  readonly response: IncomingMessage;
  readonly events: ExecutorEvent[];
  /** Resolves with the first event (from the start of the stream) that satisfies `test`. */
  next(test: (e: ExecutorEvent) => boolean): Promise<ExecutorEvent>;
  /** Resolves once the agent ended the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

function subscribe(base: string, body: unknown, path = '/api/v1/executor'): Promise<Subscription> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (response) => {
      const decoder = new RecordIODecoder();
      const events: ExecutorEvent[] = [];
      let waiters: { test: (e: ExecutorEvent) => boolean; resolve: (e: ExecutorEvent) => void }[] = [];
      const ended = new Promise<void>((done) => response.on('close', () => done()));
      response.on('data', (chunk: Buffer) => {
        for (const text of decoder.decodeText(chunk)) {
          const event = JSON.parse(text) as ExecutorEvent;
          events.push(event);
          const ready = waiters.filter((w) => w.test(event));
          waiters = waiters.filter((w) => !ready.includes(w));
          for (const w of ready) w.resolve(event);
        }
      });
      resolve({
        response,
        events,
        ended,
        next: (test) => {
          const seen = events.find(test);
          return seen !== undefined ? Promise.resolve(seen) : new Promise((r) => waiters.push({ test, resolve: r }));
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** One call over plain node:http, so that the test decides every header (fetch would add a Content-Type). */
function post(base: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }, method = 'POST'): Promise<{ status: number; text: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/v1/executor`, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text, type: response.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  });
}

const uuid = (): string => randomBytes(16).toString('base64');

describe('POST /api/v1/executor', () => {
  let h: ExecutorHarness;
  let call: (type: string, body?: object) => Record<string, unknown>;

  beforeAll(async () => {
    h = await startExecutorHarness({ AGORA_EXECUTOR_REGISTRATION_TIMEOUT_MS: '600000' });
    call = (type, body = {}) => ({ type, framework_id: { value: h.frameworkId }, executor_id: { value: 'tiny' }, ...body });
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('refuses what is not a call of a known executor, with a text body saying why', () => {
    it.each<[string, () => Promise<{ status: number; text: string; type: string | undefined }>, number, string]>([
      ['no Content-Type', () => post(h.base, '{}', {}), 400, "Expecting 'Content-Type' to be present"],
      ['another Content-Type', () => post(h.base, '{}', { 'Content-Type': 'text/plain' }), 415, "Expecting 'Content-Type' of application/json"],
      ['protobuf', () => post(h.base, '{}', { 'Content-Type': 'application/x-protobuf' }), 415, 'Agora speaks the JSON executor API'],
      ['GET', () => post(h.base, undefined, {}, 'GET'), 405, "Expecting a 'POST' request, received 'GET'"],
      ['an empty body', () => post(h.base, ''), 400, 'the request body is empty'],
      ['malformed JSON', () => post(h.base, '{"type":'), 400, 'Failed to validate Executor::Call: call: malformed JSON'],
      ['a call without executor_id', () => post(h.base, { type: 'HEARTBEAT', framework_id: { value: 'f' } }), 400, 'call.executor_id: is required'],
      ['an UPDATE without uuid', () => post(h.base, call('UPDATE', { update: { status: { task_id: { value: 't' }, state: 'TASK_RUNNING' } } })), 400, 'call.update.status.uuid: is required'],
      ['an unknown framework', () => post(h.base, { ...call('MESSAGE', { message: { data: 'aGk=' } }), framework_id: { value: 'nobody' } }), 400, 'Framework cannot be found'],
      ['an UNKNOWN call', () => post(h.base, call('UNKNOWN')), 501, "Received 'UNKNOWN' call"],
    ])('%s', async (_case, send, status, text) => {
      const answer = await send();
      expect(answer.status).toBe(status);
      expect(answer.text).toContain(text);
      expect(answer.type).toMatch(/^text\/plain/);
    });
  });

  it('serves one executor from SUBSCRIBE to its last call', async () => {
    h.runTiny('t1', { mode: 'silent' });
    await h.master.until(() => h.master.kinds.length > 0);
    // The executor exists once the agent launched it; until it subscribes, other calls are refused.
    let before = await post(h.base, call('MESSAGE', { message: { data: 'aGk=' } }));
    for (let i = 0; before.status === 400 && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 10));
      before = await post(h.base, call('MESSAGE', { message: { data: 'aGk=' } }));
    }
    expect(before).toMatchObject({ status: 403, text: 'Executor is not subscribed' });
    expect(await post(h.base, { ...call('HEARTBEAT'), executor_id: { value: 'nobody' } })).toMatchObject({ status: 202 });
    expect(await post(h.base, { ...call('MESSAGE', { message: { data: 'aGk=' } }), executor_id: { value: 'nobody' } })).toMatchObject({ status: 400, text: 'Executor cannot be found' });

    const stream = await subscribe(h.base, call('SUBSCRIBE'));
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toBe('application/json');
    expect(stream.response.headers['transfer-encoding']).toBe('chunked');
    const launch = await stream.next((e) => e.type === 'LAUNCH');
    expect(stream.events[0]).toMatchObject({
      type: 'SUBSCRIBED',
      subscribed: {
        executor_info: { executor_id: { value: 'tiny' }, framework_id: { value: h.frameworkId }, name: 'tiny executor' },
        framework_info: { id: { value: h.frameworkId }, name: 'test-framework' },
        agent_info: { id: { value: h.master.agentId }, hostname: 'executor-spec', port: Number(new URL(h.base).port) },
      },
    });
    const subscribed = stream.events[0] as Extract<ExecutorEvent, { type: 'SUBSCRIBED' }>;
    expect(subscribed.subscribed.container_id?.value).toMatch(/^[0-9a-f-]{36}$/);
    expect(launch).toMatchObject({ type: 'LAUNCH', launch: { task: { task_id: { value: 't1' } } } });

    // UPDATE → 202, and ACKNOWLEDGED on the stream once the agent recorded it; the master has it.
    const running = uuid();
    const status = { task_id: { value: 't1' }, state: 'TASK_RUNNING', uuid: running, message: 'up' };
    expect(await post(h.base, call('UPDATE', { update: { status } }))).toMatchObject({ status: 202, text: '' });
    expect(await stream.next((e) => e.type === 'ACKNOWLEDGED')).toEqual({ type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 't1' }, uuid: running } });
    await h.master.until(() => h.master.distinctStates('t1').includes('TASK_RUNNING'));
    expect(h.master.updates.find((u) => u.status.uuid === running)?.status).toMatchObject({ message: 'up', source: 'SOURCE_EXECUTOR' });

    // MESSAGE both ways, the alias path, HEARTBEAT.
    expect(await post(h.base, call('MESSAGE', { message: { data: textToBase64('to the scheduler') } }))).toMatchObject({ status: 202 });
    await h.master.until(() => h.master.executorMessages.length === 1);
    expect(h.master.executorMessages[0]).toEqual({
      agent_id: { value: h.master.agentId },
      framework_id: { value: h.frameworkId },
      executor_id: { value: 'tiny' },
      data: textToBase64('to the scheduler'),
    });
    h.master.send('framework-message', { framework_id: { value: h.frameworkId }, executor_id: { value: 'tiny' }, data: textToBase64('to the executor') });
    expect(await stream.next((e) => e.type === 'MESSAGE')).toEqual({ type: 'MESSAGE', message: { data: textToBase64('to the executor') } });
    const alias = await fetch(`${h.base}/slave(1)/api/v1/executor`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(call('HEARTBEAT')) });
    expect(alias.status).toBe(202);

    // KILL reaches the stream with its policy.
    h.master.send('kill-task', { framework_id: { value: h.frameworkId }, task_id: { value: 't1' }, kill_policy: { grace_period: { nanoseconds: 2e9 } } });
    expect(await stream.next((e) => e.type === 'KILL')).toEqual({ type: 'KILL', kill: { task_id: { value: 't1' }, kill_policy: { grace_period: { nanoseconds: 2e9 } } } });

    // A reconnect: the old stream is closed; the update the executor was never acknowledged for
    // is taken from SUBSCRIBE and acknowledged after SUBSCRIBED; the task it knows is not sent again.
    const killed = uuid();
    const again = await subscribe(
      h.base,
      call('SUBSCRIBE', {
        subscribe: {
          unacknowledged_tasks: [launch.type === 'LAUNCH' ? launch.launch.task : undefined],
          unacknowledged_updates: [{ status: { task_id: { value: 't1' }, state: 'TASK_KILLED', uuid: killed } }],
        },
      }),
      '/slave(1)/api/v1/executor',
    );
    await stream.ended;
    await again.next((e) => e.type === 'ACKNOWLEDGED');
    expect(again.events.map((e) => e.type)).toEqual(['SUBSCRIBED', 'ACKNOWLEDGED']);
    await h.master.until(() => h.master.distinctStates('t1').includes('TASK_KILLED'));
    expect(h.master.distinctStates('t1')).toEqual(['TASK_RUNNING', 'TASK_KILLED']);

    // SHUTDOWN ends the conversation.
    h.master.send('shutdown-executor', { framework_id: { value: h.frameworkId }, executor_id: { value: 'tiny' } });
    expect(await again.next((e) => e.type === 'SHUTDOWN')).toEqual({ type: 'SHUTDOWN' });
    again.close();
  });
});
