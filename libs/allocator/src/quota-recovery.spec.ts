import { Reason } from './reasons';
import { agentsPerRole, cluster, framework, qty, reasonCodes } from './testing/harness';

/**
 * CycleOptions.withholdGuaranteedRoles: a master that just took office offers nothing to roles
 * with a quota guarantee (reference §6.1) and everything else as usual.
 */
describe('withholding roles with quota guarantees (master recovery)', () => {
  it.each([
    // [case, quota of role q (guarantees; limits), withhold, expected agents per role, reason for q]
    ['no quota: nothing withheld', undefined, true, { q: 1, other: 1 }, undefined],
    ['guarantee, not withholding', { guarantees: 'cpus:4;mem:4096', limits: '' }, false, { q: 1, other: 1 }, undefined],
    ['guarantee, withholding', { guarantees: 'cpus:4;mem:4096', limits: '' }, true, { other: 1 }, Reason.QUOTA_RECOVERY],
    ['limits only: not withheld', { guarantees: '', limits: 'cpus:8;mem:8192' }, true, { q: 1, other: 1 }, undefined],
  ] as const)('%s', (_name, quota, withhold, expected, reason) => {
    const a = cluster(2);
    if (quota !== undefined) a.updateQuota('q', { guarantees: qty(quota.guarantees), limits: qty(quota.limits) });
    a.addFramework(framework('fq', 'q'));
    a.addFramework(framework('fo', 'other'));
    const result = a.allocate(0, { withholdGuaranteedRoles: withhold });
    expect(agentsPerRole(result)).toEqual(expected);
    if (reason !== undefined) expect(reasonCodes(result, 'fq')).toEqual([reason]);
  });

  it('a child of a guaranteed top-level role is withheld too', () => {
    const a = cluster(2);
    a.updateQuota('eng', { guarantees: qty('cpus:2'), limits: qty('') });
    a.addFramework(framework('fw', 'eng/web'));
    expect(a.allocate(0, { withholdGuaranteedRoles: true }).offers).toHaveLength(0);
    expect(a.allocate(1000).offers.length).toBeGreaterThan(0);
  });
});
