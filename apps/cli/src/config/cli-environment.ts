/**
 * The environment variables the CLI's own commands read — the only place outside the master's
 * and agent's config classes that looks at the environment. (`agora master`, `agent` and
 * `local` read theirs through those classes.)
 */

export interface CliEnvironment {
  /** AGORA_MASTER: the master `run`, `agents`, `frameworks` and `tasks` talk to; unset when empty. */
  readonly master?: string;
  /** NATS_URL: the bus `agora sim` joins; unset when empty. */
  readonly natsUrl?: string;
  /** AGORA_BUS_NAMESPACE: the subject prefix `agora sim` uses unless --master-namespace is given. */
  readonly busNamespace?: string;
}

export const MASTER_VARIABLE = 'AGORA_MASTER';

const set = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value);

export function readCliEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  const master = set(env[MASTER_VARIABLE]);
  const natsUrl = set(env.NATS_URL);
  const busNamespace = set(env.AGORA_BUS_NAMESPACE);
  return {
    ...(master !== undefined ? { master } : {}),
    ...(natsUrl !== undefined ? { natsUrl } : {}),
    ...(busNamespace !== undefined ? { busNamespace } : {}),
  };
}
