/**
 * The cluster of one fault scenario, every part a real separate process: a nats-server on a
 * free port (listening on every address, so agents in their namespaces reach it through their
 * veth), a fresh database on the suite's private Postgres, N masters (`agora master` from the
 * sources) and M agents (`agora agent`), each agent in a network namespace of its own with a
 * fixed port and work dir, so that a restart finds its state again.
 *
 * Masters run under a supervisor, as systemd would run them: a master that exits — killed, or
 * stepping down after losing leadership — is started again after a second, and the exit is
 * counted. Every process logs to `<dir>/<name>.log`; `stop()` ends them all and removes the
 * namespaces, also after a failed test.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { killTasksUnder } from '../../../apps/agent/src/testing/kill-tasks';
import { freePort } from '../../support/free-port';
import { type PrivatePostgres } from '../../support/private-postgres';
import { type AgentHost, AgentHosts } from './netns';
import { type ManagedProcess, ProcessSet } from './processes';

const ROOT = resolve(__dirname, '..', '..', '..');
const AGORA = join(ROOT, 'bin', 'agora');
const AGENT_PORT = 5051;

/** Short timers so failures are noticed in seconds (names per DESIGN §5 and the master README). */
export const MASTER_TIMERS: Readonly<Record<string, string>> = {
  AGORA_ALLOCATION_INTERVAL_MS: '100',
  AGORA_HEARTBEAT_INTERVAL_SECONDS: '1',
  AGORA_AGENT_PING_INTERVAL_MS: '500',
  // 10 missed pings: unreachable after ~5 s, so a 1.5 s partition stays well below it.
  AGORA_MAX_AGENT_PING_TIMEOUTS: '10',
  AGORA_LEADER_POLL_MS: '250',
  AGORA_LEADER_LEASE_MS: '2000',
  AGORA_AGENT_REREGISTER_TIMEOUT_MS: '10000',
};

/** The unreachable timeout those timers give (ping interval × missed pings). */
export const UNREACHABLE_AFTER_MS = 500 * 10;

export interface FaultClusterOptions {
  readonly scenario: string;
  /** Where logs, work dirs and the ledger go. */
  readonly dir: string;
  readonly postgres: PrivatePostgres;
  readonly masters: number;
  readonly agents: number;
  readonly agentResources?: string;
}

export interface MasterSlot {
  readonly index: number;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  proc?: ManagedProcess;
  /** Times the supervisor started it again. */
  restarts: number;
  /** Exits nobody signalled (a step-down, a crash). */
  selfExits: number;
}

export interface AgentSlot {
  readonly index: number;
  readonly hostname: string;
  readonly host: AgentHost;
  readonly workDir: string;
  /** http://<ns ip>:5051 */
  readonly url: string;
  proc?: ManagedProcess;
  starts: number;
}

export class FaultCluster {
  readonly procs: ProcessSet;
  readonly masters: MasterSlot[] = [];
  readonly agents: AgentSlot[] = [];
  private readonly hosts = new AgentHosts();
  private nats?: ManagedProcess;
  private natsStarts = 0;
  private stopping = false;
  private databaseUrl = '';

  private constructor(
    readonly options: FaultClusterOptions,
    readonly natsPort: number,
  ) {
    this.procs = new ProcessSet(options.dir);
  }

  static async start(options: FaultClusterOptions): Promise<FaultCluster> {
    mkdirSync(options.dir, { recursive: true });
    const cluster = new FaultCluster(options, await freePort());
    try {
      await cluster.boot();
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  private async boot(): Promise<void> {
    this.databaseUrl = await this.options.postgres.createDatabase(`faults_${this.options.scenario}`);
    await this.startNats();
    for (let i = 1; i <= this.options.masters; i++) {
      const port = await freePort();
      this.masters.push({ index: i, port, url: `http://127.0.0.1:${port}`, restarts: 0, selfExits: 0 });
    }
    // Masters start one after the other: the first becomes the leader without a race.
    for (const slot of this.masters) {
      this.startMaster(slot);
      await until(`master ${slot.index} answering /health`, 60_000, async () => (await get(`${slot.url}/health`))?.ok || undefined);
    }
    for (let i = 1; i <= this.options.agents; i++) {
      const host = this.hosts.create(i);
      const workDir = join(this.options.dir, `agent-${i}`);
      mkdirSync(workDir, { recursive: true });
      this.agents.push({ index: i, hostname: `agent-${i}`, host, workDir, url: `http://${host.ip}:${AGENT_PORT}`, starts: 0 });
    }
    for (const slot of this.agents) this.startAgent(slot);
    await this.untilAgentsActive(this.options.agents, 60_000);
  }

  get natsUrl(): string {
    return `nats://127.0.0.1:${this.natsPort}`;
  }

  masterUrls(): string[] {
    return this.masters.map((m) => m.url);
  }

  /** (Re)starts nats-server on the cluster's port. */
  async startNats(): Promise<void> {
    const name = this.natsStarts++ === 0 ? 'nats' : `nats-${this.natsStarts}`;
    this.nats = this.procs.spawn(name, 'nats-server', ['--addr', '0.0.0.0', '--port', String(this.natsPort)], {});
    await until('nats-server listening', 20_000, async () => ((await tcpOpen(this.natsPort)) ? true : undefined));
  }

  /** kill -9 of nats-server. */
  async killNats(): Promise<void> {
    if (this.nats) await this.procs.kill(this.nats);
  }

  startMaster(slot: MasterSlot): void {
    const name = slot.restarts === 0 ? `master-${slot.index}` : `master-${slot.index}.${slot.restarts}`;
    const proc = this.procs.spawn(name, process.execPath, [AGORA, 'master'], {
      AGORA_FROM_SOURCE: '1',
      DATABASE_URL: this.databaseUrl,
      NATS_URL: this.natsUrl,
      AGORA_BUS_NAMESPACE: `faults-${this.options.scenario}`,
      AGORA_MASTER_PORT: String(slot.port),
      AGORA_MASTER_HOST: '127.0.0.1',
      AGORA_MASTER_HOSTNAME: `master-${slot.index}`,
      ...MASTER_TIMERS,
    }, ROOT);
    slot.proc = proc;
    void proc.exited.then(() => {
      if (this.stopping || slot.proc !== proc) return;
      if (proc.signalled === undefined) slot.selfExits++;
      // Like systemd's Restart=always with RestartSec=1.
      setTimeout(() => {
        if (this.stopping || slot.proc !== proc) return;
        slot.restarts++;
        this.startMaster(slot);
      }, 1000).unref();
    });
  }

  startAgent(slot: AgentSlot): void {
    const name = slot.starts === 0 ? `agent-${slot.index}` : `agent-${slot.index}.${slot.starts}`;
    slot.starts++;
    slot.proc = this.procs.spawn(name, 'ip', ['netns', 'exec', slot.host.namespace, process.execPath, AGORA, 'agent'], {
      AGORA_FROM_SOURCE: '1',
      NATS_URL: `nats://${slot.host.hostIp}:${this.natsPort}`,
      AGORA_BUS_NAMESPACE: `faults-${this.options.scenario}`,
      AGORA_AGENT_PORT: String(AGENT_PORT),
      AGORA_AGENT_HOST: '0.0.0.0',
      AGORA_AGENT_HOSTNAME: slot.hostname,
      AGORA_AGENT_ADVERTISE_IP: slot.host.ip,
      AGORA_AGENT_WORK_DIR: slot.workDir,
      AGORA_AGENT_RESOURCES: this.options.agentResources ?? 'cpus:4;mem:2048;disk:1024;ports:[31000-32000]',
      AGORA_DOCKER: 'off',
      AGORA_STATUS_UPDATE_RETRY_MIN_MS: '1000',
      AGORA_STATUS_UPDATE_RETRY_MAX_MS: '4000',
      AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '200',
      AGORA_REGISTRATION_TIMEOUT_MS: '2000',
      AGORA_KILL_GRACE_MS: '1000',
    }, ROOT);
  }

  /** kill -9 of an agent process (its tasks live on: they run in sessions of their own). */
  async killAgent(slot: AgentSlot): Promise<void> {
    if (slot.proc) await this.procs.kill(slot.proc);
  }

  partition(slot: AgentSlot): void {
    this.hosts.partition(slot.host);
  }

  heal(slot: AgentSlot): void {
    this.hosts.heal(slot.host);
  }

  /** The leader's URL, as any live master's /redirect names it; undefined while none is known. */
  async leader(): Promise<string | undefined> {
    for (const slot of this.masters) {
      const location = await redirectOf(slot.url);
      if (location !== undefined) return location;
    }
    return undefined;
  }

  /** Masters whose /redirect names themselves: more than one at a time is a split brain. */
  async leaderClaims(): Promise<number[]> {
    const answers = await Promise.all(this.masters.map(async (slot) => ((await redirectOf(slot.url)) === slot.url ? slot.index : undefined)));
    return answers.filter((i): i is number => i !== undefined);
  }

  /** The leading master's slot, waiting until one leads. */
  async leaderSlot(timeoutMs = 30_000): Promise<MasterSlot> {
    return until('a leading master', timeoutMs, async () => {
      const url = await this.leader();
      return this.masters.find((m) => m.url === url);
    });
  }

  /** The leader's /state (Mesos v0 JSON). */
  async state(): Promise<MasterState> {
    return until('the leader answering /state', 30_000, async () => {
      const url = await this.leader();
      if (url === undefined) return undefined;
      const res = await get(`${url}/state`, 5000);
      return res?.ok ? ((await res.json()) as MasterState) : undefined;
    });
  }

  /** Waits until the leader lists `count` active agents. */
  async untilAgentsActive(count: number, timeoutMs: number): Promise<void> {
    await until(`${count} active agents`, timeoutMs, async () => {
      const url = await this.leader();
      const res = url === undefined ? undefined : await get(`${url}/state`, 5000);
      if (!res?.ok) return undefined;
      const state = (await res.json()) as MasterState;
      return state.slaves.filter((s) => s.active).length >= count ? true : undefined;
    });
  }

  /** Operator call on the leader (POST /api/v1). */
  async operator(body: unknown): Promise<{ status: number; body: string }> {
    const url = await until('a leader for an operator call', 30_000, () => this.leader());
    const res = await fetch(`${url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.text() };
  }

  /** Supervisor figures for the report. */
  masterRestarts(): { restarts: number; selfExits: number } {
    return {
      restarts: this.masters.reduce((n, m) => n + m.restarts, 0),
      selfExits: this.masters.reduce((n, m) => n + m.selfExits, 0),
    };
  }

  /** Every process, then the namespaces. Never throws. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.procs.stopAll(5000).catch(() => undefined);
    // Tasks of checkpointing frameworks outlive their agents by design (agent recovery).
    await killTasksUnder(this.options.dir).catch(() => undefined);
    try {
      this.hosts.removeAll();
    } catch {
      // reported by the next run's leftover cleanup
    }
  }
}

export interface StateResources {
  cpus?: number;
  mem?: number;
  disk?: number;
}

export interface MasterState {
  slaves: { id: string; hostname: string; active: boolean; resources: StateResources; used_resources: StateResources }[];
  frameworks: {
    id: string;
    used_resources: StateResources;
    tasks: { id: string; state: string; slave_id: string; resources: StateResources }[];
    unreachable_tasks?: { id: string; state: string }[];
  }[];
}

/** The leader a master names on /redirect, as http://host:port; undefined when it does not answer 307. */
export async function redirectOf(masterUrl: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${masterUrl}/redirect`, { redirect: 'manual', signal: AbortSignal.timeout(1000) });
    const location = res.headers.get('location');
    if (res.status !== 307 || location === null) return undefined;
    const m = /^(?:https?:)?\/\/([^/]+)/.exec(location);
    return m ? `http://${m[1]}` : undefined;
  } catch {
    return undefined;
  }
}

async function get(url: string, timeoutMs = 2000): Promise<Response | undefined> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return undefined;
  }
}

async function tcpOpen(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `check` every 200 ms until it gives a value (errors count as not yet); throws naming `what`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
