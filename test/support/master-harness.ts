import type { INestApplication } from '@nestjs/common';
import { InProcessTransport } from '@agora/bus';
import { urlOf } from '@agora/nest-common';
import { bootstrapMaster } from '../../apps/master/src/bootstrap';
import { FakeAgent } from './fake-agent';

export interface TestMaster {
  readonly app: INestApplication;
  readonly url: string;
  readonly transport: InProcessTransport;
  /** A fake agent registered with this master. */
  agent(resources?: FakeAgent['resources'], hostname?: string): Promise<FakeAgent>;
  stop(): Promise<void>;
}

/** Fast intervals so tests wait little; each test asserts on events, never on time. */
export const FAST_MASTER_ENV = {
  AGORA_ALLOCATION_INTERVAL_MS: '50',
  AGORA_HEARTBEAT_INTERVAL_SECONDS: '1',
  AGORA_AGENT_PING_INTERVAL_MS: '100',
  AGORA_MAX_AGENT_PING_TIMEOUTS: '3',
};

/** A master on a free port with an in-process bus and the registry at `databaseUrl`. */
export async function startTestMaster(databaseUrl: string, env: Record<string, string> = {}): Promise<TestMaster> {
  const transport = new InProcessTransport();
  const app = await bootstrapMaster({
    port: 0,
    host: '127.0.0.1',
    env: { DATABASE_URL: databaseUrl, ...FAST_MASTER_ENV, ...env },
    logger: false,
    transport,
  });
  const agents: FakeAgent[] = [];
  let n = 0;
  return {
    app,
    url: urlOf(app),
    transport,
    agent: async (resources, hostname) => {
      const agent = new FakeAgent(transport, hostname ?? `fake-${++n}`, 5051, resources);
      const reply = await agent.register();
      if (reply.result !== 'REGISTERED') throw new Error(`registration refused: ${reply.message}`);
      agents.push(agent);
      return agent;
    },
    stop: async () => {
      agents.forEach((a) => a.stop());
      await app.close();
      await transport.close();
    },
  };
}
