import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mountRawRoutes } from './raw-routes';
import { mountRequestGate } from './request-gate';

describe('mountRequestGate', () => {
  let server: Server;
  let gating = false;

  beforeEach(async () => {
    gating = true;
    server = createServer((_req, res) => res.end('express'));
    mountRawRoutes(server, [{ path: '/raw', maxBodyBytes: 1024, handle: (_req, res) => void res.end('raw') }]);
    mountRequestGate(server, (req, res) => {
      if (!gating || req.url === '/open') return false;
      res.statusCode = 307;
      res.setHeader('Location', `//leader${req.url}`);
      res.end('elsewhere');
      return true;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = async (path: string): Promise<[number, string, string | null]> => {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { redirect: 'manual' });
    return [res.status, await res.text(), res.headers.get('location')];
  };

  it('answers before raw routes and Express when it takes the request', async () => {
    expect(await get('/raw')).toEqual([307, 'elsewhere', '//leader/raw']);
    expect(await get('/other?x=1')).toEqual([307, 'elsewhere', '//leader/other?x=1']);
  });

  it('lets everything else through unchanged', async () => {
    expect(await get('/open')).toEqual([200, 'express', null]);
    gating = false;
    expect(await get('/raw')).toEqual([200, 'raw', null]);
    expect(await get('/other')).toEqual([200, 'express', null]);
  });
});
