import type { OnApplicationShutdown } from '@nestjs/common';
import { ConfigError } from '@agora/nest-common';
import { Clock } from '../../clock/clock';
import type { DockerMode } from '../../config/agent.config';
import { DockerDriver, type DriverLog } from './docker-driver';
import { DockerEngine } from './docker-engine';
import { DEFAULT_DOCKER_HOST, describeAddress, type EngineAddress, parseDockerHost } from './engine-address';

export interface DockerSettings {
  readonly mode: DockerMode;
  /** DOCKER_HOST; undefined: DEFAULT_DOCKER_HOST. */
  readonly host?: string;
  readonly removeDelayMs: number;
}

/** How long the engine has to answer a probe. */
const PROBE_TIMEOUT_MS = 2000;
/** A probe's answer stands for this long: a burst of Docker tasks asks the engine once. */
const PROBE_REUSE_MS = 1000;

type Probe = { readonly available: true; readonly version: string } | { readonly available: false; readonly reason: string };

/**
 * Whether this agent runs Docker tasks, and the docker driver that runs them. At start the
 * agent asks the engine at DOCKER_HOST for its version (a short timeout) and logs what it
 * found; /state shows it as `docker`. With AGORA_DOCKER=auto an engine that was not there is
 * asked again when a Docker task arrives (it may have started since); with `on` the agent does
 * not start without one; with `off` it never uses one. A Docker task on an agent without an
 * engine fails with REASON_CONTAINER_LAUNCH_FAILED and a message that says so.
 */
export class DockerSupport implements OnApplicationShutdown {
  private probe: Probe;
  private probedAt = Number.NEGATIVE_INFINITY;
  private probing?: Promise<Probe>;

  private constructor(
    readonly address: EngineAddress,
    readonly mode: DockerMode,
    private readonly engine: DockerEngine,
    readonly driver: DockerDriver,
    private readonly clock: Clock,
    private readonly logger: DriverLog,
  ) {
    this.probe = { available: false, reason: 'not probed yet' };
  }

  /** Probes the engine; throws ConfigError when AGORA_DOCKER=on and none answers. */
  static async start(settings: DockerSettings, clock: Clock, logger: DriverLog): Promise<DockerSupport> {
    const address = parseDockerHost(settings.host ?? DEFAULT_DOCKER_HOST);
    const engine = new DockerEngine(address);
    const driver = new DockerDriver(engine, clock, { removeDelayMs: settings.removeDelayMs }, logger);
    const support = new DockerSupport(address, settings.mode, engine, driver, clock, logger);
    if (settings.mode === 'off') {
      support.probe = { available: false, reason: 'Docker is turned off on this agent (AGORA_DOCKER=off)' };
      logger.log('Docker tasks are turned off (AGORA_DOCKER=off)');
      return support;
    }
    const probe = await support.ask();
    if (probe.available) {
      logger.log(`Docker engine ${probe.version} answers at ${describeAddress(address)}: Docker tasks run here`);
    } else if (settings.mode === 'on') {
      throw new ConfigError([`AGORA_DOCKER="on": ${probe.reason}`]);
    } else {
      logger.log(`no Docker engine: ${probe.reason}; Docker tasks fail on this agent until one answers`);
    }
    return support;
  }

  /** Whether the engine answered the last time it was asked. */
  get available(): boolean {
    return this.probe.available;
  }

  /**
   * Undefined when Docker tasks can run now; otherwise why not, as the message of the task's
   * TASK_FAILED. An engine that was missing is asked again (AGORA_DOCKER=auto).
   */
  async unavailable(): Promise<string | undefined> {
    if (!this.probe.available && this.mode === 'auto' && this.clock.now() - this.probedAt >= PROBE_REUSE_MS) {
      const probe = await this.ask();
      if (probe.available) this.logger.log(`Docker engine ${probe.version} answers at ${describeAddress(this.address)} now: Docker tasks run here`);
    }
    return this.probe.available ? undefined : `no Docker engine on this agent: ${this.probe.reason}`;
  }

  /** The agent is stopping: ended containers are removed (DockerDriver.close). */
  async onApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }

  /** Asks the engine for its version; concurrent callers share one question. */
  private ask(): Promise<Probe> {
    this.probing ??= this.engine
      .version(PROBE_TIMEOUT_MS)
      .then(
        (v): Probe => ({ available: true, version: v.version }),
        (e: unknown): Probe => ({ available: false, reason: `nothing answers at ${describeAddress(this.address)} (${(e as Error).message})` }),
      )
      .then((probe) => {
        this.probe = probe;
        this.probedAt = this.clock.now();
        this.probing = undefined;
        return probe;
      });
    return this.probing;
  }
}
