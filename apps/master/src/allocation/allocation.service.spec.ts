import { ResourceQuantities, Resources } from '@agora/resources';
import type { Clock, TimerHandle } from '../clock/clock';
import { AllocationService } from './allocation.service';

/** A clock whose timers fire only when the test says so. */
class FakeClock {
  time = 0;
  private periodic: (() => void)[] = [];
  private soonQueue: (() => void)[] = [];
  now(): number {
    return this.time;
  }
  monotonic(): number {
    return this.time;
  }
  every(_ms: number, run: () => void): TimerHandle {
    this.periodic.push(run);
    return { cancel: () => (this.periodic = this.periodic.filter((r) => r !== run)) };
  }
  soon(run: () => void): TimerHandle {
    this.soonQueue.push(run);
    return { cancel: () => (this.soonQueue = this.soonQueue.filter((r) => r !== run)) };
  }
  tick(ms: number): void {
    this.time += ms;
    for (const run of this.periodic) run();
  }
  flushSoon(): void {
    const queue = this.soonQueue;
    this.soonQueue = [];
    for (const run of queue) run();
  }
}

function setup(): { clock: FakeClock; service: AllocationService; offers: string[] } {
  const clock = new FakeClock();
  const service = new AllocationService(clock as unknown as Clock, 1000);
  const offers: string[] = [];
  service.onOffers((list) => offers.push(...list.map((o) => `${o.frameworkId}@${o.agentId}`)));
  service.start();
  return { clock, service, offers };
}

const agentSpec = (id: string) => ({ id, hostname: id, total: Resources.parse('cpus:2;mem:1024') });

describe('AllocationService', () => {
  it('runs a cycle every interval', () => {
    const { clock, service, offers } = setup();
    service.update((a) => a.addAgent(agentSpec('a0')));
    service.update((a) => a.addFramework({ id: 'f1', roles: ['*'] }));
    expect(offers).toEqual([]);
    clock.tick(1000);
    expect(offers).toEqual(['f1@a0']);
    expect(service.cycleCount).toBe(1);
  });

  it('times each cycle: the allocator alone, and with its offers handed out', () => {
    const { clock, service } = setup();
    // A sink that takes 5 ms of the fake clock: counted in the whole cycle, not in the allocator's run.
    service.onOffers(() => (clock.time += 5));
    service.update((a) => a.addAgent(agentSpec('a0')));
    service.update((a) => a.addFramework({ id: 'f1', roles: ['*'] }));
    clock.tick(1000);
    expect(service.runTimes.latest).toBe(0);
    expect(service.cycleTimes.latest).toBe(5);
    expect(service.cycleTimes.statistics()).toBeUndefined();
    clock.tick(1000);
    expect(service.runTimes.statistics()).toMatchObject({ count: 2, max: 0 });
    expect(service.cycleTimes.statistics()).toMatchObject({ count: 2, min: 0, max: 5 });
  });

  it('coalesces events that ask for a cycle into one soon cycle', () => {
    const { clock, service, offers } = setup();
    service.update((a) => a.addAgent(agentSpec('a0')), true);
    service.update((a) => a.addAgent(agentSpec('a1')), true);
    service.update((a) => a.addFramework({ id: 'f1', roles: ['*'] }), true);
    clock.flushSoon();
    expect(service.cycleCount).toBe(1);
    expect(offers.sort()).toEqual(['f1@a0', 'f1@a1']);
  });

  it('keeps the last cycle explanations for "why pending" questions', () => {
    const { clock, service } = setup();
    service.update((a) => a.addFramework({ id: 'f1', roles: ['*'] }));
    clock.tick(1000);
    expect(service.explanations('f1')[0].reasons[0].code).toBe('NO_AGENTS');
    expect(service.lastMetrics()?.cycle).toBe(1);
  });

  it('a failing offer consumer does not stop allocation', () => {
    const { clock, service } = setup();
    service.onOffers(() => {
      throw new Error('boom');
    });
    service.update((a) => a.addAgent(agentSpec('a0')));
    service.update((a) => a.addFramework({ id: 'f1', roles: ['*'] }));
    expect(() => clock.tick(1000)).not.toThrow();
    expect(service.cycleCount).toBe(1);
  });

  it('stops its timers on shutdown', () => {
    const { clock, service } = setup();
    service.onModuleDestroy();
    clock.tick(1000);
    expect(service.cycleCount).toBe(0);
  });
  it('withholds roles with quota guarantees while recovering, then offers them', () => {
    const { clock, service, offers } = setup();
    let recovering = true;
    service.withholdGuaranteedRolesWhile(() => recovering);
    service.update((a) => a.updateQuota('q', { guarantees: ResourceQuantities.parse('cpus:1'), limits: ResourceQuantities.EMPTY }));
    service.update((a) => a.addAgent(agentSpec('a0')));
    service.update((a) => a.addFramework({ id: 'fq', roles: ['q'] }));
    clock.tick(1000);
    expect(offers).toEqual([]);
    recovering = false;
    clock.tick(1000);
    expect(offers).toEqual(['fq@a0']);
  });
});
