/**
 * Whether a master that just took office still withholds offers from roles with quota guarantees
 * (Mesos pauses its allocator on recovery when quota is set, reference §6.1): until `fraction` of
 * the agents it recovered from the registry have re-registered, or `timeoutMs` has passed since it
 * took office, whichever comes first. With no recovered agents there is nothing to wait for.
 */
export function quotaRecoveryPending(facts: {
  /** Agents the registry had admitted when this master took office. */
  readonly recovered: number;
  /** Of those, how many are still waiting to re-register. */
  readonly waiting: number;
  readonly fraction: number;
  readonly elapsedMs: number;
  readonly timeoutMs: number;
}): boolean {
  if (facts.recovered === 0 || facts.elapsedMs >= facts.timeoutMs) return false;
  return facts.recovered - facts.waiting < facts.fraction * facts.recovered;
}
