import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { urlOf } from '@agora/nest-common';
import { bootstrapAgent } from '../../apps/agent/src/bootstrap';
import { bootstrapMaster } from '../../apps/master/src/bootstrap';
import { createTestDatabase, serviceUrl, type TestDatabase } from './services';

export interface TestCluster {
  readonly master: INestApplication;
  readonly masterUrl: string;
  readonly agents: INestApplication[];
  readonly agentUrls: string[];
  readonly workDir: string;
  stop(): Promise<void>;
}

export interface TestClusterOptions {
  readonly agents: number;
  /** Mesos text form, the same for every agent. */
  readonly agentResources?: string;
  readonly masterEnv?: Record<string, string>;
  readonly agentEnv?: Record<string, string>;
}

/**
 * A whole cluster as in production: one master and N real agents in this process, talking over
 * the real NATS and keeping the registry in the real Postgres that scripts/test.sh started.
 * Agents run real processes in a temporary work dir, removed on stop.
 */
export async function startTestCluster(name: string, options: TestClusterOptions): Promise<TestCluster> {
  const natsUrl = serviceUrl('NATS_URL');
  // Test files run in parallel on one NATS server: each cluster gets subjects of its own.
  const namespace = `${name}-${randomBytes(4).toString('hex')}`;
  const database: TestDatabase = await createTestDatabase(name);
  const workDir = mkdtempSync(join(tmpdir(), `agora-${name}-`));
  const master = await bootstrapMaster({
    port: 0,
    host: '127.0.0.1',
    logger: false,
    env: {
      DATABASE_URL: database.url,
      NATS_URL: natsUrl,
      AGORA_BUS_NAMESPACE: namespace,
      AGORA_ALLOCATION_INTERVAL_MS: '100',
      AGORA_HEARTBEAT_INTERVAL_SECONDS: '2',
      AGORA_AGENT_PING_INTERVAL_MS: '500',
      ...options.masterEnv,
    },
  });
  const agents: INestApplication[] = [];
  const stop = async (): Promise<void> => {
    for (const agent of agents) await agent.close().catch(() => undefined);
    await master.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    for (let i = 1; i <= options.agents; i++) {
      agents.push(
        await bootstrapAgent({
          port: 0,
          host: '127.0.0.1',
          logger: false,
          env: {
            NATS_URL: natsUrl,
            AGORA_BUS_NAMESPACE: namespace,
            AGORA_AGENT_HOSTNAME: `agent-${i}`,
            AGORA_AGENT_ADVERTISE_IP: '127.0.0.1',
            AGORA_AGENT_WORK_DIR: join(workDir, `agent-${i}`),
            AGORA_AGENT_RESOURCES: options.agentResources ?? 'cpus:4;mem:4096;disk:1024;ports:[31000-32000]',
            ...options.agentEnv,
          },
        }),
      );
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { master, masterUrl: urlOf(master), agents, agentUrls: agents.map(urlOf), workDir, stop };
}

/** Polls `check` until it returns a value, or throws after `timeoutMs` with the last one seen. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
