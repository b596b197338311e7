import type { Allocator } from './allocator';
import { type Explanation, type ExplanationReason, PER_AGENT_REASONS, Reason, reasonOf } from './reasons';

export interface CycleFacts {
  readonly cycle: number;
  readonly paused: boolean;
  /** Roles withheld this cycle (CycleOptions.withholdGuaranteedRoles). */
  readonly withheld: (role: string) => boolean;
  readonly noAgents: boolean;
  /** Some activated agent had free resources when the cycle started. */
  readonly freeAtStart: boolean;
}

/**
 * For every framework × subscribed role that got nothing this cycle, says why. Whole-framework
 * reasons (paused, inactive, suppressed) come first; otherwise the per-agent obstacles counted
 * during the cycle; failing those, the framework was never reached because the resources went to
 * others ahead of it in fair-share order (or there were none).
 */
export function explain(a: Allocator, facts: CycleFacts): Explanation[] {
  const out: Explanation[] = [];
  for (const fw of a.frameworks.values()) {
    if (!fw.known) continue;
    for (const fr of fw.roles.values()) {
      if (!fr.subscribed) continue;
      fr.touch(facts.cycle);
      if (fr.offered) continue;
      out.push({ frameworkId: fw.id, role: fr.role, reasons: reasonsFor(fw.active, fr, facts) });
    }
  }
  return out;
}

function reasonsFor(
  active: boolean,
  fr: { role: string; suppressed: boolean; counters: number[] },
  facts: CycleFacts,
): ExplanationReason[] {
  if (facts.paused) return [reasonOf(Reason.PAUSED)];
  if (facts.withheld(fr.role)) return [reasonOf(Reason.QUOTA_RECOVERY)];
  if (!active) return [reasonOf(Reason.FRAMEWORK_INACTIVE)];
  if (fr.suppressed) return [reasonOf(Reason.ROLE_SUPPRESSED)];
  if (facts.noAgents) return [reasonOf(Reason.NO_AGENTS)];
  const reasons: ExplanationReason[] = [];
  fr.counters.forEach((n, i) => {
    if (n > 0) reasons.push(reasonOf(PER_AGENT_REASONS[i] as (typeof PER_AGENT_REASONS)[number], n));
  });
  if (reasons.length > 0) return reasons;
  return [reasonOf(facts.freeAtStart ? Reason.FAIR_SHARE : Reason.NO_FREE_RESOURCES)];
}
