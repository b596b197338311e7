import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '../../../test/support/services';
import { LocalCluster, LocalClusterOptions, startLocalCluster } from './local-cluster';

// The master's registry is the test Postgres at DATABASE_URL (read from the environment by the
// master's config), not an embedded one per cluster.
describe('startLocalCluster', () => {
  let dataDir: string;

  beforeAll(() => {
    serviceUrl('DATABASE_URL');
    dataDir = mkdtempSync(join(tmpdir(), 'agora-local-'));
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** A silent cluster on free ports, its agents working under the test's own data dir. */
  const options = (agents: number, port = 0): LocalClusterOptions => ({ agents, port, dataDir, loggerFor: () => false });

  let cluster: LocalCluster | undefined;

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it('starts a master and N agents that all answer /health', async () => {
    cluster = await startLocalCluster(options(2));
    expect(cluster.agents).toHaveLength(2);
    for (const url of [cluster.master, ...cluster.agents]) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    }
    // Each agent works in its own directory under the cluster's data dir.
    expect(existsSync(join(dataDir, 'agent-1'))).toBe(true);
    expect(existsSync(join(dataDir, 'agent-2'))).toBe(true);
  });

  it('stops every process, and stopping twice is harmless', async () => {
    const started = await startLocalCluster(options(1));
    await started.stop();
    await started.stop();
    await expect(fetch(`${started.master}/health`)).rejects.toThrow();
    await expect(fetch(`${started.agents[0]}/health`)).rejects.toThrow();
  });

  it('stops what it started when an agent cannot bind', async () => {
    cluster = await startLocalCluster(options(0));
    const taken = Number(new URL(cluster.master).port);
    // A second cluster whose master port is free but whose first agent port is the taken one.
    await expect(
      startLocalCluster(options(1, taken - 1)),
    ).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+: address already in use/);
    await expect(fetch(`http://127.0.0.1:${taken - 1}/health`)).rejects.toThrow();
  });
});
