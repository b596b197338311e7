/**
 * For recovery specs: a real agent process (AgentProcess) on real NATS with a bus-level fake
 * master, started again and again on one work dir, as after a crash or a restart. Owns the work
 * dir, the fake master and its bus connection; `close` kills what is left.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsTransport } from '@agora/bus';
import type { ReregisterAgent } from '@agora/protocol';
import { serviceUrl } from '../../../../test/support/services';
import { testLauncherBinary } from '../drivers/process/test-launcher';
import { killGroups } from '../recovery/leftover-processes';
import { AgentProcess } from './agent-process';
import { FakeMaster } from './fake-master';

export class RecoveringAgent {
  /** Process groups of tasks and executors the spec started, killed by `close`. */
  readonly pids = new Set<number>();
  private current?: AgentProcess;

  private constructor(
    readonly workDir: string,
    readonly master: FakeMaster,
    private readonly transport: NatsTransport,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  /**
   * A fresh work dir and a fake master on a private bus namespace; `env` adds to or replaces the
   * agent's configuration (all resources are given, so a restarted agent keeps its id).
   */
  static async create(name: string, env: Record<string, string> = {}): Promise<RecoveringAgent> {
    const workDir = await mkdtemp(join(tmpdir(), `agora-${name}-`));
    const url = serviceUrl('NATS_URL');
    const namespace = `${name}-spec-${randomBytes(4).toString('hex')}`;
    const transport = await NatsTransport.connect({ url, name: `${name}-spec-master`, namespace });
    return new RecoveringAgent(workDir, new FakeMaster(transport), transport, {
      NATS_URL: url,
      AGORA_BUS_NAMESPACE: namespace,
      AGORA_AGENT_WORK_DIR: workDir,
      AGORA_AGENT_PORT: '0',
      AGORA_AGENT_HOST: '127.0.0.1',
      AGORA_AGENT_HOSTNAME: `${name}-spec`,
      AGORA_AGENT_RESOURCES: 'cpus:2;mem:1024;disk:1000;ports:[31000-31010]',
      AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '10',
      AGORA_PROCESS_LAUNCHER: testLauncherBinary(),
      AGORA_DOCKER: 'off',
      ...env,
    });
  }

  get log(): string {
    return join(this.workDir, 'agent.log');
  }

  /** The agent process started last. */
  get process(): AgentProcess {
    if (this.current === undefined) throw new Error('no agent process was started');
    return this.current;
  }

  /**
   * Starts an agent process and waits for its registration: the first `register` when the
   * master gave no id yet (resolves undefined), else its `reregister` (resolves with it). A late
   * retry of an earlier process's `register` is not it. Fails with the agent's log after a minute.
   */
  async boot(extra: Record<string, string> = {}): Promise<ReregisterAgent | undefined> {
    const master = this.master;
    const before = master.registrations.length;
    const known = master.kinds.length > 0;
    this.current = AgentProcess.start({ ...this.env, ...extra }, this.log);
    const index = (): number => master.kinds.findIndex((kind, i) => i >= before && (!known || kind === 'reregister'));
    await master.until(() => index() >= 0, 60_000).catch(async (e: Error) => {
      throw new Error(`the agent did not register (${e.message}):\n${await readFile(this.log, 'utf8').catch(() => '')}`);
    });
    await master.agentListening();
    return master.kinds[index()] === 'reregister' ? (master.registrations[index()] as ReregisterAgent) : undefined;
  }

  async close(): Promise<void> {
    await this.current?.kill();
    killGroups([...this.pids]);
    this.master.close();
    await this.transport.close();
    await rm(this.workDir, { recursive: true, force: true });
  }
}
