import { INestApplication, LoggerService } from '@nestjs/common';
import { Env, serve } from '@agora/nest-common';
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
}

/**
 * Validates the configuration, starts a master and resolves once it listens. The caller owns
 * the returned app and closes it (`agora master`, `agora local` and tests all start it this way).
 * Throws ConfigError for bad configuration and ListenError when the port cannot be bound.
 */
export async function bootstrapMaster(options: MasterOptions = {}): Promise<INestApplication> {
  const config = loadMasterConfig({ port: options.port, host: options.host }, options.env);
  return serve(MasterModule.forRoot(config), {
    name: options.name ?? 'master',
    port: config.port,
    host: config.host,
    logger: options.logger,
  });
}
