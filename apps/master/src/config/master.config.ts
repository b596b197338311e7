import { Env, FromEnv, IsHost, IsPort, loadConfig } from '@agora/nest-common';

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
}

export function loadMasterConfig(
  overrides: Partial<MasterConfig> = {},
  env: Env = process.env,
): MasterConfig {
  return loadConfig(MasterConfig, env, overrides);
}
