import { serviceUrl } from '../../../test/support/services';
import { LocalCluster, startLocalCluster } from './local-cluster';

// The master's registry is the test Postgres at DATABASE_URL (read from the environment by the
// master's config), not an embedded one per cluster.
describe('startLocalCluster', () => {
  beforeAll(() => {
    serviceUrl('DATABASE_URL');
  });

  let cluster: LocalCluster | undefined;

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it('starts a master and N agents that all answer /health', async () => {
    cluster = await startLocalCluster({ agents: 2, port: 0, loggerFor: () => false });
    expect(cluster.agents).toHaveLength(2);
    for (const url of [cluster.master, ...cluster.agents]) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    }
  });

  it('stops every process, and stopping twice is harmless', async () => {
    const started = await startLocalCluster({ agents: 1, port: 0, loggerFor: () => false });
    await started.stop();
    await started.stop();
    await expect(fetch(`${started.master}/health`)).rejects.toThrow();
    await expect(fetch(`${started.agents[0]}/health`)).rejects.toThrow();
  });

  it('stops what it started when an agent cannot bind', async () => {
    cluster = await startLocalCluster({ agents: 0, port: 0, loggerFor: () => false });
    const taken = Number(new URL(cluster.master).port);
    // A second cluster whose master port is free but whose first agent port is the taken one.
    await expect(
      startLocalCluster({ agents: 1, port: taken - 1, loggerFor: () => false }),
    ).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+: address already in use/);
    await expect(fetch(`http://127.0.0.1:${taken - 1}/health`)).rejects.toThrow();
  });
});
