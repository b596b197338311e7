import { INestApplication, LoggerService } from '@nestjs/common';
import { Env, serve } from '@agora/nest-common';
import { AgentModule } from './app.module';
import { loadAgentConfig } from './config/agent.config';

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
}

/**
 * Validates the configuration, starts an agent and resolves once it listens. The caller owns
 * the returned app and closes it (`agora agent`, `agora local` and tests all start it this way).
 * Throws ConfigError for bad configuration and ListenError when the port cannot be bound.
 */
export async function bootstrapAgent(options: AgentOptions = {}): Promise<INestApplication> {
  const config = loadAgentConfig({ port: options.port, host: options.host }, options.env);
  return serve(AgentModule.forRoot(config), {
    name: options.name ?? 'agent',
    port: config.port,
    host: config.host,
    logger: options.logger,
  });
}
