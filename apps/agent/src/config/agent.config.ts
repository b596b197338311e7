import { Env, FromEnv, IsHost, IsPort, loadConfig } from '@agora/nest-common';

/**
 * The agent's configuration: the only place the agent reads the environment. Validated at
 * boot; an invalid value stops the process with the list of bad variables.
 */
export class AgentConfig {
  /** HTTP port for the executor, files and health APIs (Mesos's agent port). */
  @FromEnv('AGORA_AGENT_PORT')
  @IsPort()
  readonly port: number = 5051;

  /** Address to bind; `0.0.0.0` serves every interface. */
  @FromEnv('AGORA_AGENT_HOST')
  @IsHost()
  readonly host: string = '0.0.0.0';
}

export function loadAgentConfig(
  overrides: Partial<AgentConfig> = {},
  env: Env = process.env,
): AgentConfig {
  return loadConfig(AgentConfig, env, overrides);
}
