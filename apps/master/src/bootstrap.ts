import { INestApplication, LoggerService } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { raw } from 'express';
import type { BusTransport } from '@agora/bus';
import { Env, serve } from '@agora/nest-common';
import { LeaderElection } from './cluster/leader-election.service';
import { MasterIdentity } from './cluster/master-identity';
import { StandbyGate } from './cluster/standby-gate';
import { StepDown } from './cluster/step-down';
import { SchedulerEndpoint } from './scheduler-api/scheduler.endpoint';
import { OPERATOR_RAW_BODY_PATHS } from './operator-api/operator.controller';
import { MasterModule } from './app.module';
import { loadMasterConfig } from './config/master.config';

export interface MasterOptions {
  /** Overrides AGORA_MASTER_PORT; 0 picks a free port. */
  readonly port?: number;
  /** Overrides AGORA_MASTER_HOST. */
  readonly host?: string;
  /** The environment to read configuration from; defaults to the process's. */
  readonly env?: Env;
  /** Log prefix; `master` unless several masters share a process. */
  readonly name?: string;
  /** Replaces the console logger; `false` silences logging (tests). */
  readonly logger?: LoggerService | false;
  /** The bus to agents when not NATS_URL: `agora local` passes one in-process transport to all. */
  readonly transport?: BusTransport;
  /**
   * What a leader that lost its lock does instead of exiting the process (tests). The default
   * logs why and exits with status 70 (cluster/step-down.ts).
   */
  readonly onStepDown?: (why: string) => void;
}

/** Operator calls may be large (many agents or resources in one call). */
const MAX_CALL_BYTES = '64mb';

/**
 * Validates the configuration, starts a master and resolves once it listens and has campaigned
 * once for the leadership: it leads, or it is a standby that keeps trying. The caller owns
 * the returned app and closes it (`agora master`, `agora local` and tests all start it this way).
 * Throws ConfigError for bad configuration and ListenError when the port cannot be bound.
 */
export async function bootstrapMaster(options: MasterOptions = {}): Promise<INestApplication> {
  const config = loadMasterConfig({ port: options.port, host: options.host }, options.env);
  const app = await serve(MasterModule.forRoot(config, options.transport), {
    name: options.name ?? 'master',
    port: config.port,
    host: config.host,
    logger: options.logger,
    // The operator API (/api/v1) and the v0 writes (/weights, /teardown) read their bodies raw,
    // so that a malformed body is its own 400; so does the scheduler endpoint, a raw route.
    configure: (nest) => {
      nest.use(OPERATOR_RAW_BODY_PATHS, raw({ type: () => true, limit: MAX_CALL_BYTES }));
    },
    rawRoutes: (nest) => [nest.get(SchedulerEndpoint).route()],
    // A standby redirects (or answers 503) before any route sees the request.
    gate: (nest) => nest.get(StandbyGate).gate,
  });
  app.get(MasterIdentity).port = (app.getHttpServer().address() as AddressInfo).port;
  if (options.onStepDown !== undefined) app.get(StepDown).replace(options.onStepDown);
  // Campaign once the real port is known: the leader's address is recorded with it.
  try {
    await app.get(LeaderElection).start();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
