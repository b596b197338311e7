/**
 * Registration retry waits, as Mesos's agent (reference §5.2): the first attempt after a random
 * time in [0, factor], then in [0, factor × 2^n], the upper bound capped at one minute. The
 * randomness spreads a thousand agents that lost their master at the same moment.
 */
export const MAX_REGISTRATION_BACKOFF_MS = 60_000;

/** The wait before attempt `attempt` (0 for the first); `random` is in [0, 1). */
export function registrationDelay(attempt: number, factorMs: number, random: number): number {
  const bound = Math.min(factorMs * 2 ** Math.min(attempt, 30), MAX_REGISTRATION_BACKOFF_MS);
  return Math.floor(random * bound);
}
