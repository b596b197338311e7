import { INestApplication, LoggerService } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { raw } from 'express';
import { type BusTransport, NatsTransport } from '@agora/bus';
import { ConfigError, Env, serve } from '@agora/nest-common';
import { agoraVersion } from '@agora/nest-common';
import { AgentModule } from './app.module';
import { loadAgentConfig, workDirOf } from './config/agent.config';
import { EXECUTOR_API_PATHS } from './executor-api/executor-api.controller';
import { AgentLifecycle } from './lifecycle/agent-lifecycle';
import { resolveAgentProfile } from './machine/agent-profile';
import { probeMachine } from './machine/machine-probe';
import type { RecoverMode } from './recovery/recovery-plan';
import type { AddressInfo } from 'node:net';

export interface AgentOptions {
  /** Overrides AGORA_AGENT_PORT; 0 picks a free port. */
  readonly port?: number;
  /** Overrides AGORA_AGENT_HOST. */
  readonly host?: string;
  /** The environment to read configuration from; defaults to the process's. */
  readonly env?: Env;
  /** Log prefix; `agent` unless several agents share a process. */
  readonly name?: string;
  /** Replaces the console logger; `false` silences logging (tests). */
  readonly logger?: LoggerService | false;
  /**
   * The bus to the master. `agora local` passes the in-process transport it shares with its
   * master; the agent then leaves closing it to the caller. Without one the agent connects to
   * NATS_URL itself.
   */
  readonly transport?: BusTransport;
  /** Overrides AGORA_AGENT_WORK_DIR. */
  readonly workDir?: string;
  /** Overrides AGORA_AGENT_RESOURCES (text form). */
  readonly resources?: string;
  /** Overrides AGORA_AGENT_ATTRIBUTES (text form). */
  readonly attributes?: string;
  /** Overrides AGORA_AGENT_HOSTNAME. */
  readonly hostname?: string;
  /** Overrides AGORA_AGENT_RECOVER (`agora agent --recover`). */
  readonly recover?: RecoverMode;
}

/** Executor calls carry at most a re-subscription's unacknowledged tasks and updates. */
const MAX_EXECUTOR_CALL_BYTES = '16mb';

/**
 * Validates the configuration, starts an agent and resolves once it listens and has begun
 * registering with the master. The caller owns the returned app: its close() kills the tasks,
 * stops registration and status updates, and leaves the bus (`agora agent`, `agora local` and
 * tests all start it this way). Throws ConfigError for bad configuration (including no bus at
 * all), ListenError when the port cannot be bound, BusClosedError when NATS cannot be reached.
 */
export async function bootstrapAgent(options: AgentOptions = {}): Promise<INestApplication> {
  const config = loadAgentConfig(
    {
      port: options.port,
      host: options.host,
      workDir: options.workDir,
      resources: options.resources,
      attributes: options.attributes,
      hostname: options.hostname,
      recover: options.recover,
    },
    options.env,
  );
  if (options.transport === undefined && config.natsUrl === undefined) {
    throw new ConfigError([
      'NATS_URL (not set): the agent registers with its master over NATS; set it to the NATS server, e.g. nats://127.0.0.1:4222',
    ]);
  }
  const workDir = resolve(workDirOf(config));
  await mkdir(workDir, { recursive: true });
  const profile = resolveAgentProfile(config, workDir, await probeMachine(workDir));
  const transport =
    options.transport ?? (await NatsTransport.connect({ url: config.natsUrl as string, name: `agora-agent-${config.hostname}`, namespace: config.busNamespace }));
  const ownsTransport = options.transport === undefined;
  let app: INestApplication | undefined;
  try {
    app = await serve(AgentModule.forRoot({ config, profile, version: agoraVersion(), transport, ownsTransport }), {
      name: options.name ?? 'agent',
      port: config.port,
      host: config.host,
      logger: options.logger,
      // The executor API reads its body raw, so that a malformed body is its own 400.
      configure: (nest) => nest.use(EXECUTOR_API_PATHS, raw({ type: () => true, limit: MAX_EXECUTOR_CALL_BYTES })),
    });
    await app.get(AgentLifecycle).start((app.getHttpServer().address() as AddressInfo).port);
    return app;
  } catch (error) {
    if (app !== undefined) await app.close();
    else if (ownsTransport) await transport.close();
    throw error;
  }
}

/**
 * Ends an agent for good: kills every task (checkpointing frameworks' too, which a plain
 * close() leaves running for the next agent process) and executor, then closes it. Test
 * teardowns use it so that no process outlives a test.
 */
export async function shutdownAgent(app: INestApplication): Promise<void> {
  await app.get(AgentLifecycle).shutdown();
  await app.close();
}
