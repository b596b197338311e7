import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { Clock } from '../clock/clock';
import { Cgroups } from '../drivers/process/cgroups';
import { ProcessDriver } from '../drivers/process/process-driver';
import { waitFor } from '../testing/wait-for';
import { executorHarness, FW, runTask, summary } from './testing/executor-harness';
import { HealthProbes } from './health-probes';

/** A port free a moment ago, for the task to listen on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An HTTP server that answers 200 to its first two requests and 500 afterwards. */
const SERVER = `
const port = Number(process.argv[1]);
let requests = 0;
require('node:http').createServer((req, res) => { requests++; res.writeHead(requests <= 2 ? 200 : 500).end(); }).listen(port, '127.0.0.1');
`;

describe('health checks of a real task', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('kills an HTTP server that turns unhealthy after consecutive_failures failed checks', async () => {
    const port = await freePort();
    const clock = new Clock();
    const driver = new ProcessDriver(new Cgroups(join(__dirname, 'no-cgroups-here')), clock);
    const h = await executorHarness(driver, clock, new HealthProbes());
    try {
      h.executor.run(
        runTask(
          {
            task_id: { value: 'web' },
            command: { shell: false, value: process.execPath, arguments: ['node', '-e', SERVER, String(port)] },
            // Checks every 0.2 s; failures before the server listens fall in the grace period.
            health_check: { type: 'HTTP', http: { port, path: '/health' }, delay_seconds: 0, interval_seconds: 0.2, timeout_seconds: 2, grace_period_seconds: 20, consecutive_failures: 3 },
            kill_policy: { grace_period: { nanoseconds: 2e9 } },
          },
          { capabilities: [{ type: 'TASK_KILLING_STATE' }] },
        ),
      );
      await waitFor(() => h.registry.get(FW, 'web')?.phase === 'terminated');
      expect(summary(h.updates)).toEqual([
        'TASK_STARTING',
        'TASK_RUNNING',
        'TASK_RUNNING healthy',
        'TASK_RUNNING unhealthy',
        'TASK_RUNNING unhealthy',
        'TASK_RUNNING unhealthy',
        'TASK_KILLING',
        'TASK_KILLED unhealthy',
      ]);
      expect(h.updates[7]).toMatchObject({ message: 'Command terminated with signal SIGTERM', source: 'SOURCE_EXECUTOR' });
      expect(h.healthChecks.watching).toBe(0);
      expect(h.counters.get('slave/executors_terminated')).toBe(1);
    } finally {
      await h.executor.killAll('test over');
      await rm(h.workDir, { recursive: true, force: true });
    }
  });
});
