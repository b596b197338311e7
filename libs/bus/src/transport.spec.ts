import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../../test/support/free-port';
import { serviceUrl } from '../../../test/support/services';
import { InProcessTransport } from './in-process-transport';
import { NatsTransport } from './nats-transport';
import { BusTimeoutError, type BusEnvelope, type BusTransport, NoRespondersError, subjectMatches } from './transport';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('subjectMatches', () => {
  it.each([
    ['a.b', 'a.b', true],
    ['a.*', 'a.b', true],
    ['a.*', 'a.b.c', false],
    ['a.>', 'a.b.c', true],
    ['a.>', 'a', false],
    ['a.b', 'a.c', false],
    ['a.b.c', 'a.b', false],
  ])('%s against %s is %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});

/** Collects what a subscription receives; `next(n)` waits for n messages. */
function collector(): { handler: (e: BusEnvelope) => void; next: (n: number) => Promise<string[]> } {
  const got: string[] = [];
  let waiters: (() => void)[] = [];
  return {
    handler: (e) => {
      got.push(`${e.subject}=${text(e.data)}`);
      waiters.forEach((w) => w());
      waiters = [];
    },
    next: async (n) => {
      while (got.length < n) await new Promise<void>((r) => waiters.push(r));
      return got.slice(0, n);
    },
  };
}

describe.each<[string, () => Promise<BusTransport>]>([
  ['in-process', async () => new InProcessTransport()],
  ['NATS', () => NatsTransport.connect({ url: serviceUrl('NATS_URL'), name: 'bus-spec' })],
])('%s transport', (_name, make) => {
  let bus: BusTransport;
  const prefix = `spec.${Math.floor(Math.random() * 1e9)}`;

  beforeEach(async () => {
    bus = await make();
  });
  afterEach(() => bus.close());

  it('delivers in publish order to wildcard subscribers, never inside publish', async () => {
    const c = collector();
    bus.subscribe(`${prefix}.a.>`, c.handler);
    let inside = true;
    bus.subscribe(`${prefix}.a.*`, () => expect(inside).toBe(false));
    await new Promise((r) => setTimeout(r, 50));
    bus.publish(`${prefix}.a.1`, bytes('x'));
    bus.publish(`${prefix}.a.2`, bytes('y'));
    inside = false;
    expect(await c.next(2)).toEqual([`${prefix}.a.1=x`, `${prefix}.a.2=y`]);
  });

  it('gives each message to one member of a queue group', async () => {
    let a = 0;
    let b = 0;
    const all = collector();
    bus.subscribe(`${prefix}.q`, () => a++, { queue: 'g' });
    bus.subscribe(`${prefix}.q`, () => b++, { queue: 'g' });
    bus.subscribe(`${prefix}.q`, all.handler);
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 10; i++) bus.publish(`${prefix}.q`, bytes(String(i)));
    await all.next(10);
    await new Promise((r) => setTimeout(r, 50));
    expect(a + b).toBe(10);
  });

  it('answers requests, and says when nobody listens or nobody answers', async () => {
    bus.subscribe(`${prefix}.echo`, (e) => e.respond?.(bytes(`re:${text(e.data)}`)));
    bus.subscribe(`${prefix}.silent`, () => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(text(await bus.request(`${prefix}.echo`, bytes('hi'), 2000))).toBe('re:hi');
    await expect(bus.request(`${prefix}.nobody`, bytes('?'), 2000)).rejects.toBeInstanceOf(NoRespondersError);
    await expect(bus.request(`${prefix}.silent`, bytes('?'), 100)).rejects.toBeInstanceOf(BusTimeoutError);
  });
});

describe('NATS namespaces', () => {
  it('keep two clusters on one server apart, and hide the prefix from handlers', async () => {
    const url = serviceUrl('NATS_URL');
    const a = await NatsTransport.connect({ url, name: 'ns-a', namespace: 'ns-a' });
    const b = await NatsTransport.connect({ url, name: 'ns-b', namespace: 'ns-b' });
    try {
      const got: string[] = [];
      a.subscribe('agora.v1.master.>', (e) => got.push(`a:${e.subject}`));
      b.subscribe('agora.v1.master.>', (e) => got.push(`b:${e.subject}`));
      await new Promise((r) => setTimeout(r, 50));
      a.publish('agora.v1.master.register', bytes('x'));
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toEqual(['a:agora.v1.master.register']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a namespace that is not subject tokens', async () => {
    await expect(NatsTransport.connect({ url: serviceUrl('NATS_URL'), name: 'bad', namespace: 'a b' })).rejects.toThrow(/namespace 'a b'/);
  });
});

describe('NATS reconnects', () => {
  it('tells the reconnect listeners once a restarted server is back, with subscriptions restored', async () => {
    const port = await freePort();
    const start = (): ChildProcess => spawn('nats-server', ['--addr', '127.0.0.1', '--port', String(port)], { stdio: 'ignore' });
    let server = start();
    const transport = await until(() => NatsTransport.connect({ url: `nats://127.0.0.1:${port}`, name: 'reconnect-spec' }));
    try {
      let reconnects = 0;
      transport.onReconnect(() => reconnects++);
      const received: string[] = [];
      transport.subscribe('s', (m) => received.push(text(m.data)));
      await stopServer(server);
      server = start();
      await until(async () => (reconnects > 0 ? true : undefined));
      transport.publish('s', bytes('after'));
      await until(async () => (received.includes('after') ? true : undefined));
      expect(reconnects).toBe(1);
    } finally {
      await transport.close();
      await stopServer(server);
    }
  });
});

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => server.once('exit', () => r()));
  server.kill('SIGKILL');
  return exited;
}

/** Retries `attempt` every 100 ms (errors and undefined count as not yet) for up to 10 s. */
async function until<T>(attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}
