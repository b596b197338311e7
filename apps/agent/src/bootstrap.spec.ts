import { INestApplication } from '@nestjs/common';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessTransport } from '@agora/bus';
import { ConfigError, ListenError, urlOf } from '@agora/nest-common';
import { bootstrapAgent, type AgentOptions } from './bootstrap';
import { FakeMaster } from './testing/fake-master';
import { isAlive } from './testing/processes';
import { waitFor } from './testing/wait-for';

describe('bootstrapAgent', () => {
  let app: INestApplication | undefined;
  let workDir: string;
  let transport: InProcessTransport;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-agent-boot-'));
    transport = new InProcessTransport();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await transport.close();
    await rm(workDir, { recursive: true, force: true });
  });

  /** An agent on the in-process bus (nobody answers its registration unless a test adds a master). */
  const boot = (options: AgentOptions = {}): Promise<INestApplication> =>
    bootstrapAgent({ port: 0, host: '127.0.0.1', env: {}, logger: false, transport, workDir, ...options });

  it('serves GET /health with an empty 200', async () => {
    app = await boot();
    const response = await fetch(`${urlOf(app)}/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers unknown routes with a text 404 and no stack trace', async () => {
    app = await boot();
    const response = await fetch(`${urlOf(app)}/no-such-endpoint`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await response.text();
    expect(body).toContain('/no-such-endpoint');
    expect(body).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('takes its port from AGORA_AGENT_PORT', async () => {
    app = await boot({ port: undefined, env: { AGORA_AGENT_PORT: '0' } });
    expect(urlOf(app)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fails fast listing every bad variable', async () => {
    const booting = boot({
      port: undefined,
      host: undefined,
      env: { AGORA_AGENT_PORT: 'fifty', AGORA_AGENT_HOST: 'not a host!' },
    });
    await expect(booting).rejects.toThrow(ConfigError);
    await expect(booting).rejects.toThrow(/AGORA_AGENT_PORT="fifty".*\n.*AGORA_AGENT_HOST="not a host!"/);
  });

  it('refuses to start without a bus, naming NATS_URL', async () => {
    const booting = boot({ transport: undefined });
    await expect(booting).rejects.toThrow(ConfigError);
    await expect(booting).rejects.toThrow(/NATS_URL \(not set\)/);
  });

  it('reports a taken port as a ListenError', async () => {
    app = await boot();
    const port = Number(new URL(urlOf(app)).port);
    await expect(boot({ port })).rejects.toThrow(ListenError);
  });

  it('serves /state and /slave(1)/state with the resolved resources and attributes', async () => {
    app = await boot({ resources: 'cpus:3;mem:2048;disk:100;ports:[5000-5001]', attributes: 'rack:r1;level:10', hostname: 'box-1' });
    for (const path of ['/state', '/slave(1)/state']) {
      const state = (await (await fetch(`${urlOf(app)}${path}`)).json()) as Record<string, unknown>;
      expect(state).toMatchObject({
        hostname: 'box-1',
        resources: { cpus: 3, mem: 2048, disk: 100, gpus: 0, ports: '[5000-5001]' },
        attributes: { rack: 'r1', level: 10 },
        frameworks: [],
        completed_frameworks: [],
      });
    }
  });

  it('kills its tasks when closed, and leaves a transport it was given open', async () => {
    const master = new FakeMaster(transport);
    app = await boot();
    await master.until(() => master.registrations.length === 1);
    await master.agentListening();
    master.runTask({ task_id: { value: 'forever' }, command: { value: 'echo $$ > pid; exec sleep 600' } });
    await master.until(() => master.distinctStates('forever').includes('TASK_RUNNING'));
    const state = (await (await fetch(`${urlOf(app)}/state`)).json()) as { frameworks: { executors: { directory: string }[] }[] };
    const pid = Number(await waitFor(async () => (await readFile(join(state.frameworks[0].executors[0].directory, 'pid'), 'utf8').catch(() => '')).trim()));

    await app.close();
    app = undefined;
    expect(isAlive(pid)).toBe(false);
    // The shared bus still works for whoever else uses it (the master in `agora local`).
    expect(() => transport.publish('agora.v1.agents.master-elected', new Uint8Array())).not.toThrow();
    master.close();
  });
});
