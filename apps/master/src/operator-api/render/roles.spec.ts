import { ResourceQuantities } from '@agora/resources';
import { ClusterBuilder } from '../testing/cluster-builder';
import type { RoleReading, RoleSettings } from './inputs';
import { renderRoles } from './roles';

const reading = (role: string, weight = 1): RoleReading => ({ role, weight, share: 0, allocated: {} });

describe('renderRoles', () => {
  it('joins the allocator, subscriptions, reservations, allocations and offers by role', () => {
    const c = new ClusterBuilder();
    c.agent('a1', { resources: 'cpus:8;mem:4096;cpus(ops):2' });
    c.agent('a2', { resources: 'cpus:4;mem(ops):512' });
    c.framework('f1', { roles: ['web'] });
    c.framework('f2', { roles: ['web', 'batch'], capabilities: ['MULTI_ROLE'] });
    c.task('f1', 'a1', 't1', { resources: 'cpus:1;mem:100' });
    c.task('f2', 'a2', 't2', { resources: 'cpus:2', role: 'batch' });
    c.task('f2', 'a2', 'ended', { resources: 'cpus:3', role: 'batch', state: 'TASK_FINISHED' });
    c.offer('o1', 'f2', 'a1', 'cpus:1;mem:10', 'web');
    const { roles } = renderRoles(c.state, { roles: [reading('web', 2), reading('weighted-only', 3)] });
    expect(roles.map((r) => r.name)).toEqual(['batch', 'ops', 'web', 'weighted-only']);
    const [batch, ops, web, weightedOnly] = roles;
    expect(web).toMatchObject({
      weight: 2,
      allocated: { cpus: 1, mem: 100 },
      offered: { cpus: 1, mem: 10 },
      resources: { cpus: 2, mem: 110 },
      reserved: { cpus: 0, mem: 0 },
      frameworks: ['f1', 'f2'],
    });
    expect(batch).toMatchObject({ weight: 1, allocated: { cpus: 2 }, frameworks: ['f2'] });
    expect(ops).toMatchObject({ reserved: { cpus: 2, mem: 512 }, allocated: { cpus: 0 }, frameworks: [] });
    expect(weightedOnly).toMatchObject({ weight: 3, resources: { cpus: 0, mem: 0, disk: 0, gpus: 0 }, frameworks: [] });
  });

  it("takes weights and quotas from the operators' settings, listing roles known only from them", () => {
    const c = new ClusterBuilder();
    c.agent('a1', { resources: 'cpus:8;mem:4096;cpus(eng):2' });
    c.framework('f1', { roles: ['eng'] });
    c.task('f1', 'a1', 't1', { resources: 'cpus:1;mem:100' });
    const settings: RoleSettings = {
      weights: [{ role: 'eng', weight: 3 }, { role: 'idle', weight: 0.5 }],
      quotas: [{ role: 'eng', guarantees: ResourceQuantities.parse('cpus:1'), limits: ResourceQuantities.parse('cpus:4;mem:0') }],
    };
    const { roles } = renderRoles(c.state, { roles: [reading('eng', 1)] }, settings);
    expect(roles.map((r) => [r.name, r.weight])).toEqual([['eng', 3], ['idle', 0.5]]);
    // Consumed: the task's 1 cpu and 100 mem, plus the 2 cpus reserved to eng and unused.
    expect(roles[0].quota).toEqual({ role: 'eng', guarantee: { cpus: 1 }, limit: { cpus: 4, mem: 0 }, consumed: { cpus: 3, mem: 100 } });
    expect(roles[1].quota).toEqual({ role: 'idle', guarantee: {}, limit: {}, consumed: {} });
  });

  it('is empty for an empty cluster', () => {
    expect(renderRoles(new ClusterBuilder().state, { roles: [] })).toEqual({ roles: [] });
  });
});
