import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequestException } from '@nestjs/common';
import { mountRawRoutes, type RawRequest } from './raw-routes';

describe('raw routes in front of an app', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    // Stands in for the Express app Nest attaches as the server's request listener.
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      res.end(`app:${req.url ?? ''}`);
    });
    mountRawRoutes(
      server,
      [
        {
          path: '/api/v1/scheduler',
          maxBodyBytes: 16,
          handle: (req: RawRequest, res) => {
            const text = req.body.toString('utf8');
            seen.push(text);
            if (text === 'bad') throw new BadRequestException('the body is bad');
            if (text === 'boom') throw new Error('internal detail');
            if (text === 'later') return Promise.reject(new BadRequestException('rejected later'));
            res.statusCode = 202;
            res.end();
          },
        },
      ],
      { log: () => undefined, warn: () => undefined, error: (m: unknown) => void logged.push(String(m)) },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string, body: string): Promise<Response> => fetch(`${base}${path}`, { method: 'POST', body });

  it.each([
    ['the exact path', '/api/v1/scheduler'],
    ['a trailing slash', '/api/v1/scheduler/'],
    ['a query', '/api/v1/scheduler?x=1'],
  ])('serves %s with the body read whole', async (_, path) => {
    const res = await post(path, 'ok');
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    expect(seen.at(-1)).toBe('ok');
  });

  it('passes every other path to the app', async () => {
    const res = await fetch(`${base}/state`);
    expect(await res.text()).toBe('app:/state');
  });

  it('answers an HttpException thrown by the handler with its status and a text body', async () => {
    const res = await post('/api/v1/scheduler', 'bad');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toBe('the body is bad');
  });

  it('answers a rejected promise the same way', async () => {
    const res = await post('/api/v1/scheduler', 'later');
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('rejected later');
  });

  it('answers an unexpected error with a bare 500 and logs it', async () => {
    const res = await post('/api/v1/scheduler', 'boom');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('Internal Server Error');
    expect(logged.some((l) => l.includes('internal detail'))).toBe(true);
  });

  it('answers 413 to a body over the limit without calling the handler', async () => {
    const before = seen.length;
    const res = await post('/api/v1/scheduler', 'x'.repeat(17));
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/larger than 16 bytes/);
    expect(seen.length).toBe(before);
  });
});
