import fc from 'fast-check';
import { Resources, toV0 } from '@agora/resources';
import { ClusterBuilder } from '../testing/cluster-builder';
import { held, indexUsage } from './usage';

describe('indexUsage', () => {
  it('sums unreleased tasks by agent and framework, and offers by agent and framework', () => {
    const c = new ClusterBuilder();
    c.agent('a1');
    c.agent('a2');
    c.framework('f1');
    c.framework('f2');
    c.task('f1', 'a1', 't1', { resources: 'cpus:1;mem:100' });
    c.task('f2', 'a1', 't2', { resources: 'cpus:0.5;mem:50' });
    c.task('f1', 'a2', 't3', { resources: 'cpus:2;mem:200' });
    c.task('f1', 'a2', 'done', { resources: 'cpus:8', state: 'TASK_FINISHED' });
    c.task('f1', 'a2', 'lost', { resources: 'cpus:8', state: 'TASK_UNREACHABLE' });
    c.offer('o1', 'f2', 'a2', 'cpus:1;mem:10');
    c.offer('o2', 'f2', 'a2', 'cpus:1;mem:10');
    const usage = indexUsage(c.state);
    const v0 = (r: Resources) => {
      const { cpus, mem } = toV0(r);
      return { cpus, mem };
    };
    expect(v0(held(usage.usedByAgent, 'a1'))).toEqual({ cpus: 1.5, mem: 150 });
    expect(v0(held(usage.usedByAgent, 'a2'))).toEqual({ cpus: 2, mem: 200 });
    expect(v0(held(usage.usedByFramework, 'f1'))).toEqual({ cpus: 3, mem: 300 });
    expect(v0(held(usage.usedByFramework, 'f2'))).toEqual({ cpus: 0.5, mem: 50 });
    expect(v0(held(usage.offeredByAgent, 'a2'))).toEqual({ cpus: 2, mem: 20 });
    expect(v0(held(usage.offeredByFramework, 'f2'))).toEqual({ cpus: 2, mem: 20 });
    expect(held(usage.offeredByAgent, 'a1').isEmpty()).toBe(true);
  });

  it('agrees with summing each agent on its own (the one pass loses nothing)', () => {
    const scenario = fc.record({
      agents: fc.integer({ min: 1, max: 6 }),
      tasks: fc.array(
        fc.record({ agent: fc.nat(), fw: fc.nat({ max: 2 }), cpus: fc.integer({ min: 1, max: 4000 }), released: fc.boolean() }),
        { maxLength: 30 },
      ),
      offers: fc.array(fc.record({ agent: fc.nat(), fw: fc.nat({ max: 2 }), mem: fc.integer({ min: 1, max: 512 }) }), { maxLength: 10 }),
    });
    fc.assert(
      fc.property(scenario, ({ agents, tasks, offers }) => {
        const c = new ClusterBuilder();
        for (let i = 0; i < agents; i++) c.agent(`a${i}`);
        for (let i = 0; i < 3; i++) c.framework(`f${i}`, { roles: [`r${i}`] });
        tasks.forEach((t, i) =>
          c.task(`f${t.fw}`, `a${t.agent % agents}`, `t${i}`, {
            resources: `cpus:${t.cpus / 1000}`,
            state: t.released ? 'TASK_FAILED' : 'TASK_RUNNING',
          }),
        );
        offers.forEach((o, i) => c.offer(`o${i}`, `f${o.fw}`, `a${o.agent % agents}`, `mem:${o.mem}`));
        const usage = indexUsage(c.state);
        for (const agent of c.state.agents.values()) {
          const used = Resources.sum([...agent.tasks.values()].filter((t) => !t.released).map((t) => t.resources));
          const offered = Resources.sum([...c.state.offers.values()].filter((o) => o.agentId === agent.id).map((o) => o.resources));
          expect(held(usage.usedByAgent, agent.id).equals(used)).toBe(true);
          expect(held(usage.offeredByAgent, agent.id).equals(offered)).toBe(true);
        }
      }),
    );
  });
});
