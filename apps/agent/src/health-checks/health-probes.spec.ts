import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../testing/processes';
import { waitFor } from '../testing/wait-for';
import { HealthProbes, httpStatusHealthy } from './health-probes';

const probes = new HealthProbes();
const never = (): AbortSignal => new AbortController().signal;

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('health probes', () => {
  describe('COMMAND', () => {
    let sandbox: string;
    beforeEach(async () => {
      sandbox = await mkdtemp(join(tmpdir(), 'agora-probe-'));
    });
    afterEach(() => rm(sandbox, { recursive: true, force: true }));

    const run = (value: string, env: Record<string, string> = {}, signal = never()) =>
      probes.create({ type: 'COMMAND', command: { value, environment: { variables: [{ name: 'OWN', value: 'check' }] } } }, { sandbox, env })(signal);

    it('is healthy when the command exits 0', async () => {
      expect(await run('true')).toEqual({ healthy: true });
    });

    it('is unhealthy otherwise, with the exit status and the end of stderr', async () => {
      expect(await run('echo broken >&2; exit 3')).toEqual({ healthy: false, message: 'Command exited with status 3: broken' });
    });

    it('runs in the sandbox with the task environment, under the check’s own variables', async () => {
      const outcome = await run('test "$PWD" = "$EXPECTED" && test "$TASK_VAR" = task && test "$OWN" = check && test "$HOME" = "$EXPECTED"', {
        EXPECTED: sandbox,
        TASK_VAR: 'task',
        OWN: 'overridden by the check',
      });
      expect(outcome).toEqual({ healthy: true });
    });

    it('runs exec-style commands (shell: false) with their argv', async () => {
      const probe = probes.create({ type: 'COMMAND', command: { shell: false, value: '/bin/sh', arguments: ['sh', '-c', 'exit 0'] } }, { sandbox, env: {} });
      expect(await probe(never())).toEqual({ healthy: true });
    });

    it('kills the whole check when aborted', async () => {
      const controller = new AbortController();
      const outcome = run(`sh -c 'echo $$ > child.pid; sleep 60' & wait`, {}, controller.signal);
      const pid = Number(await waitFor(() => readFile(join(sandbox, 'child.pid'), 'utf8').catch(() => '')));
      controller.abort();
      expect(await outcome).toMatchObject({ healthy: false, message: expect.stringMatching(/signal SIGKILL/) });
      await waitFor(() => !isAlive(pid));
    });

    it('is unhealthy when the command cannot start', async () => {
      const probe = probes.create({ type: 'COMMAND', command: { shell: false, value: '/nonexistent/binary' } }, { sandbox, env: {} });
      expect(await probe(never())).toMatchObject({ healthy: false, message: expect.stringMatching(/Failed to create subprocess/) });
    });
  });

  describe('HTTP', () => {
    let server: Server;
    let port: number;
    const seen: string[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push(`${req.method} ${req.headers.host} ${req.url}`);
        const status = Number(req.url?.slice(1)) || 200;
        res.writeHead(status, status === 302 ? { location: '/elsewhere' } : {}).end('body');
      });
      port = await listen(server);
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    const get = (path: string, statuses: number[] = []) =>
      probes.create({ type: 'HTTP', scheme: 'http', port, path, statuses }, { sandbox: '/', env: {} })(never());

    it.each([
      ['/200', [], true],
      ['/302', [], true],
      ['/399', [], true],
      ['/404', [], false],
      ['/500', [], false],
      ['/500', [500], true],
      ['/200', [204], false],
    ])('GET %s with statuses %j is healthy: %s', async (path, statuses, healthy) => {
      expect((await get(path, statuses)).healthy).toBe(healthy);
    });

    it('asks 127.0.0.1 for the path', async () => {
      await get('/200');
      expect(seen).toContain(`GET 127.0.0.1:${port} /200`);
    });

    it('says which status was wrong', async () => {
      expect(await get('/503')).toEqual({ healthy: false, message: 'Unexpected HTTP response code: 503' });
    });

    it('is unhealthy when nothing listens', async () => {
      const probe = probes.create({ type: 'HTTP', scheme: 'http', port: await closedPort(), path: '', statuses: [] }, { sandbox: '/', env: {} });
      expect(await probe(never())).toMatchObject({ healthy: false, message: expect.stringMatching(/ECONNREFUSED/) });
    });
  });

  describe('TCP', () => {
    it('is healthy when a connection opens, unhealthy when refused', async () => {
      const server = createTcpServer((socket) => socket.end());
      const port = await listen(server);
      try {
        expect(await probes.create({ type: 'TCP', port }, { sandbox: '/', env: {} })(never())).toEqual({ healthy: true });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
      expect(await probes.create({ type: 'TCP', port: await closedPort() }, { sandbox: '/', env: {} })(never())).toMatchObject({ healthy: false });
    });
  });

  it.each([
    [200, [], true],
    [399, [], true],
    [199, [], false],
    [400, [], false],
    [418, [418], true],
    [200, [418], false],
  ])('status %i with statuses %j is healthy: %s', (status, statuses, healthy) => {
    expect(httpStatusHealthy(status, statuses)).toBe(healthy);
  });
});
