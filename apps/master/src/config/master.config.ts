import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { Env, FromEnv, IsHost, IsPort, IsPostgresUrl, loadConfig } from '@agora/nest-common';

/**
 * The master's configuration: the only place the master reads the environment. Validated at
 * boot; an invalid value stops the process with the list of bad variables.
 */
export class MasterConfig {
  /** HTTP port for the scheduler, operator and health APIs (Mesos's master port). */
  @FromEnv('AGORA_MASTER_PORT')
  @IsPort()
  readonly port: number = 5050;

  /** Address to bind; `0.0.0.0` serves every interface. */
  @FromEnv('AGORA_MASTER_HOST')
  @IsHost()
  readonly host: string = '0.0.0.0';

  /** How often the allocator runs a cycle (Mesos --allocation_interval), in milliseconds. */
  @FromEnv('AGORA_ALLOCATION_INTERVAL_MS')
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10)
  @Max(3_600_000)
  readonly allocationIntervalMs: number = 1000;

  /**
   * The registry's Postgres, e.g. `postgres://agora:secret@db:5432/agora`. When unset the master
   * starts an embedded Postgres (below); both get the same migrations.
   */
  @FromEnv('DATABASE_URL')
  @IsOptional()
  @IsPostgresUrl()
  readonly databaseUrl?: string = undefined;

  /** Data directory of the embedded Postgres (used only when DATABASE_URL is unset). */
  @FromEnv('AGORA_EMBEDDED_POSTGRES_DIR')
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  readonly embeddedPostgresDir: string = '.agora/postgres';

  /** Port of the embedded Postgres on 127.0.0.1; 0 picks a free one at each start. */
  @FromEnv('AGORA_EMBEDDED_POSTGRES_PORT')
  @IsPort()
  readonly embeddedPostgresPort: number = 0;
}

export function loadMasterConfig(
  overrides: Partial<MasterConfig> = {},
  env: Env = process.env,
): MasterConfig {
  return loadConfig(MasterConfig, env, overrides);
}
