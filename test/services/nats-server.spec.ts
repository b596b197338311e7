import { connect, NatsConnection, StringCodec } from 'nats';
import { serviceUrl } from '../support/services';

// Proves the nats-server that scripts/services.sh starts for the test run: connect, then a
// publish/subscribe and a request/reply round trip.
describe('NATS at NATS_URL', () => {
  let nc: NatsConnection;
  const codec = StringCodec();

  beforeAll(async () => {
    nc = await connect({ servers: serviceUrl('NATS_URL'), timeout: 5000 });
  });

  afterAll(async () => {
    await nc?.drain();
  });

  it('delivers a published message to a subscriber', async () => {
    const subscription = nc.subscribe('agora.test.echo', { max: 1 });
    nc.publish('agora.test.echo', codec.encode('hello'));
    const received: string[] = [];
    for await (const message of subscription) received.push(codec.decode(message.data));
    expect(received).toEqual(['hello']);
  });

  it('answers a request', async () => {
    const responder = nc.subscribe('agora.test.ping');
    void (async () => {
      for await (const message of responder) message.respond(codec.encode(`pong:${codec.decode(message.data)}`));
    })();
    const reply = await nc.request('agora.test.ping', codec.encode('1'), { timeout: 2000 });
    expect(codec.decode(reply.data)).toBe('pong:1');
    responder.unsubscribe();
  });
});
