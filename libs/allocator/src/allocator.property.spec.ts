import fc from 'fast-check';
import { ResourceQuantities, Resources, topLevelRole } from '@agora/resources';
import { Allocator } from './allocator';
import type { AllocationResult } from './types';

/**
 * Properties that must hold whatever the cluster and event history:
 *  - an agent is never offered more than it has free, and no resource is offered twice in a cycle;
 *  - a role never consumes past its quota limit (allocated + offered + reserved);
 *  - the same events and seed give the same decisions.
 */

const ROLES = ['a', 'b', 'c', 'a/x', 'b/y'];

interface Scenario {
  agents: { cpus: number; mem: number; reservedRole?: string; gpus: boolean }[];
  frameworks: { roles: string[]; gpu: boolean }[];
  limits: { role: string; cpus: number }[];
  guarantees: { role: string; cpus: number }[];
  steps: { kind: 'allocate' | 'decline' | 'finish' | 'suppress' | 'revive'; pick: number; refuseMs: number }[];
  seed: number;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  agents: fc.array(
    fc.record({
      cpus: fc.integer({ min: 1, max: 32 }),
      mem: fc.integer({ min: 16, max: 8192 }),
      reservedRole: fc.option(fc.constantFrom('a', 'b', 'a/x'), { nil: undefined }),
      gpus: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  frameworks: fc.array(
    fc.record({ roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 2 }), gpu: fc.boolean() }),
    { minLength: 1, maxLength: 6 },
  ),
  limits: fc.array(fc.record({ role: fc.constantFrom('a', 'b', 'c'), cpus: fc.integer({ min: 0, max: 40 }) }), { maxLength: 2 }),
  guarantees: fc.array(fc.record({ role: fc.constantFrom('a', 'b', 'c'), cpus: fc.integer({ min: 0, max: 20 }) }), { maxLength: 2 }),
  steps: fc.array(
    fc.record({
      kind: fc.constantFrom('allocate', 'allocate', 'decline', 'finish', 'suppress', 'revive'),
      pick: fc.nat(),
      refuseMs: fc.integer({ min: 0, max: 20_000 }),
    }),
    { minLength: 1, maxLength: 25 },
  ),
  seed: fc.nat(),
});

interface Trace {
  cycles: AllocationResult[];
}

interface Facts {
  /** cpus limit per role, thousandths. */
  limitOf: Map<string, number>;
  /** cpus reserved per top-level role, thousandths. */
  reservedCpus: Map<string, number>;
}

type Check = (a: Allocator, before: Map<string, Resources>, r: AllocationResult, facts: Facts) => void;

function play(s: Scenario, check?: Check): Trace {
  const a = new Allocator({ seed: s.seed });
  const reservedCpus = new Map<string, number>();
  s.agents.forEach((spec, i) => {
    let text = `cpus:${spec.cpus};mem:${spec.mem}${spec.gpus ? ';gpus:1' : ''}`;
    if (spec.reservedRole) {
      text += `;cpus(${spec.reservedRole}):2;mem(${spec.reservedRole}):64`;
      const top = topLevelRole(spec.reservedRole);
      reservedCpus.set(top, (reservedCpus.get(top) ?? 0) + 2000);
    }
    a.addAgent({ id: `ag${i}`, hostname: `h${i}`, total: Resources.parse(text) });
  });
  const limitOf = new Map<string, number>();
  const quotas = new Map<string, { g: number; l?: number }>();
  for (const g of s.guarantees) quotas.set(g.role, { ...quotas.get(g.role), g: g.cpus });
  for (const l of s.limits) quotas.set(l.role, { g: quotas.get(l.role)?.g ?? 0, l: l.cpus });
  for (const [role, q] of quotas) {
    const limit = q.l === undefined ? undefined : Math.max(q.l, q.g);
    if (limit !== undefined) limitOf.set(role, limit * 1000);
    a.updateQuota(role, {
      guarantees: ResourceQuantities.fromRecord({ cpus: q.g }),
      limits: limit === undefined ? ResourceQuantities.EMPTY : ResourceQuantities.fromRecord({ cpus: limit }),
    });
  }
  s.frameworks.forEach((f, i) =>
    a.addFramework({ id: `f${i}`, roles: f.roles, capabilities: { multiRole: f.roles.length > 1, gpuResources: f.gpu } }),
  );
  const cycles: AllocationResult[] = [];
  let now = 0;
  for (const step of s.steps) {
    now += 1000;
    const fwId = `f${step.pick % s.frameworks.length}`;
    const lastOffers = cycles.at(-1)?.offers ?? [];
    const offer = lastOffers.length > 0 ? lastOffers[step.pick % lastOffers.length] : undefined;
    switch (step.kind) {
      case 'allocate': {
        const before = new Map([...a.agents.values()].map((ag) => [ag.id, ag.free]));
        const r = a.allocate(now);
        check?.(a, before, r, { limitOf, reservedCpus });
        cycles.push(r);
        break;
      }
      case 'decline':
        if (offer) a.recoverResources(offer.frameworkId, offer.agentId, offer.resources, { refuseMs: step.refuseMs, now });
        break;
      case 'finish':
        if (offer) a.recoverResources(offer.frameworkId, offer.agentId, offer.resources);
        break;
      case 'suppress':
        a.suppress(fwId);
        break;
      case 'revive':
        a.revive(fwId);
        break;
    }
  }
  return { cycles };
}

describe('allocator properties', () => {
  it('never offers more than an agent has free, nor the same resource twice in a cycle', () => {
    let offers = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        play(s, (_a, before, r) => {
          offers += r.offers.length;
          const offered = new Map<string, Resources>();
          for (const o of r.offers) offered.set(o.agentId, (offered.get(o.agentId) ?? Resources.EMPTY).add(o.resources.unallocate()));
          for (const [agentId, sum] of offered) {
            expect((before.get(agentId) as Resources).contains(sum)).toBe(true);
          }
        });
      }),
      { numRuns: 150 },
    );
    // The property is not vacuous: the scenarios do produce offers.
    expect(offers).toBeGreaterThan(100);
  });

  it('never lets a role consume past its quota limit', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        play(s, (a, _before, _r, facts) => {
          for (const [role, limit] of facts.limitOf) {
            const reserved = facts.reservedCpus.get(role) ?? 0;
            // Reservations alone may exceed a limit; offers must not add unreserved beyond it.
            const consumed = a.quota.consumed(role)[a.space.find('cpus') ?? 0] ?? 0;
            expect(consumed).toBeLessThanOrEqual(Math.max(limit, reserved));
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same decisions for the same events and seed', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const describe = (t: Trace): string[][] =>
          t.cycles.map((c) => c.offers.map((o) => `${o.frameworkId}/${o.role}@${o.agentId}:${o.resources.toString()}`));
        expect(describe(play(s))).toEqual(describe(play(s)));
      }),
      { numRuns: 100 },
    );
  });
});
