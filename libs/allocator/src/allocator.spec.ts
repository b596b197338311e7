import { Resources } from '@agora/resources';
import { Allocator } from './allocator';
import { Reason } from './reasons';
import {
  agent,
  agentsPerFramework,
  agentsPerRole,
  cluster,
  declineAll,
  framework,
  qty,
  reasonCodes,
  res,
  returnAll,
} from './testing/harness';

describe('fair sharing', () => {
  it.each([
    // [case, agents, roles (name:weight), expected agents per role]
    ['equal weights split evenly', 10, ['a:1', 'b:1'], { a: 5, b: 5 }],
    ['weight 2 gets twice as many', 9, ['a:2', 'b:1'], { a: 6, b: 3 }],
    ['weight 3 against 1', 8, ['a:3', 'b:1'], { a: 6, b: 2 }],
    ['three equal roles', 9, ['a:1', 'b:1', 'c:1'], { a: 3, b: 3, c: 3 }],
  ])('%s', (_name, agents, roles, expected) => {
    const a = cluster(agents);
    a.updateWeights(roles.map((r) => ({ role: r.split(':')[0], weight: Number(r.split(':')[1]) })));
    for (const r of roles) a.addFramework(framework(`fw-${r.split(':')[0]}`, r.split(':')[0]));
    expect(agentsPerRole(a.allocate(0))).toEqual(expected);
  });

  it('nested roles compare subtree shares', () => {
    const a = cluster(8);
    a.addFramework(framework('web', 'eng/web'));
    a.addFramework(framework('api', 'eng/api'));
    a.addFramework(framework('ops', 'ops'));
    expect(agentsPerRole(a.allocate(0))).toEqual({ 'eng/web': 2, 'eng/api': 2, ops: 4 });
  });

  it('a role with its own frameworks competes with its children', () => {
    const a = cluster(8);
    a.addFramework(framework('eng', 'eng'));
    a.addFramework(framework('web', 'eng/web'));
    a.addFramework(framework('ops', 'ops'));
    expect(agentsPerRole(a.allocate(0))).toEqual({ eng: 2, 'eng/web': 2, ops: 4 });
  });

  it('two identical agents and two frameworks give one agent each', () => {
    const a = cluster(2);
    a.addFramework(framework('f1'));
    a.addFramework(framework('f2'));
    expect(agentsPerFramework(a.allocate(0))).toEqual({ f1: 1, f2: 1 });
  });

  it('equal shares alternate between frameworks', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    a.addFramework(framework('f2'));
    const winners: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = a.allocate(i * 1000);
      winners.push(r.offers[0].frameworkId);
      returnAll(a, r);
    }
    expect(winners).toEqual(['f1', 'f2', 'f1', 'f2']);
  });

  it('the dominant resource decides: a memory-heavy framework counts its memory', () => {
    const a = new Allocator();
    // a-mem holds 95% of the memory but 1 cpu; z-cpu holds 9 of 10 cpus. By dominant share a-mem
    // (0.95) is ahead of z-cpu (0.9) in need, so z-cpu goes first, against name order and cpus.
    a.addAgent(agent('m', 'cpus:1;mem:950'), [{ frameworkId: 'a-mem', resources: res('cpus:1;mem:950').allocate('*') }]);
    a.addAgent(agent('c', 'cpus:9;mem:50'), [{ frameworkId: 'z-cpu', resources: res('cpus:9;mem:50').allocate('*') }]);
    a.addAgent(agent('free', 'cpus:0.01;mem:0.01'));
    a.addFramework(framework('a-mem'));
    a.addFramework(framework('z-cpu'));
    expect(agentsPerFramework(a.allocate(0))).toEqual({ 'z-cpu': 1 });
  });

  it('offers are coarse-grained: one framework takes the whole agent', () => {
    const a = cluster(1, 'cpus:4;mem:4096;ports:[31000-32000]');
    a.addFramework(framework('f1'));
    a.addFramework(framework('f2'));
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(1);
    expect(r.offers[0].resources.unallocate().equals(res('cpus:4;mem:4096;ports:[31000-32000]'))).toBe(true);
    expect(r.offers[0].resources.list.every((x) => x.allocationRole === '*')).toBe(true);
  });

  it('allocated resources are not offered again until recovered', () => {
    const a = cluster(2);
    a.addFramework(framework('f1'));
    expect(a.allocate(0).offers).toHaveLength(2);
    expect(a.allocate(1000).offers).toHaveLength(0);
  });

  it('a finished task frees only what it used', () => {
    const a = cluster(1, 'cpus:4;mem:4096');
    a.addFramework(framework('f1'));
    const offer = a.allocate(0).offers[0];
    // The framework launched a task with cpus:1;mem:512 and declined the rest.
    const used = res('cpus:1;mem:512').allocate('*');
    a.recoverResources('f1', 'a0', offer.resources.subtract(used));
    expect(a.freeOf('a0').equals(res('cpus:3;mem:3584'))).toBe(true);
    a.recoverResources('f1', 'a0', used);
    expect(a.freeOf('a0').equals(res('cpus:4;mem:4096'))).toBe(true);
  });
});

describe('refuse filters', () => {
  it('declined resources go to the other framework while the filter lasts, and come back after it expires', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    a.addFramework(framework('f2'));
    const first = a.allocate(0);
    expect(first.offers[0].frameworkId).toBe('f1');
    declineAll(a, first, 0, 10_000);
    const second = a.allocate(1000);
    expect(second.offers[0].frameworkId).toBe('f2');
    declineAll(a, second, 1000, 60_000);
    const third = a.allocate(2000);
    expect(third.offers).toHaveLength(0);
    expect(reasonCodes(third, 'f1')).toEqual([Reason.FILTERED]);
    // f1's filter expired at 10 s; f2's has not.
    expect(agentsPerFramework(a.allocate(10_000))).toEqual({ f1: 1 });
  });

  it('revive clears the filters of the role at once', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    declineAll(a, a.allocate(0), 0, 3600_000);
    expect(a.allocate(1000).offers).toHaveLength(0);
    a.revive('f1');
    expect(agentsPerFramework(a.allocate(2000))).toEqual({ f1: 1 });
  });

  it.each([
    ['default is 5 s', undefined, 4999, 5000],
    ['never shorter than the allocation interval', 10, 999, 1000],
    ['zero seconds still lasts one interval', 0, 999, 1000],
    ['negative means the default', -1, 4999, 5000],
  ])('filter lifetime: %s', (_name, refuseMs, stillFiltered, expired) => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    declineAll(a, a.allocate(0), 0, refuseMs);
    expect(a.allocate(stillFiltered).offers).toHaveLength(0);
    expect(a.allocate(expired).offers).toHaveLength(1);
  });

  it('a larger offer passes a filter for a smaller one', () => {
    const a = cluster(1, 'cpus:4;mem:4096');
    a.addFramework(framework('f1'));
    const offer = a.allocate(0).offers[0];
    const used = res('cpus:2;mem:2048').allocate('*');
    a.recoverResources('f1', 'a0', offer.resources.subtract(used), { refuseMs: 60_000, now: 0 });
    expect(a.allocate(1000).offers).toHaveLength(0);
    a.recoverResources('f1', 'a0', used);
    expect(a.allocate(2000).offers).toHaveLength(1);
  });

  it('an agent whose total changes drops its filters', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    declineAll(a, a.allocate(0), 0, 60_000);
    a.updateAgent(agent('a0', 'cpus:4;mem:4096', { attributes: [{ name: 'rack', text: 'r2' }] }));
    expect(a.allocate(1000).offers).toHaveLength(1);
  });
});

describe('suppress and revive', () => {
  it('a suppressed role gets no offers and is explained', () => {
    const a = cluster(2);
    a.addFramework(framework('f1', ['r1', 'r2']));
    a.suppress('f1', ['r1']);
    const r = a.allocate(0);
    expect(agentsPerRole(r)).toEqual({ r2: 2 });
    expect(reasonCodes(r, 'f1', 'r1')).toEqual([Reason.ROLE_SUPPRESSED]);
  });

  it('a framework subscribed with all roles suppressed gets nothing', () => {
    const a = cluster(2);
    a.addFramework(framework('f1', 'r1', { suppressedRoles: ['r1'] }));
    expect(a.allocate(0).offers).toHaveLength(0);
    a.revive('f1', ['r1']);
    expect(a.allocate(1000).offers).toHaveLength(2);
  });

  it('an inactive framework keeps its allocation but gets no new offers', () => {
    const a = cluster(2);
    a.addFramework(framework('f1'));
    a.deactivateFramework('f1');
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(0);
    expect(reasonCodes(r, 'f1')).toEqual([Reason.FRAMEWORK_INACTIVE]);
  });

  it('pause stops all offers until resume', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    a.pause();
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(0);
    expect(reasonCodes(r, 'f1')).toEqual([Reason.PAUSED]);
    a.resume();
    expect(a.allocate(1000).offers).toHaveLength(1);
  });
});

describe('quota', () => {
  it('a guarantee holds resources back from other roles', () => {
    const a = cluster(2);
    a.updateQuota('q', { guarantees: qty('cpus:4;mem:4096'), limits: qty('cpus:8;mem:8192') });
    a.addFramework(framework('other', 'other'));
    const r = a.allocate(0);
    expect(agentsPerRole(r)).toEqual({ other: 1 });
    expect(r.metrics.quotaHeadroomRequired).toEqual({ cpus: 4, mem: 4096 });
    a.addFramework(framework('qf', 'q'));
    expect(agentsPerRole(a.allocate(1000))).toEqual({ q: 1 });
  });

  it('what is held back is explained to the framework that did not get it', () => {
    const a = cluster(1);
    a.updateQuota('q', { guarantees: qty('cpus:4;mem:4096'), limits: qty('') });
    a.addFramework(framework('other', 'other'));
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(0);
    expect(reasonCodes(r, 'other')).toEqual([Reason.HELD_FOR_GUARANTEES]);
  });

  it('guarantees are met first, before fair share', () => {
    const a = cluster(4);
    a.updateQuota('q', { guarantees: qty('cpus:12;mem:12288'), limits: qty('') });
    a.addFramework(framework('big', 'big'));
    a.addFramework(framework('qf', 'q'));
    expect(agentsPerRole(a.allocate(0))).toEqual({ q: 3, big: 1 });
  });

  it('a zero limit gets nothing', () => {
    const a = cluster(2, 'cpus:4;mem:4096;disk:100;ports:[31000-32000]');
    a.updateQuota('z', { guarantees: qty(''), limits: qty('cpus:0;mem:0;disk:0') });
    a.addFramework(framework('f1', 'z'));
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(0);
    expect(reasonCodes(r, 'f1')).toEqual([Reason.QUOTA_LIMIT]);
  });

  it('offers are chopped to the limit', () => {
    const a = cluster(2);
    a.updateQuota('l', { guarantees: qty(''), limits: qty('cpus:6') });
    a.addFramework(framework('f1', 'l'));
    const r = a.allocate(0);
    const cpus = r.offers.reduce((sum, o) => sum + o.resources.scalar('cpus'), 0);
    expect(cpus).toBe(6000);
  });

  it('a limit counts reservations of the role as consumed', () => {
    const a = new Allocator();
    a.addAgent(agent('a0', 'cpus(l):4;mem(l):1024'));
    a.addAgent(agent('a1', 'cpus:4;mem:4096'));
    a.updateQuota('l', { guarantees: qty(''), limits: qty('cpus:5;mem:8192') });
    a.addFramework(framework('f1', 'l'));
    const r = a.allocate(0);
    expect(r.offers.reduce((sum, o) => sum + o.resources.scalar('cpus'), 0)).toBe(5000);
  });

  it('refuses quota on nested roles and guarantees above limits', () => {
    const a = new Allocator();
    expect(() => a.updateQuota('eng/web', { guarantees: qty('cpus:1'), limits: qty('') })).toThrow(/top-level/);
    expect(() => a.updateQuota('eng', { guarantees: qty('cpus:2'), limits: qty('cpus:1') })).toThrow(/exceeds/);
  });
});

describe('reservations', () => {
  it('are never offered to other roles', () => {
    const a = new Allocator();
    a.addAgent(agent('a0', 'cpus(eng):4;mem(eng):4096'));
    a.addFramework(framework('ops', 'ops'));
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(0);
    a.addFramework(framework('eng', 'eng'));
    expect(agentsPerFramework(a.allocate(1000))).toEqual({ eng: 1 });
  });

  it('a role ahead in order takes only the unreserved part; the reservation still goes to its role', () => {
    const a = new Allocator();
    a.addAgent(agent('a0', 'cpus(web):2;mem(web):1024;cpus:2;mem:1024'));
    a.addFramework(framework('api', 'api'));
    a.addFramework(framework('web', 'web'));
    const r = a.allocate(0);
    const byRole = Object.fromEntries(r.offers.map((o) => [o.role, o.resources.unallocate().toString()]));
    expect(byRole).toEqual({ api: 'cpus:2;mem:1024', web: 'cpus(web):2;mem(web):1024' });
  });

  it('the reservation holder first in order takes reserved and unreserved alike (coarse-grained)', () => {
    const a = new Allocator();
    a.addAgent(agent('a0', 'cpus(eng):2;mem(eng):1024;cpus:2;mem:1024'));
    a.addFramework(framework('eng', 'eng'));
    a.addFramework(framework('ops', 'ops'));
    expect(agentsPerRole(a.allocate(0))).toEqual({ eng: 1 });
  });

  it('a parent role reservation is usable by a child role', () => {
    const a = new Allocator();
    a.addAgent(agent('a0', 'cpus(eng):4;mem(eng):4096'));
    a.addFramework(framework('web', 'eng/web'));
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(1);
    expect(r.offers[0].role).toBe('eng/web');
  });

  it('updateAllocation turns held unreserved resources into a reservation', () => {
    const a = cluster(1, 'cpus:4;mem:4096');
    a.addFramework(framework('f1', 'eng'));
    const offer = a.allocate(0).offers[0];
    const from = res('cpus:1').allocate('eng');
    const to = res('cpus(eng):1').allocate('eng');
    a.updateAllocation('f1', 'a0', from, to);
    a.recoverResources('f1', 'a0', offer.resources.subtract(from).add(to));
    expect(a.freeOf('a0').equals(res('cpus:3;mem:4096;cpus(eng):1'))).toBe(true);
  });
});

describe('minimum allocatable resources', () => {
  it.each([
    ['cpus at the default minimum is offered', 'cpus:0.01', 1],
    ['cpus below the default minimum is not', 'cpus:0.009', 0],
    ['mem at the default minimum is offered', 'mem:32', 1],
    ['mem below the default minimum is not', 'mem:31.999', 0],
    ['ports alone are not', 'ports:[31000-32000]', 0],
    ['disk alone is not', 'disk:1000', 0],
  ])('%s', (_name, text, offers) => {
    const a = cluster(1, text);
    a.addFramework(framework('f1'));
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(offers);
    if (offers === 0) expect(reasonCodes(r, 'f1')).toEqual([Reason.BELOW_MIN_ALLOCATABLE]);
  });

  it('a framework may lower its own minimum for a role', () => {
    const a = cluster(1, 'disk:1000');
    a.addFramework(framework('f1', 'r', { minAllocatable: { r: [qty('disk:1')] } }));
    expect(a.allocate(0).offers).toHaveLength(1);
  });

  it('a framework may raise its own minimum for a role', () => {
    const a = cluster(1, 'cpus:1;mem:1024');
    a.addFramework(framework('f1', 'r', { minAllocatable: { r: [qty('cpus:2;mem:1024')] } }));
    expect(a.allocate(0).offers).toHaveLength(0);
  });
});

describe('capabilities and constraints', () => {
  it('GPU agents go only to GPU-capable frameworks', () => {
    const a = new Allocator();
    a.addAgent(agent('gpu', 'cpus:4;mem:4096;gpus:1'));
    a.addFramework(framework('plain'));
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(0);
    expect(reasonCodes(r, 'plain')).toEqual([Reason.GPU_CAPABILITY]);
    a.addFramework(framework('ml', '*', { capabilities: { gpuResources: true } }));
    expect(agentsPerFramework(a.allocate(1000))).toEqual({ ml: 1 });
  });

  it('revocable resources are stripped for frameworks without the capability', () => {
    const a = new Allocator();
    const total = res('cpus:2;mem:1024').add(Resources.of(res('cpus:2').list.map((r) => ({ ...r, revocable: true }))));
    a.addAgent({ id: 'a0', hostname: 'a0', total });
    a.addFramework(framework('f1'));
    const r = a.allocate(0);
    expect(r.offers[0].resources.revocable().isEmpty()).toBe(true);
  });

  it('multi-role frameworks get one offer per role', () => {
    const a = cluster(2);
    a.addFramework(framework('f1', ['r1', 'r2']));
    expect(agentsPerRole(a.allocate(0))).toEqual({ r1: 1, r2: 1 });
  });

  it.each([
    ['exists', { attributeName: 'rack' }, { exists: true }, ['a0', 'a1']],
    ['not exists', { attributeName: 'gpu' }, { notExists: true }, ['a0', 'a1', 'a2']],
    ['equals', { attributeName: 'rack' }, { textEquals: 'r1' }, ['a0']],
    ['not equals', { attributeName: 'rack' }, { textNotEquals: 'r1' }, ['a1']],
    ['regex', { attributeName: 'rack' }, { textMatches: 'r[0-9]' }, ['a0', 'a1']],
    ['regex is a full match', { attributeName: 'rack' }, { textMatches: 'r' }, []],
    ['not regex', { attributeName: 'rack' }, { textNotMatches: 'r1' }, ['a1']],
    ['hostname pseudo-attribute', { pseudoattribute: 'HOSTNAME' }, { textEquals: 'a2.local' }, ['a2']],
  ] as const)('offer constraint: %s', (_name, selector, predicate, expected) => {
    const a = new Allocator();
    a.addAgent(agent('a0', undefined, { attributes: [{ name: 'rack', text: 'r1' }] }));
    a.addAgent(agent('a1', undefined, { attributes: [{ name: 'rack', text: 'r2' }] }));
    a.addAgent(agent('a2'));
    const constraints = { '*': { groups: [{ attributeConstraints: [{ selector, predicate }] }] } };
    a.addFramework(framework('f1', '*', { offerConstraints: constraints }));
    const r = a.allocate(0);
    expect(r.offers.map((o) => o.agentId).sort()).toEqual(expected);
    expect(reasonCodes(r, 'f1')).toEqual(expected.length === 0 ? [Reason.CONSTRAINTS_EXCLUDE] : []);
  });

  it('constraint groups are OR-ed and constraints inside a group AND-ed', () => {
    const a = new Allocator();
    a.addAgent(agent('a0', undefined, { attributes: [{ name: 'rack', text: 'r1' }, { name: 'ssd', text: 'yes' }] }));
    a.addAgent(agent('a1', undefined, { attributes: [{ name: 'rack', text: 'r1' }] }));
    a.addAgent(agent('a2', undefined, { attributes: [{ name: 'rack', text: 'r9' }] }));
    const rack1AndSsd = {
      attributeConstraints: [
        { selector: { attributeName: 'rack' }, predicate: { textEquals: 'r1' } },
        { selector: { attributeName: 'ssd' }, predicate: { exists: true } },
      ],
    } as const;
    const rack9 = { attributeConstraints: [{ selector: { attributeName: 'rack' }, predicate: { textEquals: 'r9' } }] } as const;
    a.addFramework(framework('f1', '*', { offerConstraints: { '*': { groups: [rack1AndSsd, rack9] } } }));
    const r = a.allocate(0);
    expect(r.offers.map((o) => o.agentId).sort()).toEqual(['a0', 'a2']);
    expect(r.explanations).toEqual([]);
  });

  it('an agent excluded by constraints goes to another framework, and the excluded one is told why', () => {
    const a = new Allocator();
    a.addAgent(agent('a0', undefined, { attributes: [{ name: 'rack', text: 'r1' }] }));
    const onlyR2 = { '*': { groups: [{ attributeConstraints: [{ selector: { attributeName: 'rack' }, predicate: { textEquals: 'r2' } }] }] } };
    a.addFramework(framework('picky', '*', { offerConstraints: onlyR2 }));
    const r = a.allocate(0);
    expect(r.offers).toHaveLength(0);
    expect(r.explanations[0].reasons[0]).toMatchObject({ code: Reason.CONSTRAINTS_EXCLUDE, agents: 1 });
  });
});

describe('explanations', () => {
  it('a framework behind others in fair-share order is told so', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    a.addFramework(framework('f2'));
    const r = a.allocate(0);
    expect(reasonCodes(r, 'f2')).toEqual([Reason.FAIR_SHARE]);
  });

  it('no agents at all is said plainly', () => {
    const a = new Allocator();
    a.addFramework(framework('f1'));
    expect(reasonCodes(a.allocate(0), 'f1')).toEqual([Reason.NO_AGENTS]);
  });

  it('frameworks that got offers are not explained', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    expect(a.allocate(0).explanations).toEqual([]);
  });
});

describe('agents and frameworks coming and going', () => {
  it('resources held by a removed framework return to the pool', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    a.addFramework(framework('f2'));
    expect(agentsPerFramework(a.allocate(0))).toEqual({ f1: 1 });
    a.removeFramework('f1');
    expect(agentsPerFramework(a.allocate(1000))).toEqual({ f2: 1 });
  });

  it('resources a re-registering agent reports as used count toward shares before the framework subscribes', () => {
    const a = new Allocator();
    a.addAgent(agent('a0'), [{ frameworkId: 'old', resources: res('cpus:4;mem:4096').allocate('*') }]);
    for (const id of ['a1', 'a2', 'a3']) a.addAgent(agent(id));
    a.addFramework(framework('old'));
    a.addFramework(framework('new'));
    // old holds a0: new goes first; at equal shares and counts the name decides (new), then old.
    expect(agentsPerFramework(a.allocate(0))).toEqual({ new: 2, old: 1 });
  });

  it('a removed agent is never offered', () => {
    const a = cluster(2);
    a.addFramework(framework('f1'));
    a.removeAgent('a0');
    expect(a.allocate(0).offers.map((o) => o.agentId)).toEqual(['a1']);
  });

  it('a deactivated agent is not offered until activated', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    a.deactivateAgent('a0');
    expect(a.allocate(0).offers).toHaveLength(0);
    a.activateAgent('a0');
    expect(a.allocate(1000).offers).toHaveLength(1);
  });

  it('recovering for an agent or framework already gone is a no-op', () => {
    const a = cluster(1);
    a.addFramework(framework('f1'));
    const offer = a.allocate(0).offers[0];
    a.removeAgent('a0');
    expect(() => a.recoverResources('f1', 'a0', offer.resources)).not.toThrow();
  });

  it('rejects bad input with an error naming it', () => {
    const a = cluster(1);
    expect(() => a.addFramework(framework('f1', 'bad//role'))).toThrow(/invalid role 'bad\/\/role'/);
    expect(() => a.addFramework({ id: 'f2', roles: [] })).toThrow(/at least one role/);
    expect(() => a.addFramework({ id: 'f3', roles: ['a', 'b'] })).toThrow(/MULTI_ROLE/);
    expect(() => a.updateWeights([{ role: 'x', weight: 0 }])).toThrow(/positive/);
    expect(() => a.addAgent(agent('a0'))).toThrow(/already added/);
    expect(() => a.suppress('nope')).toThrow(/unknown framework nope/);
    const badRegex = { '*': { groups: [{ attributeConstraints: [{ selector: { attributeName: 'x' }, predicate: { textMatches: '(' } }] }] } };
    expect(() => a.addFramework(framework('f4', '*', { offerConstraints: badRegex }))).toThrow(/invalid regex/);
  });
});

describe('determinism', () => {
  it('the same events and seed give the same offers', () => {
    const run = (seed: number): string[] => {
      const a = cluster(50, 'cpus:4;mem:4096', { seed });
      for (let i = 0; i < 7; i++) a.addFramework(framework(`f${i}`));
      return a.allocate(0).offers.map((o) => `${o.frameworkId}@${o.agentId}`);
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });
});
