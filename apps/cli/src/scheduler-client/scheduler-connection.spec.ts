import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeRecord, type Event, type SubscribeCall } from '@agora/protocol';
import { HttpStatusError, UnreachableError } from '../http/http-client';
import { FakeMaster } from '../testing/fake-master';
import { SchedulerCallError, subscribe, Subscription } from './scheduler-connection';

const SUBSCRIBE: SubscribeCall = {
  type: 'SUBSCRIBE',
  subscribe: { framework_info: { user: 'alice', name: 'test', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }] } },
};

/** The next `n` events of a stream. */
async function take(events: AsyncIterator<Event>, n: number): Promise<Event[]> {
  const out: Event[] = [];
  while (out.length < n) {
    const next = await events.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('the scheduler connection', () => {
  let master: FakeMaster;
  let subscription: Subscription | undefined;

  afterEach(async () => {
    subscription?.close();
    subscription = undefined;
    await master.close();
  });

  it('subscribes with JSON content types and no stream id, and keeps the Mesos-Stream-Id it is given', async () => {
    master = await FakeMaster.start();
    subscription = await subscribe(master.url, SUBSCRIBE);
    const call = await master.nextCall('SUBSCRIBE');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers.accept).toBe('application/json');
    expect(call.headers['mesos-stream-id']).toBeUndefined();
    expect(call.body).toEqual(SUBSCRIBE);
    expect(subscription.streamId).toBe(master.streamId);
  });

  it('reads events from the RecordIO stream, skipping types it does not know', async () => {
    master = await FakeMaster.start({ frameworkId: 'fw-7', heartbeatIntervalSeconds: 5 });
    subscription = await subscribe(master.url, SUBSCRIBE);
    const events = subscription.events()[Symbol.asyncIterator]();
    master.send({ type: 'HEARTBEAT' });
    master.send({ type: 'MESSAGE', message: { agent_id: { value: 'a' }, executor_id: { value: 'e' }, data: '' } });
    master.send({ type: 'UPDATE', update: { status: { task_id: { value: 't' }, state: 'TASK_RUNNING', uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' } } });

    expect(await take(events, 3)).toEqual([
      { type: 'SUBSCRIBED', subscribed: { framework_id: { value: 'fw-7' }, heartbeat_interval_seconds: 5 } },
      { type: 'HEARTBEAT' },
      { type: 'UPDATE', update: { status: { task_id: { value: 't' }, state: 'TASK_RUNNING', uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' } } },
    ]);
  });

  it('sends other calls with the stream id and JSON content types', async () => {
    master = await FakeMaster.start();
    subscription = await subscribe(master.url, SUBSCRIBE);
    await subscription.send({ type: 'TEARDOWN', framework_id: { value: master.frameworkId } });
    const call = await master.nextCall('TEARDOWN');
    expect(call.headers['mesos-stream-id']).toBe(master.streamId);
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers.accept).toBe('application/json');
  });

  it('ends the event iteration when the master closes the stream', async () => {
    master = await FakeMaster.start();
    subscription = await subscribe(master.url, SUBSCRIBE);
    const events = subscription.events()[Symbol.asyncIterator]();
    await take(events, 1);
    master.endStream();
    expect((await events.next()).done).toBe(true);
  });

  it('ends the event iteration quietly when closed from this side', async () => {
    master = await FakeMaster.start();
    subscription = await subscribe(master.url, SUBSCRIBE);
    const events = subscription.events()[Symbol.asyncIterator]();
    await take(events, 1);
    const next = events.next();
    subscription.close();
    expect((await next).done).toBe(true);
  });

  it('stays subscribed when the reader stops reading events, until close()', async () => {
    master = await FakeMaster.start();
    subscription = await subscribe(master.url, SUBSCRIBE);
    for await (const event of subscription.events()) {
      expect(event.type).toBe('SUBSCRIBED');
      break;
    }
    // The fake master refuses calls once the stream is gone, as a real one forgets the framework.
    await subscription.send({ type: 'TEARDOWN', framework_id: { value: master.frameworkId } });
    expect((await master.nextCall('TEARDOWN')).status).toBe(202);
  });

  it('reports a refused SUBSCRIBE with the master’s text body', async () => {
    master = await FakeMaster.start({ refuseSubscribe: { status: 400, body: "Framework has been removed\n" } });
    const refused = subscribe(master.url, SUBSCRIBE);
    await expect(refused).rejects.toBeInstanceOf(SchedulerCallError);
    await expect(refused).rejects.toThrow('the master refused SUBSCRIBE: 400 Bad Request: Framework has been removed');
  });

  it('reports a refused call with its type, status and body', async () => {
    master = await FakeMaster.start({ refuseCall: { type: 'KILL', status: 403, body: 'Framework is not subscribed' } });
    subscription = await subscribe(master.url, SUBSCRIBE);
    await expect(
      subscription.send({ type: 'KILL', framework_id: { value: 'x' }, kill: { task_id: { value: 't' } } }),
    ).rejects.toThrow('the master refused KILL: 403 Forbidden: Framework is not subscribed');
  });

  it('says the master cannot be reached when nothing listens', async () => {
    master = await FakeMaster.start();
    const url = master.url;
    await master.close();
    master = await FakeMaster.start(); // for afterEach
    const refused = subscribe(url, SUBSCRIBE);
    await expect(refused).rejects.toBeInstanceOf(UnreachableError);
    await expect(refused).rejects.toThrow(/^cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused$/);
  });

  it('follows a standby master’s 307 to the leader and sends later calls there', async () => {
    master = await FakeMaster.start();
    const leader = new URL(master.url);
    const standby = http.createServer((_req, res) => {
      res.writeHead(307, { Location: `//${leader.host}/api/v1/scheduler` }).end();
    });
    await new Promise<void>((resolve) => standby.listen(0, '127.0.0.1', resolve));
    try {
      subscription = await subscribe(`http://127.0.0.1:${(standby.address() as AddressInfo).port}`, SUBSCRIBE);
      expect(subscription.endpoint.toString()).toBe(`${master.url}/api/v1/scheduler`);
      await subscription.send({ type: 'TEARDOWN', framework_id: { value: master.frameworkId } });
      await master.nextCall('TEARDOWN');
    } finally {
      await new Promise<void>((resolve) => standby.close(() => resolve()));
    }
  });

  it('reads records however the stream is chunked', async () => {
    master = await FakeMaster.start();
    // A server that writes two records split across three chunks at awkward places.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': 's' });
      const bytes = Buffer.concat([
        encodeRecord(JSON.stringify({ type: 'SUBSCRIBED', subscribed: { framework_id: { value: 'f' } } })),
        encodeRecord(JSON.stringify({ type: 'HEARTBEAT' })),
      ]);
      res.write(bytes.subarray(0, 1));
      res.write(bytes.subarray(1, 40));
      res.end(bytes.subarray(40));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      subscription = await subscribe(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, SUBSCRIBE);
      expect(await take(subscription.events()[Symbol.asyncIterator](), 5)).toEqual([
        { type: 'SUBSCRIBED', subscribed: { framework_id: { value: 'f' } } },
        { type: 'HEARTBEAT' },
      ]);
    } finally {
      subscription?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('keeps HttpStatusError for plain GETs distinct from call refusals', () => {
    expect(new HttpStatusError('GET', 'http://m/slaves', 503, 'Service Unavailable', 'no leader').message).toBe(
      'GET /slaves answered 503 Service Unavailable: no leader',
    );
  });
});
