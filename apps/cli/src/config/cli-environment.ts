/**
 * The environment variables the CLI's own commands read — the only place outside the master's
 * and agent's config classes that looks at the environment. (`agora master`, `agent` and
 * `local` read theirs through those classes.)
 */

export interface CliEnvironment {
  /** AGORA_MASTER: the master `run`, `agents`, `frameworks` and `tasks` talk to; unset when empty. */
  readonly master?: string;
}

export const MASTER_VARIABLE = 'AGORA_MASTER';

export function readCliEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  const master = env[MASTER_VARIABLE];
  return master === undefined || master.trim() === '' ? {} : { master };
}
