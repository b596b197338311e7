import { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessTransport } from '@agora/bus';
import { urlOf } from '@agora/nest-common';
import { bootstrapAgent } from '../bootstrap';
import { FakeMaster } from '../testing/fake-master';
import { waitFor } from '../testing/wait-for';

interface StateJson {
  frameworks: { id: string; completed_executors: { id: string; directory: string }[] }[];
  completed_frameworks: { id: string; completed_executors: { id: string; directory: string }[] }[];
}

describe('sandbox GC in a running agent', () => {
  let bus: InProcessTransport;
  let master: FakeMaster;
  let agent: INestApplication;
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-gc-agent-'));
    bus = new InProcessTransport();
    master = new FakeMaster(bus);
  });

  afterEach(async () => {
    await agent.close();
    master.close();
    await bus.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('removes the sandbox of an acknowledged task and drops it from /state', async () => {
    agent = await bootstrapAgent({
      port: 0,
      host: '127.0.0.1',
      logger: false,
      workDir,
      resources: 'cpus:1;mem:512',
      transport: bus,
      // Nothing is kept: a finished sandbox goes at the next disk check.
      env: { AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '20', AGORA_SANDBOX_GC_DELAY_MS: '0', AGORA_DISK_WATCH_INTERVAL_MS: '20' },
    });
    const base = urlOf(agent);
    await master.until(() => master.registrations.length === 1);
    await master.agentListening();
    master.runTask({ task_id: { value: 'hello' }, command: { value: 'echo hello' } });
    await master.until(() => master.distinctStates('hello').includes('TASK_FINISHED'));

    const sandbox = join(workDir, 'slaves', master.agentId, 'frameworks', `${master.masterId}-0000`);
    await waitFor(() => !existsSync(sandbox));
    const state = (await (await fetch(`${base}/state`)).json()) as StateJson;
    const executors = [...state.frameworks, ...state.completed_frameworks].flatMap((f) => f.completed_executors);
    expect(executors).toEqual([]);
  });
});
